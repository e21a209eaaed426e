import { describe, expect, it } from 'vitest';
import { createBodyPool } from '../../src/sources/body-pool.js';

describe('createBodyPool', () => {
  it('reuses memory handed back for a body of the same size class, and never a body still held', () => {
    const pool = createBodyPool();
    const a = pool.take(5000);
    expect(a.length).toBe(5000);
    const b = pool.take(6000);
    expect(b.buffer).not.toBe(a.buffer);
    pool.give(a);
    const c = pool.take(7000);
    expect(c.buffer).toBe(a.buffer);
    expect(pool.take(7000).buffer).not.toBe(a.buffer);
    // Bigger than the largest class: memory of its own, not kept.
    const huge = pool.take(9 * 1024 * 1024);
    pool.give(huge);
    expect(pool.take(9 * 1024 * 1024).buffer).not.toBe(huge.buffer);
  });
});
