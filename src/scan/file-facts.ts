// What the sources learned about each file (where it sits in git, its mode) meets the findings: credential files
// found by name, and what fixes each finding's file (a .gitignore line, chmod 600). Pure: the sources stat files and
// ask git; this decides.
import type { FileFacts, Finding, RawFinding } from '../types.js';
import { detectPath, type PathRules } from '../detect/paths.js';

/** Readable by group or others: what `chmod 600` fixes. */
export function readableByOthers(mode: number | undefined): boolean {
  return mode !== undefined && (mode & 0o044) !== 0;
}

/**
 * Path-rule findings for one file the source listed. A file git ignores is where a credential file belongs, so
 * its name alone is reported only when others can read it (`--no-gitignore` lists such files).
 */
export function detectFile(file: FileFacts, set: PathRules): RawFinding[] {
  if (set.pathRules.length === 0) return [];
  if (file.git === 'ignored' && !readableByOthers(file.mode)) return [];
  return detectPath(file, set);
}

/** Attach what fixes each finding's file: the .gitignore line (untracked) and the mode to chmod (not tracked, readable by others). */
export function attachFileFacts(findings: Finding[], facts: ReadonlyMap<string, FileFacts>): Finding[] {
  if (facts.size === 0) return findings;
  for (const f of findings) {
    const file = facts.get(f.file);
    if (!file) continue;
    if (f.git === 'untracked' && file.ignoreLine) f.gitignore = file.ignoreLine;
    if (f.git !== 'tracked' && readableByOthers(file.mode)) f.fileMode = (file.mode! & 0o777).toString(8).padStart(3, '0');
  }
  return findings;
}
