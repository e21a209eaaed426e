// The config allowlist's lineRegexes read the line as they always did (the findings' secrets masked, nothing else),
// not the report's excerpt, which masks every secret-looking value: an allowlist keeps allowing what it allowed.
import { describe, expect, it } from 'vitest';
import { detect } from '../../src/detect/engine.js';
import { filterConfigAllowed } from '../../src/filter/config-allow.js';
import type { Allowlist } from '../../src/config/config-types.js';
import { builtinRuleSet } from '../helpers/rules.js';
import { fakeGoogleApiKey } from '../helpers/keys.js';

const set = builtinRuleSet();
const allowlist = (lineRegexes: RegExp[]): Allowlist => ({ path: undefined, regexes: [], lineRegexes, stopwords: [], commits: [] });
const allow = (text: string, lineRegexes: RegExp[]) => filterConfigAllowed(detect({ text, path: 'x.txt' }, set), { global: allowlist(lineRegexes), byRule: new Map() });

describe('lineRegexes', () => {
  const key = fakeGoogleApiKey(31);

  it('match a value the excerpt masks', () => {
    const text = `GEMINI_API_KEY=${key} fixture_password=letmein-7Qz9xKp2Lm4Vb8Nw\n`;
    const [f] = detect({ text, path: 'x.txt' }, set);
    expect(f!.excerpt).not.toContain('letmein-7Qz9xKp2Lm4Vb8Nw');
    expect(allow(text, [/fixture_password=letmein-/]).allowed).toHaveLength(1);
    expect(allow(text, [/fixture_password=other/]).kept).toHaveLength(1);
  });

  it('see the finding masked as before (head and tail), so patterns written for it still match', () => {
    const text = `const sample = "${key}"; // docs\n`;
    expect(allow(text, [new RegExp(`sample = "AIza…${key.slice(-4)}"; // docs$`)]).allowed).toHaveLength(1);
    expect(allow(text, [new RegExp(key.slice(4, 20))]).allowed).toHaveLength(0);
  });

  it('still read at most 60 characters either side of the findings', () => {
    const text = `marker_far_away ${'x'.repeat(80)} k="${key}"\n`;
    expect(allow(text, [/marker_far_away/]).allowed).toHaveLength(0);
    expect(allow(text, [/x{20} k="/]).allowed).toHaveLength(1);
  });
});
