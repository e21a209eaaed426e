import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createRepo, gitEnv, type TempRepo } from '../helpers/git-repo.js';
import { readObjects, type BlobRead } from '../../src/sources/cat-file.js';

let r: TempRepo | undefined;
afterEach(() => r?.cleanup());

describe('readObjects', () => {
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
      yield smallOid;
      await new Promise((res) => setTimeout(res, 10));
      yield 'f'.repeat(40);
      yield bigOid;
      yield smallOid;
    }
    const got: BlobRead[] = [];
    for await (const o of readObjects(ids(), { cwd: r.dir, env: gitEnv() })) got.push(o);
    expect(got.map((o) => ('missing' in o ? 'missing' : o.size))).toEqual([6, 'missing', big.length, 6]);
    const bigRead = got[2]!;
    expect('content' in bigRead && bigRead.content.equals(big)).toBe(true);
  });

  it('returns nothing for no ids', async () => {
    r = createRepo();
    const got: BlobRead[] = [];
    for await (const o of readObjects([], { cwd: r.dir, env: gitEnv() })) got.push(o);
    expect(got).toEqual([]);
  });
});
