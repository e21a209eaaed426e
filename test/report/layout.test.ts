// The text report's layouts: the hook's short form, --brief for CI logs, and the full report, in which a step that
// several credentials share is printed once.
import { describe, expect, it } from 'vitest';
import { renderText } from '../../src/report/text.js';
import { chooseLayout, withLayout } from '../../src/report/layout.js';
import type { Finding, ScanResult } from '../../src/types.js';
import { historyResult, options, scanResult } from './fixture.js';

const apiKey = (n: number): Finding => ({
  ruleId: 'google-api-key', title: 'Google API key', severity: 'high', kind: 'google-api-key', file: `src/k${n}.js`, line: 1, column: 8, endLine: 1, endColumn: 47,
  secret: `AIza…000${n}`, credential: `c${n}`.padEnd(16, '0'), fingerprint: `c${n}:src/k${n}.js`, entropy: 4.7, exposure: 'server', excerpt: `k = "AIza…000${n}"`,
  commit: `${n}`.repeat(40), author: 'Ada', email: 'ada@example.com', date: `2026-0${n}-01T00:00:00Z`,
});
const threeKeys: ScanResult = { mode: 'history', findings: [apiKey(1), apiKey(2), apiKey(3)], skipped: [], notes: [], stats: { files: 3, bytes: 300, binary: 0, skipped: 0, findings: 3, durationMs: 5, commits: 3, blobs: 3 } };
const lines = (text: string): string[] => text.trimEnd().split('\n');

describe('text layouts', () => {
  it('chooses short for staged, full elsewhere, brief when asked, the checklist with --checklist', () => {
    expect(chooseLayout('staged', {})).toBe('short');
    expect(chooseLayout('staged', { checklist: true })).toBe('full');
    expect(chooseLayout('scan', {})).toBe('full');
    expect(chooseLayout('history', { brief: true })).toBe('brief');
    expect(chooseLayout('staged', { brief: true, checklist: true })).toBe('brief');
  });

  it('prints each distinct step once for the credentials that share it', () => {
    const text = renderText(threeKeys, options());
    const full = lines(text).filter((l) => /^ {3}\d+\. /.test(l));
    // Every step printed in full appears once; the other credentials point at it.
    expect(new Set(full).size).toBe(full.length);
    expect(text.match(/Create a replacement/g)).toHaveLength(1);
    expect(text).toMatch(/^ {3}1–3\. As steps 1–3 of 1\) above\.$/m);
    // What differs (the audit window of each key) is printed for each.
    for (const d of ['2026-01-01', '2026-02-01', '2026-03-01']) expect(text).toContain(`Audit usage and billing since ${d}`);
    expect(text).toContain('! As for 1) above: It is in git history; This is a standard API key.');
  });

  it('--brief: one line per finding and the summary, no checklist', () => {
    const text = renderText(withLayout(historyResult, { brief: true }), options());
    expect(lines(text)).toHaveLength(historyResult.findings.length + historyResult.notes.length + 1);
    expect(lines(text)[0]).toBe('CRITICAL  .env:1:16  gemini-auth-key  AQ.A…x9Zq  commit 111111111111  credential 5566778899aabbcc');
    expect(text).not.toContain('Leak response');
    expect(lines(renderText(withLayout(scanResult, { brief: true }), options())).at(-1)).toMatch(/^keyguard scan: 5 findings/);
  });

  it('staged: the findings and the summary, without the checklist or a second copy of the secret', () => {
    const staged: ScanResult = { ...threeKeys, mode: 'staged', findings: [{ ...apiKey(1), commit: undefined as never }].map(({ commit: _c, author: _a, email: _e, date: _d, ...f }) => f) };
    const text = renderText(staged, options());
    expect(text).not.toContain('Leak response');
    expect(text).not.toContain('  secret ');
    expect(lines(text)).toHaveLength(5);
    expect(renderText(withLayout(staged, { checklist: true }), options())).toContain('Leak response');
  });
});
