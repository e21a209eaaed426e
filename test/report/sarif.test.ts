import { describe, expect, it } from 'vitest';
import type { Log } from 'sarif';
import { renderSarif } from '../../src/report/sarif.js';
import { cleanResult, historyResult, options, scanResult } from './fixture.js';
import type { ScanResult } from '../../src/types.js';
import { validateSarif } from './sarif-validate.js';

describe('SARIF', () => {
  it.each([
    ['scan', scanResult],
    ['history', historyResult],
    ['clean', cleanResult],
  ] as [string, ScanResult][])('%s: the SARIF Multitool finds no errors or warnings', (_name, result) => {
    expect(validateSarif(renderSarif(result, options()))).toEqual([]);
  });

  it('the validator does catch a broken log (so the zero above means something)', () => {
    const log = JSON.parse(renderSarif(scanResult, options())) as Log;
    log.runs[0]!.results![0]!.ruleIndex = 99;
    expect(validateSarif(JSON.stringify(log)).map((p) => p.ruleId)).toContain('SARIF1009');
  });

  it('has rules with help, severity and tags, and results with full regions', () => {
    const log = JSON.parse(renderSarif(scanResult, options())) as Log;
    const run = log.runs[0]!;
    expect(log.version).toBe('2.1.0');
    expect(run.tool.driver).toMatchObject({ name: 'keyguard', version: '0.0.0-test' });
    const rules = run.tool.driver.rules!;
    // Two loaded rules, plus the one a finding names that was not loaded.
    expect(rules.map((r) => r.id)).toEqual(['google-api-key', 'google-service-account-key', 'google-oauth-client-secret']);
    for (const r of rules) {
      expect(r.help?.markdown).toMatch(/Leak response/);
      expect(r.helpUri).toMatch(/^https:\/\//);
      expect(r.properties?.['security-severity']).toMatch(/^\d+\.\d$/);
      expect(r.properties?.['tags']).toContain('security');
    }
    expect(rules[0]!.help!.markdown).toMatch(/19 June 2026/);
    for (const res of run.results!) {
      expect(rules[res.ruleIndex!]!.id).toBe(res.ruleId);
      const region = res.locations![0]!.physicalLocation!.region!;
      expect(Object.keys(region).sort()).toEqual(['endColumn', 'endLine', 'startColumn', 'startLine']);
    }
    expect(run.results![4]!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe('docs/a%2Cb%3Ac%25%3Cd%3E%26%22e%22.md');
  });

  it('keeps partialFingerprints when the line moves, and tells two copies in one file apart', () => {
    const moved: ScanResult = { ...scanResult, findings: scanResult.findings.map((f) => ({ ...f, line: f.line + 10, endLine: f.endLine + 10 })) };
    const fp = (r: ScanResult) => (JSON.parse(renderSarif(r, options())) as Log).runs[0]!.results!.map((x) => x.partialFingerprints);
    expect(fp(moved)).toEqual(fp(scanResult));
    const twice: ScanResult = { ...scanResult, findings: [scanResult.findings[0]!, { ...scanResult.findings[0]!, line: 40, endLine: 40 }] };
    const [a, b] = fp(twice);
    expect(a).not.toEqual(b);
  });

  it('puts commit and author of history findings in properties', () => {
    const log = JSON.parse(renderSarif(historyResult, options())) as Log;
    expect(log.runs[0]!.results![0]!.properties).toMatchObject({ commit: '1'.repeat(40), author: 'Ada Lovelace', email: 'ada@example.com', date: '2026-03-02T10:00:00+01:00' });
    expect(log.runs[0]!.invocations![0]!.toolExecutionNotifications![0]!.message.text).toMatch(/shallow/);
  });
});
