// Paths as the repository sees them. A scan run from a sub-folder reports paths relative to that folder (and files
// outside the current folder by their absolute path); allowlists and baselines are written relative to the
// repository root, so both are compared in that form.
import { posix } from 'node:path';

/**
 * `file` relative to the repository root. `prefix`: where the scan ran, relative to the root ('' at the root);
 * `root`: the root itself, for absolute paths (forward slashes).
 */
export function repoPath(prefix: string, file: string, root?: string): string {
  if (file.startsWith('/')) return root && file.startsWith(`${root}/`) ? file.slice(root.length + 1) : file;
  if (!prefix || file.startsWith('<')) return file;
  const joined = posix.normalize(`${prefix}/${file}`);
  return joined.startsWith('../') ? file : joined;
}
