import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../src/detect/location.js';

describe('LineIndex', () => {
  it('counts LF, CRLF and lone CR as line ends', () => {
    const text = 'a\nb\r\nc\rd';
    const idx = new LineIndex(text);
    expect(idx.position(text.indexOf('a'))).toEqual({ line: 1, column: 1 });
    expect(idx.position(text.indexOf('b'))).toEqual({ line: 2, column: 1 });
    expect(idx.position(text.indexOf('c'))).toEqual({ line: 3, column: 1 });
    expect(idx.position(text.indexOf('d'))).toEqual({ line: 4, column: 1 });
    expect([0, 1, 2, 3].map((l) => idx.lineText(l))).toEqual(['a', 'b', 'c', 'd']);
  });

  it('counts a CR-only file by CR', () => {
    const text = '[google]\rapi_key=K\rproject=x\r';
    expect(new LineIndex(text).position(text.indexOf('K'))).toEqual({ line: 2, column: 9 });
  });

  it('gives the same line numbers for a CRLF file as for its LF twin', () => {
    const lf = 'one\ntwo\nkey = K\n';
    const crlf = lf.replace(/\n/g, '\r\n');
    expect(new LineIndex(crlf).position(crlf.indexOf('K'))).toEqual(new LineIndex(lf).position(lf.indexOf('K')));
    expect(new LineIndex(crlf).lineText(2)).toBe('key = K');
  });

  it('counts columns in code points: an emoji before the key is one column', () => {
    const text = 'x = "😀é" + K';
    expect(new LineIndex(text).position(text.indexOf('K'))).toEqual({ line: 1, column: 12 });
  });

  it('adds the line and column offsets of a chunk that starts mid-file', () => {
    const idx = new LineIndex('abcK\nK');
    expect(idx.position(3, 10, 5)).toEqual({ line: 11, column: 9 });
    // The column offset applies to the chunk's first line only.
    expect(idx.position(5, 10, 5)).toEqual({ line: 12, column: 1 });
  });

  it('finds the right line in a large file (binary search)', () => {
    const lines = Array.from({ length: 5000 }, (_, i) => `line ${i}`);
    const text = lines.join('\n');
    const at = text.indexOf('line 4321');
    expect(new LineIndex(text).position(at).line).toBe(4322);
  });
});
