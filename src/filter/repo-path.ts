// Paths as the repository sees them. A scan run from a sub-folder reports paths relative to that folder; allowlists
// and baselines are written relative to the repository root, so both are compared in that form.
import { posix } from 'node:path';

/** `file` relative to the repository root, given where the scan ran (`prefix`, root-relative; '' at the root). */
export function repoPath(prefix: string, file: string): string {
  if (!prefix || file.startsWith('/') || file.startsWith('<')) return file;
  const joined = posix.normalize(`${prefix}/${file}`);
  return joined.startsWith('../') ? file : joined;
}
