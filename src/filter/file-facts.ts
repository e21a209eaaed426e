// Post-processing of findings by what their file is: a local secret git ignores is low severity, a credential
// file found by name shows its path, and warn-only matches leave the findings. Pure.
import type { Finding, RawFinding, Rule, ScanResult } from '../types.js';

/** A secret in a file git ignores has not leaked through git: a low-severity local secret. */
export function lowerIgnored(raw: RawFinding[]): RawFinding[] {
  for (const f of raw) if (f.git === 'ignored') f.severity = 'low';
  return raw;
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
 * neither block a commit nor fail a scan, and come back on their own for the caller to word (report/advice.ts renderWarning).
 */
export function separateWarnings(result: ScanResult, rules: readonly Rule[]): { result: ScanResult; warned: Finding[] } {
  const warn = new Set(rules.filter((r) => r.warnOnly).map((r) => r.id));
  const warned = result.findings.filter((f) => warn.has(f.ruleId));
  if (warned.length === 0) return { result, warned };
  const findings = result.findings.filter((f) => !warn.has(f.ruleId));
  const kept = new Set(findings.map((f) => f.credential));
  const credentials = result.credentials?.filter((w) => kept.has(w.credential));
  return {
    result: { ...result, findings, stats: { ...result.stats, findings: findings.length }, ...(credentials ? { credentials } : {}) },
    warned,
  };
}
