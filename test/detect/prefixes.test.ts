// The kinds' prefixes (rules/kinds/*.yaml) as the engine's two tests: the same answers as the regexes the engine had
// written into it before the prefixes became data, and the data (not the code) decides.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compilePrefixes } from '../../src/detect/prefixes.js';
import { placeholderReason } from '../../src/detect/placeholder.js';
import { createRuleSet, rejectSecret } from '../../src/detect/engine.js';
import { BUILTIN_KINDS } from '../../src/config/builtin-kinds-data.js';
import { KINDS, type KindTable, type Rule } from '../../src/types.js';

// The engine's regexes before this data existed: the reference the data must reproduce.
const BEFORE_KNOWN = /^(?:AIza|AQ\.Ab8RN6|AQ\.Ab|GOCSPX-|ya29\.|1\/\/0|1%2[Ff]%2[Ff]0|AAAA[A-Za-z0-9_-]{7}:|GOOG)/;
const BEFORE_OWNED = /^(?:AIza|AQ\.Ab|GOCSPX-|ya29\.|1\/\/0|1%2[Ff]%2[Ff]0)/;

const PIECES = ['AIza', 'AQ.Ab8RN6', 'AQ.Ab', 'AQ.', 'GOCSPX-', 'GOCSPX', 'ya29.', 'ya29', '1//0', '1//', '1%2F%2F0', '1%2f%2F0', '1%2f%2f0', '1%2F', 'AAAA', 'GOOG', 'GOO'];
const CHARS = [...'AQaqz019_-:./%2Ff'];

function rule(over: Partial<Rule>): Rule {
  return { id: 'r', title: 'R', description: 'R', severity: 'high', kind: 'google-secret', keywords: [], keywordsIgnoreCase: false, placeholders: true, context: [], allowlist: { regexes: [], stopwords: [] }, priority: 50, references: [], examples: [], negativeExamples: [], source: 'test', ...over };
}

describe('kind prefixes', () => {
  const compiled = compilePrefixes(BUILTIN_KINDS);

  it('match what the hard-coded prefixes matched, and strip the same length', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PIECES, ''), fc.array(fc.constantFrom(...CHARS), { maxLength: 12 }), (piece, rest) => {
        const value = piece + rest.join('');
        expect(compiled.known!.test(value), value).toBe(BEFORE_KNOWN.test(value));
        expect(compiled.owned!.test(value), value).toBe(BEFORE_OWNED.test(value));
        expect(value.replace(compiled.known!, '')).toBe(value.replace(BEFORE_KNOWN, ''));
      }),
      { numRuns: 3000 },
    );
  });

  it('come from the kind files: a prefix added there is one the generic rules leave alone', () => {
    const secret = ['acme', '_', 'Zq8Lr2Vx9Kp4Tn7Wb3Hy6Jd1'].join('');
    const generic = rule({});
    const set = createRuleSet([generic]);
    expect(rejectSecret(generic, secret, secret, 0, secret.length, set.prefixes)).toBeUndefined();
    const withAcme: KindTable = { ...BUILTIN_KINDS, kinds: { ...BUILTIN_KINDS.kinds, 'generic-secret': { ...BUILTIN_KINDS.kinds['generic-secret'], prefixes: [{ literal: 'acme_' }] } } };
    const acme = createRuleSet([generic], withAcme);
    expect(rejectSecret(generic, secret, secret, 0, secret.length, acme.prefixes)).toBe('left to the rule for its prefix');
    // ownRule: false keeps the prefix for the placeholder check only.
    const notOwned: KindTable = { ...withAcme, kinds: { ...withAcme.kinds, 'generic-secret': { ...withAcme.kinds['generic-secret'], prefixes: [{ literal: 'acme_', ownRule: false }] } } };
    expect(rejectSecret(generic, secret, secret, 0, secret.length, createRuleSet([generic], notOwned).prefixes)).toBeUndefined();
  });

  it('are stripped before the placeholder check: the filler after a known prefix is judged alone', () => {
    const rest = 'Kp4Tn7Wb3Hy6Jd1'.repeat(3);
    const value = ['GOCSPX-', rest].join('');
    const userRule = rule({ kind: 'generic-secret' });
    const noPrefixes: KindTable = { ...BUILTIN_KINDS, kinds: { ...BUILTIN_KINDS.kinds } };
    for (const k of KINDS) noPrefixes.kinds[k] = { ...noPrefixes.kinds[k], prefixes: [] };
    // The two judgements differ for this value, so the test tells which one ran.
    expect(placeholderReason(rest)).not.toBe(placeholderReason(value));
    expect(rejectSecret(userRule, value, value, 0, value.length, createRuleSet([userRule]).prefixes)).toBe(`placeholder: ${placeholderReason(rest)}`);
    expect(rejectSecret(userRule, value, value, 0, value.length, createRuleSet([userRule], noPrefixes).prefixes)).toBe(`placeholder: ${placeholderReason(value)}`);
  });
});
