import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createKeywordGate } from '../../src/detect/gate.js';
import { createRuleSet } from '../../src/detect/engine.js';
import { loadBuiltinRules } from '../helpers/rules.js';

const set = createRuleSet(loadBuiltinRules());
const keywords = [...set.owners.values()].flat().map((o) => o.keyword);
const jsGate = createKeywordGate(set, { engine: 'js' })!;
const wasmGate = createKeywordGate(set)!;

describe('the WebAssembly gate', () => {
  it('is what createKeywordGate gives by default, not the JavaScript one', () => {
    expect(wasmGate).toBeTypeOf('function');
    expect(wasmGate).not.toBe(jsGate);
    expect(wasmGate.toString()).not.toBe(jsGate.toString());
  });

  it('gives way to the JavaScript gate where WebAssembly cannot run (node --jitless)', () => {
    const g = globalThis as Record<string, unknown>;
    const saved = g['WebAssembly'];
    delete g['WebAssembly'];
    try {
      const fallback = createKeywordGate(set)!;
      expect(fallback.toString()).toBe(jsGate.toString());
      expect(fallback(Buffer.from('const k = "AIza";'))).toBe(true);
      expect(fallback(Buffer.from('const total = 1;'))).toBe(false);
    } finally {
      g['WebAssembly'] = saved;
    }
  });

  it('answers as the JavaScript gate does, on random text with keywords planted', () => {
    const alphabet = [...'googleGOOGgemINIaizaAIzaAQ.Ab8RN61//0ya29.xyz-_ \n', 'AIza', 'Gemini', 'QUl6Y', 'client_secret', 'GOCSPX-'];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...alphabet), { maxLength: 400 }), fc.constantFrom(...keywords, ''), fc.nat(400), (chars, k, at) => {
        const s = chars.join('');
        const bytes = Buffer.from(s.slice(0, at) + k + s.slice(at));
        return wasmGate(bytes) === jsGate(bytes);
      }),
      { numRuns: 3000 },
    );
  });

  it('finds a keyword anywhere in content larger than its window, across every window boundary', () => {
    const filler = Buffer.alloc(3 * 1024 * 1024 + 17, 'abcdefghij ');
    expect(wasmGate(filler)).toBe(false);
    // Around each multiple of 1 MiB (the window) and near both ends, at every alignment of a short and a long keyword.
    for (const word of ['AIza', 'gserviceaccount.com', 'GoOgLe']) {
      for (const near of [0, 1024 * 1024, 2 * 1024 * 1024, 3 * 1024 * 1024, filler.length - word.length]) {
        for (let shift = -word.length - 3; shift <= 3; shift++) {
          const at = Math.min(Math.max(0, near + shift), filler.length - word.length);
          const bytes = Buffer.from(filler);
          bytes.write(word, at, 'latin1');
          expect(wasmGate(bytes), `${word} at ${at}`).toBe(true);
          expect(jsGate(bytes), `${word} at ${at}`).toBe(true);
        }
      }
    }
  });
});

describe.each([
  ['WebAssembly', wasmGate],
  ['JavaScript', jsGate],
])('createKeywordGate (%s)', (_engine, gate) => {
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
