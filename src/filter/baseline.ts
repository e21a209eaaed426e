// The baseline: findings whose fingerprint (credential + path) is recorded as known are not reported. Last layer,
// after inline markers and the config allowlist. Another secret on a baselined line has another fingerprint.
import type { Finding } from '../types.js';
import { fingerprintOf } from './fingerprint.js';
import { repoPath } from './repo-path.js';

/** A finding's fingerprint as a baseline stores it: the path relative to the repository root. */
export function baselineKey(f: Pick<Finding, 'credential' | 'file'>, prefix = '', root?: string): string {
  return fingerprintOf(f.credential, repoPath(prefix, f.file, root));
}

export function filterBaselined(findings: Finding[], baseline: ReadonlySet<string> | undefined, prefix = '', root?: string): { kept: Finding[]; baselined: Finding[] } {
  if (!baseline) return { kept: findings, baselined: [] };
  const kept: Finding[] = [];
  const baselined: Finding[] = [];
  for (const f of findings) (baseline.has(baselineKey(f, prefix, root)) ? baselined : kept).push(f);
  return { kept, baselined };
}
