import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createKeywordGate } from '../../src/detect/gate.js';
import { streamGate } from '../../src/detect/gate-stream.js';
import { createRuleSet } from '../../src/detect/engine.js';
import { loadBuiltinRules } from '../helpers/rules.js';

const set = createRuleSet(loadBuiltinRules());
const keywords = [...set.owners.values()].flat().map((o) => o.keyword);
const gates = [
  ['WebAssembly', createKeywordGate(set)!],
  ['JavaScript', createKeywordGate(set, { engine: 'js' })!],
] as const;

/** Push `bytes` to a new stream of `gate`, cut at `cuts` (offsets, any order). */
function streamed(gate: (typeof gates)[number][1], bytes: Uint8Array, cuts: number[]): boolean {
  const s = gate.stream!();
  const at = [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b);
  let from = 0;
  let hit = false;
  for (const to of [...at, bytes.length]) {
    hit = s.push(bytes.subarray(from, to)) || hit;
    from = to;
  }
  return hit;
}

describe.each(gates)('the %s gate over content in parts', (_engine, gate) => {
  it('gives the answer the whole gets, however the content is cut', () => {
    const alphabet = [...'googleGOOGgemINIaizaAIzaAQ.Ab8RN61//0ya29.xyz-_ \n', 'AIza', 'Gemini', 'QUl6Y', 'client_secret', 'GOCSPX-'];
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...alphabet), { maxLength: 300 }),
        fc.constantFrom(...keywords, ''),
        fc.nat(300),
        fc.array(fc.nat(400), { maxLength: 12 }),
        (chars, k, at, cuts) => {
          const s = chars.join('');
          const bytes = Buffer.from(s.slice(0, at) + k + s.slice(at));
          return streamed(gate, bytes, cuts) === gate(bytes);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('finds a keyword cut at every byte of it, in parts larger than its window, and in empty parts', () => {
    const filler = Buffer.alloc(2 * 1024 * 1024 + 5, 'abcdefghij ');
    expect(streamed(gate, filler, [1, 1, 1024 * 1024, 1024 * 1024 + 3])).toBe(false);
    for (const word of ['AIza', 'gserviceaccount.com', 'GoOgLe']) {
      for (const near of [0, 1024 * 1024 - 7, 1024 * 1024 + 1, filler.length - word.length]) {
        const bytes = Buffer.from(filler);
        bytes.write(word, near, 'latin1');
        for (let cut = near - 1; cut <= near + word.length; cut++) expect(streamed(gate, bytes, [cut, cut]), `${word} at ${near}, cut at ${cut}`).toBe(true);
        expect(streamed(gate, bytes, []), `${word} at ${near}, whole`).toBe(true);
      }
    }
  });

  it('keeps each stream apart when their parts interleave', () => {
    const a = gate.stream!();
    const b = gate.stream!();
    expect(a.push(Buffer.from('const x = "AI'))).toBe(false);
    expect(b.push(Buffer.from('plain text with no'))).toBe(false);
    expect(b.push(Buffer.from('za keyword in it'))).toBe(false);
    expect(a.push(Buffer.from('zaSy";'))).toBe(true);
  });
});

describe('streamGate', () => {
  it('refuses a window no longer than the longest keyword', () => {
    expect(() => streamGate(new Uint8Array(4), 5, () => false)).toThrow(/window/);
  });
});
