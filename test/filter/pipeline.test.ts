// The suppression chain, pure: inline marker → config allowlist → baseline, each counted in its own layer.
import { describe, expect, it } from 'vitest';
import type { RawFinding } from '../../src/types.js';
import { filterFindings } from '../../src/filter/pipeline.js';
import { filterConfigAllowed } from '../../src/filter/config-allow.js';
import { baselineKey, filterBaselined } from '../../src/filter/baseline.js';
import { repoPath } from '../../src/filter/repo-path.js';
import { compilePathGlobs } from '../../src/config/project-config.js';
import type { Allowlist } from '../../src/config/config-types.js';
import { toFinding } from '../../src/filter/redact.js';
import { fakeGoogleApiKey } from '../helpers/keys.js';

function raw(file: string, seed: number, extra: Partial<RawFinding> = {}): RawFinding {
  const secret = fakeGoogleApiKey(seed);
  return {
    ruleId: 'google-api-key', title: 'Google API key', description: '', severity: 'high', kind: 'google-api-key', file, line: 1, column: 1, endLine: 1, endColumn: 40,
    start: 0, end: 39, rawSecret: secret, entropy: 4.5, excerpt: 'key = "AIza…"', exposure: 'server', ...extra,
  };
}

const list = (over: Partial<Allowlist>): Allowlist => ({ path: undefined, regexes: [], lineRegexes: [], stopwords: [], commits: [], ...over });

describe('filterFindings', () => {
  it('applies the layers in order, and counts each finding in the first layer that hides it', () => {
    const inline = raw('fixtures/a.js', 1, { inlineMarker: 'keyguard:allow' });
    const allowed = raw('fixtures/b.js', 2);
    const baselined = raw('c.js', 3);
    const kept = raw('d.js', 4);
    const baseline = new Set([toFinding(allowed, false), toFinding(baselined, false), toFinding(inline, false)].map((f) => baselineKey(f)));
    const out = filterFindings([inline, allowed, baselined, kept], {
      showSecrets: false,
      allowlists: { global: list({ path: compilePathGlobs(['fixtures/**']) }), byRule: new Map() },
      baseline,
    });
    expect(out.findings.map((f) => f.file)).toEqual(['d.js']);
    expect(out.baselined.map((f) => f.file)).toEqual(['c.js']);
    expect(out.suppressed).toEqual({ inline: 1, allowlist: 1, baseline: 1 });
  });

  it('without a configuration or baseline, only inline markers hide findings', () => {
    const out = filterFindings([raw('a.js', 1), raw('b.js', 2, { inlineMarker: 'gitleaks:allow' })], { showSecrets: false });
    expect(out.findings.map((f) => f.file)).toEqual(['a.js']);
    expect(out.suppressed).toEqual({ inline: 1, allowlist: 0, baseline: 0 });
  });
});

describe('filterConfigAllowed', () => {
  it('per-rule lists apply to their rule only; commits match by prefix', () => {
    const byRule = new Map([['gemini-auth-key', list({ path: compilePathGlobs(['**']) })]]);
    expect(filterConfigAllowed([raw('a.js', 1)], { byRule }).kept).toHaveLength(1);
    const commit = 'abcdef1234567890abcdef1234567890abcdef12';
    const global = list({ commits: ['abcdef12'] });
    expect(filterConfigAllowed([raw('a.js', 1, { commit }), raw('a.js', 2, { commit: 'f'.repeat(40) })], { global, byRule: new Map() }).kept).toHaveLength(1);
  });

  it('paths are compared relative to the repository root', () => {
    const global = list({ path: compilePathGlobs(['src/fixtures/**']) });
    expect(filterConfigAllowed([raw('fixtures/a.js', 1)], { global, byRule: new Map() }, 'src').kept).toHaveLength(0);
    expect(filterConfigAllowed([raw('fixtures/a.js', 1)], { global, byRule: new Map() }, '').kept).toHaveLength(1);
    expect(filterConfigAllowed([raw('/repo/src/fixtures/a.js', 1)], { global, byRule: new Map() }, '', '/repo').kept).toHaveLength(0);
  });
});

describe('filterBaselined', () => {
  it('matches credential + path: the same key elsewhere, or another key in the same place, is kept', () => {
    const f = toFinding(raw('a.js', 1), false);
    const baseline = new Set([baselineKey(f)]);
    const moved = { ...f, line: 40 };
    const copied = toFinding(raw('b.js', 1), false);
    const other = toFinding(raw('a.js', 2), false);
    expect(filterBaselined([moved, copied, other], baseline).kept).toEqual([copied, other]);
  });
});

describe('repoPath', () => {
  it('joins the scan folder and leaves outside paths alone', () => {
    expect(repoPath('', 'a/b.js')).toBe('a/b.js');
    expect(repoPath('src', 'a/b.js')).toBe('src/a/b.js');
    expect(repoPath('src', '../x.js')).toBe('x.js');
    expect(repoPath('src', '<stdin>')).toBe('<stdin>');
    expect(repoPath('', '/elsewhere/x.js', '/repo')).toBe('/elsewhere/x.js');
  });

  it('--no-inline-allow (inline: false) reports what markers hide', () => {
    const out = filterFindings([raw('a.js', 1, { inlineMarker: 'keyguard:allow' })], { showSecrets: false, inline: false });
    expect(out.findings.map((f) => f.file)).toEqual(['a.js']);
    expect(out.suppressed).toEqual({ inline: 0, allowlist: 0, baseline: 0 });
    expect(out.review).toEqual([]);
  });

  it('in a range (reviewInline) lists the findings only a marker hides, with the marker and its line', () => {
    const byMarker = raw('src/a.js', 1, { line: 4, endLine: 4, inlineMarker: 'pragma: allowlist secret', commit: 'abc1234' });
    const nextLine = raw('src/b.js', 2, { line: 9, endLine: 9, inlineMarker: 'keyguard:allow-next-line' });
    const alsoAllowed = raw('fixtures/c.js', 3, { inlineMarker: 'keyguard:allow' });
    const alsoBaselined = raw('d.js', 4, { inlineMarker: 'gitleaks:allow' });
    const out = filterFindings([nextLine, byMarker, alsoAllowed, alsoBaselined], {
      showSecrets: false,
      reviewInline: true,
      allowlists: { global: list({ path: compilePathGlobs(['fixtures/**']) }), byRule: new Map() },
      baseline: new Set([baselineKey(toFinding(alsoBaselined, false))]),
    });
    expect(out.findings).toEqual([]);
    expect(out.suppressed.inline).toBe(4);
    expect(out.review).toEqual([
      { type: 'inline-marker', file: 'src/a.js', line: 4, markerLine: 4, marker: 'pragma: allowlist secret', commit: 'abc1234', ruleId: 'google-api-key', title: 'Google API key', credential: toFinding(byMarker, false).credential },
      { type: 'inline-marker', file: 'src/b.js', line: 9, markerLine: 8, marker: 'keyguard:allow-next-line', ruleId: 'google-api-key', title: 'Google API key', credential: toFinding(nextLine, false).credential },
    ]);
    expect(JSON.stringify(out.review)).not.toContain(byMarker.rawSecret);
  });
});
