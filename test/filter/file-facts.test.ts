// Post-processing by what a finding's file is: ignored files, warn-only rules.
import { describe, expect, it } from 'vitest';
import { lowerIgnored, separateWarnings } from '../../src/filter/file-facts.js';
import { renderWarning } from '../../src/report/advice.js';
import { loadBuiltinRules } from '../helpers/rules.js';
import type { Finding, RawFinding, ScanResult } from '../../src/types.js';

const finding = (over: Partial<Finding>): Finding => ({
  ruleId: 'google-api-key', title: 'Google API key', severity: 'high', kind: 'google-api-key', file: '.env', line: 1, column: 1, endLine: 1, endColumn: 40,
  secret: 'AIza…abcd', credential: 'c1', fingerprint: 'c1:.env', entropy: 4.5, exposure: 'server', excerpt: 'K=AIza…abcd', ...over,
});

describe('file facts in findings', () => {
  it('lowers findings in ignored files to low', () => {
    const raw = lowerIgnored([{ severity: 'critical', git: 'ignored' } as RawFinding, { severity: 'high', git: 'untracked' } as RawFinding]);
    expect(raw.map((f) => f.severity)).toEqual(['low', 'high']);
  });

  it('takes warnOnly findings out of a result, to be worded for the command', () => {
    const result: ScanResult = { mode: 'staged', findings: [finding({ ruleId: 'env-file', kind: 'credential-file' }), finding({ file: 'a.js' })], skipped: [], notes: [], stats: { files: 2, bytes: 0, binary: 0, skipped: 0, findings: 2, durationMs: 0 } };
    const { result: out, warned } = separateWarnings(result, loadBuiltinRules());
    const warnings = warned.map((f) => renderWarning(f, result.mode));
    expect(out.findings.map((f) => f.file)).toEqual(['a.js']);
    expect(out.stats.findings).toBe(1);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^\.env is staged \(Google API key\), with no credential keyguard recognises in it/);
  });
});
