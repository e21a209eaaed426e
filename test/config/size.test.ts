import { describe, expect, it } from 'vitest';
import { parseSize } from '../../src/config/size.js';

describe('parseSize', () => {
  it('reads bytes, decimal and binary units', () => {
    expect(parseSize('1000')).toBe(1000);
    expect(parseSize('10k')).toBe(10_000);
    expect(parseSize('10KB')).toBe(10_000);
    expect(parseSize('10KiB')).toBe(10_240);
    expect(parseSize('5MiB')).toBe(5 * 1024 * 1024);
    expect(parseSize('1.5G')).toBe(1_500_000_000);
  });

  it('says undefined for what is not a size', () => {
    for (const bad of ['', 'abc', '10 parsecs', '-5', '1e3']) expect(parseSize(bad)).toBeUndefined();
  });
});
