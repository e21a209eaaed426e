import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createRepo, gitEnv, type TempRepo } from '../helpers/git-repo.js';
import { createBodyPool, readBlobs, type BlobContent } from '../../src/sources/cat-file.js';

let r: TempRepo | undefined;
afterEach(() => r?.cleanup());

describe('readBlobs with one reader', () => {
  it('streams objects in order, large ones whole, missing ones marked, ids fed lazily', async () => {
    r = createRepo();
    const big = randomBytes(3 * 1024 * 1024);
    r.write('big.bin', big);
    r.write('small.txt', 'small\n');
    r.git('add', '.');
    r.commit('c');
    const bigOid = r.git('rev-parse', 'HEAD:big.bin').trim();
    const smallOid = r.git('rev-parse', 'HEAD:small.txt').trim();
    async function* ids() {
      yield { oid: smallOid, path: 'small.txt' };
      await new Promise((res) => setTimeout(res, 10));
      yield { oid: 'f'.repeat(40), path: 'gone.txt' };
      yield { oid: bigOid, path: 'big.bin' };
      yield { oid: smallOid, path: 'again.txt' };
    }
    const got: BlobContent[] = [];
    for await (const o of readBlobs(ids(), { root: r.dir, env: gitEnv(), readers: 1 })) got.push(o);
    expect(got.map((o) => (o.content ? o.content.length : 'missing'))).toEqual([6, 'missing', big.length, 6]);
    expect(got.map((o) => o.path)).toEqual(['small.txt', 'gone.txt', 'big.bin', 'again.txt']);
    const bigRead = got[2]!;
    expect(bigRead.content !== undefined && bigRead.content.equals(big)).toBe(true);
  });

  it('returns nothing for no ids', async () => {
    r = createRepo();
    const got: BlobContent[] = [];
    for await (const o of readBlobs([], { root: r.dir, env: gitEnv(), readers: 1 })) got.push(o);
    expect(got).toEqual([]);
  });

  it('reads into memory handed back through a body pool, each body intact while it is held', async () => {
    r = createRepo();
    const texts = Array.from({ length: 40 }, (_, i) => `${i}:`.padEnd(100 + i * 300, String.fromCharCode(97 + (i % 26))));
    texts.forEach((t, i) => r!.write(`f${i}.txt`, t));
    r.git('add', '.');
    r.commit('c');
    const oids = texts.map((_, i) => r!.git('rev-parse', `HEAD:f${i}.txt`).trim());
    const bodies = createBodyPool();
    const got: string[] = [];
    for await (const o of readBlobs(oids.map((oid, i) => ({ oid, path: `f${i}.txt` })), { root: r.dir, env: gitEnv(), readers: 1, bodies })) {
      if (!o.content) throw new Error('missing');
      got.push(o.content.toString('utf8'));
      bodies.give(o.content);
    }
    expect(got).toEqual(texts);
  });
});

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
