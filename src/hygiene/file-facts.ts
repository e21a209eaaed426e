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
 * Findings of `warnOnly` rules (a `.env` file in which no credential was recognised) leave the findings, so they
 * neither block a commit nor fail a scan, and come back as one warning line each, worded for the command.
 */
export function separateWarnings(result: ScanResult, rules: readonly Rule[]): { result: ScanResult; warnings: string[] } {
  const warn = new Set(rules.filter((r) => r.warnOnly).map((r) => r.id));
  const warned = result.findings.filter((f) => warn.has(f.ruleId));
  if (warned.length === 0) return { result, warnings: [] };
  const findings = result.findings.filter((f) => !warn.has(f.ruleId));
  const kept = new Set(findings.map((f) => f.credential));
  const credentials = result.credentials?.filter((w) => kept.has(w.credential));
  return {
    result: { ...result, findings, stats: { ...result.stats, findings: findings.length }, ...(credentials ? { credentials } : {}) },
    warnings: warned.map((f) => renderWarning(f, result.mode)),
  };
}

/** One line per warning, for stderr and the report's notes: where the file is, then what to do if it holds secrets. */
export function renderWarning(f: Finding, mode: ScanResult['mode']): string {
  const file = shellPath(f.file);
  const where =
    mode === 'staged'
      ? `${f.file} is staged`
      : mode === 'history'
        ? `${f.file} was committed${f.commit ? ` in ${f.commit.slice(0, 12)}` : ''}`
        : f.git === 'tracked' ? `${f.file} is tracked by git` : f.git === 'untracked' ? `${f.file} is untracked and not ignored` : f.git === 'ignored' ? `${f.file} is ignored by git` : `${f.file} is a credential file by its name`;
  const inGit = mode !== 'scan' || f.git === 'tracked';
  const fix =
    mode === 'staged'
      ? `commit it only if it holds nothing but public settings; otherwise unstage it (git rm --cached ${file}), add /${f.file} to .gitignore and make it readable only by you (chmod 600 ${file})`
      : f.git === 'ignored'
        ? `keep it readable only by you (chmod 600 ${file})`
        : inGit
          ? `check that it holds nothing but public settings; if it ever held a secret, rotate that secret, then stop tracking the file (git rm --cached ${file}) and add /${f.file} to .gitignore`
          : `add ${f.gitignore ?? `/${f.file}`} to .gitignore before a \`git add .\` commits it, and make it readable only by you (chmod 600 ${file})`;
  return `${where} (${f.title}), with no credential keyguard recognises in it: ${fix}`;
}
