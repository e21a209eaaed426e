import { describe, expect, it } from 'vitest';
import { shannonEntropy } from '../../src/detect/entropy.js';

describe('shannonEntropy', () => {
  it('is 0 for empty and one-symbol strings', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaaaaaa')).toBe(0);
  });
  it('is log2 of the alphabet for uniform strings', () => {
    expect(shannonEntropy('ab')).toBeCloseTo(1);
    expect(shannonEntropy('abcd')).toBeCloseTo(2);
    const all = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    expect(shannonEntropy(all)).toBeCloseTo(6);
  });
  it('ranks a random key above a filler', () => {
    expect(shannonEntropy('k9Xv2Lr8Qw4Zt7Mn3Bp6Yc1Hs5Jd0Fg')).toBeGreaterThan(4.5);
    expect(shannonEntropy('XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX1')).toBeLessThan(1);
  });
});
