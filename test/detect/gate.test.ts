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

  it('looks for a keyword of case-sensitive rules in its own case only, and folds case where a rule ignores it', () => {
    // AIza belongs to case-sensitive rules only: the prefilter finds "aiza" too, but no rule takes it.
    expect(gate(Buffer.from('const x = "aiza and AIZA";\n'))).toBe(false);
    expect(gate(Buffer.from('const x = "AIza";\n'))).toBe(true);
    // gemini is a keyword of rules that ignore case.
    expect(gate(Buffer.from('GEMINI_MODEL=pro\n'))).toBe(true);
    expect(gate(Buffer.from('gEmInI\n'))).toBe(true);
  });

  /** What the engine's prefilter does with a text: does any keyword it finds activate a rule? */
  const activates = (text: string): boolean => {
    const re = new RegExp(set.prefilter!.source, 'gi');
    for (let m = re.exec(text); m; m = re.exec(text)) {
      for (const owner of set.owners.get(m[0].toLowerCase()) ?? []) if (owner.ignoreCase || text.startsWith(owner.keyword, m.index)) return true;
    }
    return false;
  };

  it('never says no where the prefilter would activate a rule, on random text', () => {
    const alphabet = [...'googleGOOGgemINIaizaAIzaAQ.Ab8RN61//0ya29.xyz-_ ', 'AIza', 'aIZA', 'Gemini', 'QUl6Y', 'qul6y'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 200 }), fc.constantFrom(...keywords, ...keywords.map((k) => k.toUpperCase()), ''), fc.nat(200), (chars, k, at) => {
        const s = chars.join('');
        const text = s.slice(0, at) + k + s.slice(at);
        return !activates(text) || gate(Buffer.from(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('says yes only where some keyword occurs in a case its rules take', () => {
    const lowered = [...set.owners].map(([key, owners]) => ({ key, fold: owners.some((o) => o.ignoreCase), spellings: owners.map((o) => o.keyword) }));
    const occurs = (text: string): boolean => lowered.some((w) => (w.fold ? text.toLowerCase().includes(w.key) : w.spellings.some((sp) => text.includes(sp))));
    const alphabet = [...'googleGOOGgemINIaizaAIzaAQ.Ab8RN61//0ya29.xyz-_ '];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 300 }), (chars) => {
        const text = chars.join('');
        return gate(Buffer.from(text)) === occurs(text);
      }),
      { numRuns: 3000 },
    );
  });
});
