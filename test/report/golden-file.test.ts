// The golden-file helper itself: a missing file is a failure, never a file written on the spot.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expectGolden } from './golden.js';

describe('expectGolden', () => {
  it('fails on a missing golden file and writes none', () => {
    const name = 'no-such-golden-file.txt';
    const path = fileURLToPath(new URL(`./golden/${name}`, import.meta.url));
    if (process.env['UPDATE_SNAPSHOT'] === '1') return;
    expect(() => expectGolden(name, 'anything')).toThrow(/golden file test\/report\/golden\/no-such-golden-file\.txt is missing/);
    expect(existsSync(path)).toBe(false);
  });
});
