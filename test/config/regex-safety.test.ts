import { describe, expect, it } from 'vitest';
import { regexRisk } from '../../src/config/regex-safety.js';
import { loadBuiltinRules } from '../helpers/rules.js';

describe('regexRisk', () => {
  it.each([
    '(a+)+$',
    '^(a+)+$',
    '(?:a*)*b',
    '(x+x+)+y',
    '(\\w+\\s?)*$',
    '^(\\d+)*$',
    '([a-z]+)*@',
    '(a|aa)+$',
    '^(a|a)*$',
    '(?:x[a-z]+)+!',
    '((a+)?)+$',
    '(?<secret>(?:[A-Z0-9]+-?)+)$',
    '(?=(a+)+$)',
    '(.*a){20}',
    '(?:[A-Z]+)+',
    '(a?a?)+b',
    '(?:\\d?\\d)+$',
  ])('refuses %s', (p) => {
    expect(regexRisk(p)).toMatch(/catastrophically/);
  });

  it.each([
    '(?<secret>acme_[A-Za-z0-9]{32})',
    'ACME-[0-9a-f]{40}',
    '(?<secret>ACME_(?:live|test)_[A-Za-z0-9]{24,})',
    '\\bfoo\\b.*bar.*baz',
    '^(?:[a-z]+[-_.])+[a-z0-9]+$',
    '(?:\\.[A-Za-z_$][\\w$]*)+',
    '(?:(?<![A-Za-z0-9_-])|(?<=\\\\[nrt]))(?<secret>tok_[A-Za-z0-9]{30,})(?![A-Za-z0-9_-])',
    '[a]+b',
    '(?:ab|cd)+',
    '(a+){2}',
    '[(a+)+]',
    '\\(a+\\)+',
    '(?:ab?)+',
    '(?:-?[0-9a-f]{4})+',
  ])('accepts %s', (p) => {
    expect(regexRisk(p)).toBeUndefined();
  });

  it('folds case with the i flag', () => {
    expect(regexRisk('(?:a|A)+')).toBeUndefined();
    expect(regexRisk('(?:a|A)+', 'i')).toMatch(/alternatives/);
  });

  it('accepts every pattern of the built-in rules (users copy their style)', () => {
    for (const rule of loadBuiltinRules()) {
      const patterns = [rule.pattern, rule.requires?.pattern, ...rule.context.map((c) => c.pattern), ...rule.allowlist.regexes].filter((r): r is RegExp => r !== undefined);
      for (const re of patterns) expect({ rule: rule.id, pattern: re.source, risk: regexRisk(re.source, re.flags) }).toEqual({ rule: rule.id, pattern: re.source, risk: undefined });
    }
  });

  it('is fast on long patterns', () => {
    const long = Array.from({ length: 2000 }, (_, i) => `tok${i}_[a-z]{8}`).join('|');
    const started = performance.now();
    expect(regexRisk(`(?:${long})`)).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
