import { describe, expect, it } from 'vitest';
import { escapeData, escapeProperty, MAX_ANNOTATIONS, renderGithub } from '../../src/report/github.js';
import { escapeXml, renderJunit } from '../../src/report/junit.js';
import { codeSpan, escapeCell, renderSummary } from '../../src/report/summary.js';
import { renderText } from '../../src/report/text.js';
import type { ScanResult } from '../../src/types.js';
import { cleanResult, options, scanResult } from './fixture.js';

const many: ScanResult = {
  ...scanResult,
  findings: Array.from({ length: 13 }, (_, i) => ({ ...scanResult.findings[0]!, line: i + 1, endLine: i + 1 })),
  stats: { ...scanResult.stats, findings: 13 },
};

describe('github workflow commands', () => {
  it('escapes messages and properties as the runner expects', () => {
    expect(escapeData('50% a\r\nb')).toBe('50%25 a%0D%0Ab');
    expect(escapeProperty('a,b:c%\n')).toBe('a%2Cb%3Ac%25%0A');
  });

  it('annotates 10 findings, then a notice with the count of the rest', () => {
    const lines = renderGithub(many, options()).trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('::error ')).length).toBe(MAX_ANNOTATIONS);
    expect(lines[MAX_ANNOTATIONS]).toMatch(/^::notice title=keyguard::3 more findings not annotated/);
    expect(lines.at(-1)).toMatch(/^keyguard scan: 13 findings/);
  });

  it('annotates low-severity findings as warnings, and keeps 10 errors whatever the number of warnings', () => {
    const low = Array.from({ length: 12 }, (_, i) => ({ ...scanResult.findings[0]!, severity: 'low' as const, file: `web/${i}.env`, line: 1, endLine: 1 }));
    const mixed: ScanResult = { ...many, findings: [...low, ...many.findings], stats: { ...many.stats, findings: 25 } };
    const lines = renderGithub(mixed, options()).trimEnd().split('\n');
    expect(lines.filter((l) => l.startsWith('::error ')).length).toBe(MAX_ANNOTATIONS);
    expect(lines.filter((l) => l.startsWith('::warning file=')).length).toBe(MAX_ANNOTATIONS);
    expect(lines.findIndex((l) => l.startsWith('::warning file='))).toBe(MAX_ANNOTATIONS);
    expect(lines).toContainEqual(expect.stringMatching(/^::notice title=keyguard::5 more findings not annotated/));
  });

  it('never lets a path or message break out of its command', () => {
    const out = renderGithub(scanResult, options());
    for (const line of out.trimEnd().split('\n')) expect(line.startsWith('::') || line.startsWith('keyguard ')).toBe(true);
    expect(out).toContain('file=docs/a%2Cb%3Ac%25<d>&"e".md,');
  });

  it('prints only the summary line when nothing is found', () => {
    expect(renderGithub(cleanResult, options())).toMatch(/^keyguard scan: no leaks found/);
  });
});

describe('junit', () => {
  it('has one failing test case per finding and escaped XML', () => {
    const xml = renderJunit(scanResult, options());
    expect(xml.match(/<testcase /g)).toHaveLength(5);
    expect(xml.match(/<failure /g)).toHaveLength(5);
    expect(xml).toContain('name="docs/a,b:c%&lt;d&gt;&amp;&quot;e&quot;.md:7:1 Google OAuth client secret"');
    expect(xml).not.toMatch(/<b>/);
  });

  it('has one passing test case when nothing is found', () => {
    const xml = renderJunit(cleanResult, options());
    expect(xml).toContain('<testcase classname="keyguard" name="no leaked credentials"');
    expect(xml).not.toContain('<failure');
  });

  it('drops characters XML cannot carry', () => {
    expect(escapeXml('a\u0000b\u001bc\ud800d<')).toBe('ab' + 'c\ufffdd&lt;');
  });
});

describe('job summary', () => {
  it('escapes table cells and code spans', () => {
    expect(escapeCell('a|b\nc<d>')).toBe('a\\|b c&lt;d&gt;');
    expect(codeSpan('x `y` z')).toBe('``x `y` z``');
  });

  it('has a table row per finding and a checklist per credential', () => {
    const md = renderSummary(scanResult, options());
    expect(md.match(/^\| (critical|high|medium|low) \|/gm)).toHaveLength(5);
    expect(md.match(/^#### \d\./gm)).toHaveLength(4);
  });
});

describe('text', () => {
  it('uses colour only when asked', () => {
    // eslint-disable-next-line no-control-regex
    const ansi = /\u001b\[/;
    expect(renderText(scanResult, options(false))).not.toMatch(ansi);
    expect(renderText(scanResult, options(true))).toMatch(ansi);
  });

  it('prints the checklist once per credential after the findings', () => {
    const text = renderText(scanResult, options(false));
    expect(text.match(/^\d\) /gm)).toHaveLength(4);
    expect(text.indexOf('Leak response')).toBeGreaterThan(text.lastIndexOf('│'));
  });
});
