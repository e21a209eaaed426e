// Key hygiene for findings: where each file sits in git (tracked, untracked, ignored), what fixes it (a .gitignore
// line, chmod 600), and credential files found by name. Pure: the sources stat files and ask git; this decides.
import type { FileFacts, Finding, RawFinding, Rule, ScanResult } from '../types.js';
import { detectPath, type PathRules } from '../detect/paths.js';
import { shellPath } from './advice.js';

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

/** A secret in a file git ignores has not leaked through git: a low-severity local secret. */
export function lowerIgnored(raw: RawFinding[]): RawFinding[] {
  for (const f of raw) if (f.git === 'ignored') f.severity = 'low';
  return raw;
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

/** Findings of path rules are about a file's name: mark them, and show the path (no secret) as their `secret`. */
export function markPathFindings(findings: Finding[], pathRules: readonly Rule[]): Finding[] {
  if (pathRules.length === 0) return findings;
  const ids = new Set(pathRules.map((r) => r.id));
  for (const f of findings) {
    if (!ids.has(f.ruleId)) continue;
    f.match = 'path';
    f.secret = f.file;
  }
  return findings;
}

/**
 * The pre-commit hook's view of a result: findings of `hook: warn` rules (a `.env` file in which no credential was
 * recognised) leave the findings, so they do not block the commit, and come back as one warning line each.
 */
export function separateHookWarnings(result: ScanResult, rules: readonly Rule[]): { result: ScanResult; warnings: string[] } {
  const warn = new Set(rules.filter((r) => r.hook === 'warn').map((r) => r.id));
  const warned = result.findings.filter((f) => warn.has(f.ruleId));
  if (warned.length === 0) return { result, warnings: [] };
  const findings = result.findings.filter((f) => !warn.has(f.ruleId));
  return { result: { ...result, findings, stats: { ...result.stats, findings: findings.length } }, warnings: warned.map(renderHookWarning) };
}

/** One line per hook warning, for stderr and the report's notes. */
export function renderHookWarning(f: Finding): string {
  const file = shellPath(f.file);
  return `${f.file} is staged (${f.title}), with no credential keyguard recognises in it: commit it only if it holds nothing but public settings; otherwise unstage it (git rm --cached ${file}), add /${f.file} to .gitignore and make it readable only by you (chmod 600 ${file})`;
}
