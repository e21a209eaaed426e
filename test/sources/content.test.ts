import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createBodyScreen, screenBytes } from '../../src/sources/content.js';
import { createKeywordGate } from '../../src/detect/gate.js';
import { createRuleSet } from '../../src/detect/engine.js';
import { loadBuiltinRules } from '../helpers/rules.js';

const gate = createKeywordGate(createRuleSet(loadBuiltinRules()))!;

/** The screen's answer for `bytes` pushed in parts cut at `cuts`. */
function screenInParts(bytes: Buffer, cuts: number[]): ReturnType<typeof screenBytes> {
  const screen = createBodyScreen(gate)!;
  let from = 0;
  for (const to of [...new Set(cuts.map((c) => Math.min(c, bytes.length)))].sort((a, b) => a - b).concat(bytes.length)) {
    screen.push(bytes.subarray(from, to));
    from = to;
  }
  return screen.end();
}

describe('createBodyScreen', () => {
  it('answers as screenBytes does on the whole: binary, clean, or scan it', () => {
    const piece = fc.constantFrom('const a = 1;\n', 'AIza', 'gemini', '\0', '\xff\xfe', '\xfe\xff', 'x'.repeat(3000), 'é', '');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), fc.array(fc.nat(20000), { maxLength: 6 }), (pieces, cuts) => {
        const bytes = Buffer.from(pieces.join(''), 'latin1');
        return screenInParts(bytes, cuts) === screenBytes(bytes, gate);
      }),
      { numRuns: 2000 },
    );
  });

  it('calls binary a NUL in the first 8,000 bytes only, as screenBytes does', () => {
    const late = Buffer.alloc(9000, 'a');
    late[8000] = 0;
    expect(screenInParts(late, [4000, 7999])).toBe('clean');
    expect(screenBytes(late, gate)).toBe('clean');
    const early = Buffer.alloc(9000, 'a');
    early[7999] = 0;
    expect(screenInParts(early, [4000, 7999])).toBe('binary');
  });

  it('sees a UTF-16 byte order mark cut after its first byte, and never gates UTF-16', () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('plain\0text', 'utf16le')]);
    expect(screenInParts(utf16, [1])).toBe(undefined);
    expect(screenInParts(Buffer.alloc(0), [])).toBe('clean');
  });

  it('is undefined for a gate that cannot stream', () => {
    expect(createBodyScreen(() => true)).toBeUndefined();
  });
});
