import { describe, expect, it } from 'vitest';
import { codePointCount } from '../../src/text/code-points.js';

describe('codePointCount', () => {
  it('counts a surrogate pair once', () => {
    expect(codePointCount('😀😀', 0, 4)).toBe(2);
    expect(codePointCount('a😀b', 1, 3)).toBe(1);
  });

  it('counts a lone high surrogate once, without swallowing the next character', () => {
    expect(codePointCount('\ud83dK', 0, 2)).toBe(2);
  });

  it('stops at `to`, even inside a pair', () => {
    expect(codePointCount('😀', 0, 1)).toBe(1);
    expect(codePointCount('abc', 1, 1)).toBe(0);
  });
});
