import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createKeywordGate } from '../../src/detect/gate.js';
import { createRuleSet } from '../../src/detect/engine.js';
import { loadBuiltinRules } from '../helpers/rules.js';

const set = createRuleSet(loadBuiltinRules());
const gate = createKeywordGate(set)!;
const keywords = [...set.owners.values()].flat().map((o) => o.keyword);

describe('createKeywordGate', () => {
  it('exists for the built-in rules', () => {
    expect(gate).toBeTypeOf('function');
  });

  it('passes every keyword at every offset and in any case, and rejects text without one', () => {
    for (const k of keywords) {
      for (let pad = 0; pad < 4; pad++) {
        expect(gate(Buffer.from(`${'x'.repeat(pad)}${k}`)), k).toBe(true);
        expect(gate(Buffer.from(`${'-'.repeat(pad)}${k}${'-'.repeat(pad)}`)), k).toBe(true);
      }
    }
    expect(gate(Buffer.from('const total = items.reduce((a, b) => a + b, 0);\n'))).toBe(false);
    expect(gate(Buffer.from(''))).toBe(false);
  });

  it('agrees with the prefilter regex on random text', () => {
    const alphabet = [...'googleGEMINIaizaAQ.Ab8RN61//0ya29.xyz-_ '];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 200 }), fc.constantFrom(...keywords, ''), fc.nat(200), (chars, k, at) => {
        const s = chars.join('');
        const text = s.slice(0, at) + k + s.slice(at);
        const re = new RegExp(set.prefilter!.source, 'gi');
        const expected = re.test(text);
        return gate(Buffer.from(text)) === expected;
      }),
      { numRuns: 2000 },
    );
  });
});
