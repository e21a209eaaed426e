// The config allowlist (.keyguard.yaml `allowlist` and `ruleAllowlists`): paths, regexes on the secret or its line,
// stopwords and commits. Applied after inline markers, before the baseline.
import type { RawFinding } from '../types.js';
import type { Allowlist } from '../config/config-types.js';
import { repoPath } from './repo-path.js';

export interface ConfigAllowlists {
  /** Applies to every rule. */
  global?: Allowlist | undefined;
  /** Rule id → an allowlist for that rule only. */
  byRule: ReadonlyMap<string, Allowlist>;
}

/** Which entry of an allowlist lets this finding through, in words, or undefined. */
export function allowReason(list: Allowlist, f: RawFinding, path: string): string | undefined {
  if (list.path?.(path)) return 'path';
  if (f.commit) {
    const commit = f.commit.toLowerCase();
    if (list.commits.some((c) => commit.startsWith(c))) return 'commit';
  }
  for (const re of list.regexes) if (re.test(f.rawSecret)) return `regex ${re.source}`;
  for (const re of list.lineRegexes) if (re.test(f.lineContext ?? f.excerpt)) return `line regex ${re.source}`;
  if (list.stopwords.length > 0) {
    const lower = f.rawSecret.toLowerCase();
    for (const word of list.stopwords) if (lower.includes(word)) return `stopword ${word}`;
  }
  return undefined;
}

/** Drop findings an allowlist covers. `prefix` and `root`: see repoPath. */
export function filterConfigAllowed(findings: RawFinding[], allowlists: ConfigAllowlists | undefined, prefix = '', root?: string): { kept: RawFinding[]; allowed: RawFinding[] } {
  if (!allowlists || (!allowlists.global && allowlists.byRule.size === 0)) return { kept: findings, allowed: [] };
  const kept: RawFinding[] = [];
  const allowed: RawFinding[] = [];
  for (const f of findings) {
    const path = repoPath(prefix, f.file, root);
    const rule = allowlists.byRule.get(f.ruleId);
    const hit = (allowlists.global && allowReason(allowlists.global, f, path)) || (rule && allowReason(rule, f, path));
    (hit ? allowed : kept).push(f);
  }
  return { kept, allowed };
}
