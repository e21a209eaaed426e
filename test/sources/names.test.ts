import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseName, showName, splitNulBytes } from '../../src/sources/names.js';

describe('showName', () => {
  it('shows plain UTF-8 names as they are, and the rest in git\'s C-style quoting', () => {
    expect(showName(Buffer.from('src/app.ts'))).toBe('src/app.ts');
    expect(showName(Buffer.from('docs/café.md'))).toBe('docs/café.md');
    expect(showName(Buffer.from('caf\xe9.txt', 'latin1'))).toBe('"caf\\351.txt"');
    expect(showName(Buffer.from('new\nline.txt'))).toBe('"new\\nline.txt"');
    expect(showName(Buffer.from('back\\slash.txt'))).toBe('"back\\\\slash.txt"');
    expect(showName(Buffer.from('say "hi".txt'))).toBe('"say \\"hi\\".txt"');
    // A valid character beside an invalid byte stays a character.
    expect(showName(Buffer.concat([Buffer.from('é'), Buffer.from([0xff])]))).toBe('"é\\377"');
  });

  it('quotes as git ls-files does', () => {
    // Checked against git 2.39 (core.quotePath=false): "a\tb", "\001"; a byte that is not UTF-8 git prints raw
    // there, and as "caf\351" with core.quotePath on (its default), which is the form kept here.
    expect(showName(Buffer.from('a\tb'))).toBe('"a\\tb"');
    expect(showName(Buffer.from([0x01]))).toBe('"\\001"');
  });

  it('is reversible for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (bytes) => {
        const name = Buffer.from(bytes);
        expect(parseName(showName(name))).toEqual(name);
      }),
      { numRuns: 500 },
    );
  });
});

describe('splitNulBytes', () => {
  it('splits a -z list into names as bytes, the last with or without its NUL', () => {
    expect(splitNulBytes(Buffer.from('a\0b\xe9\0', 'latin1')).map((b) => b.toString('latin1'))).toEqual(['a', 'b\xe9']);
    expect(splitNulBytes(Buffer.from('a\0b')).map(String)).toEqual(['a', 'b']);
  });
});
