import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createRepo, gitEnv, type TempRepo } from '../helpers/git-repo.js';
import { defaultReaders, readBlobs, type BlobContent } from '../../src/sources/cat-file.js';
import { createBodyPool } from '../../src/sources/body-pool.js';
import { createBodyScreen } from '../../src/sources/content.js';
import { createKeywordGate } from '../../src/detect/gate.js';
import { createRuleSet } from '../../src/detect/engine.js';
import { loadBuiltinRules } from '../helpers/rules.js';

const gate = createKeywordGate(createRuleSet(loadBuiltinRules()))!;

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

describe('readBlobs with a screen', () => {
  it('gives each blob as its verdict without its bytes, and reads a path the screen declines whole', async () => {
    r = createRepo();
    r.write('plain.txt', 'nothing to see\n');
    r.write('key.txt', 'k = "AIzaSyD-example"\n');
    r.write('image.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 13]), randomBytes(5000)]));
    r.write('service-account.json', 'nothing here either\n');
    r.git('add', '.');
    r.commit('c');
    const paths = ['plain.txt', 'key.txt', 'image.png', 'service-account.json'];
    const wanted = paths.map((path) => ({ oid: r!.git('rev-parse', `HEAD:${path}`).trim(), path }));
    const got: BlobContent[] = [];
    const screen = (path: string) => (path.endsWith('.json') ? undefined : createBodyScreen(gate));
    for await (const o of readBlobs(wanted, { root: r.dir, env: gitEnv(), readers: 1, screen })) got.push(o);
    expect(got.map((o) => [o.path, o.screened ?? (o.content ? 'whole' : 'missing'), o.size ?? o.content?.length])).toEqual([
      ['plain.txt', 'clean', 15],
      ['key.txt', 'hit', 22],
      ['image.png', 'binary', 5008],
      ['service-account.json', 'whole', 20],
    ]);
    expect(got[3]!.content!.toString()).toBe('nothing here either\n');
  });

  it('hands the blobs a screen decided to onScreened at once when it takes them, and only the rest through the queue', async () => {
    r = createRepo();
    r.write('plain.txt', 'nothing to see\n');
    r.write('key.txt', 'k = "AIzaSyD-example"\n');
    r.write('service-account.json', 'nothing here either\n');
    r.git('add', '.');
    r.commit('c');
    const wanted = ['plain.txt', 'key.txt', 'logo.png', 'service-account.json'].map((path) => ({ oid: path === 'logo.png' ? 'e'.repeat(40) : r!.git('rev-parse', `HEAD:${path}`).trim(), path }));
    const screen = (path: string) => (path.endsWith('.json') ? undefined : path.endsWith('.png') ? ('binary' as const) : createBodyScreen(gate));
    const taken: string[] = [];
    // Takes the clean and binary ones, declines the hit.
    const onScreened = (b: BlobContent) => b.screened !== 'hit' && taken.push(`${b.path} ${b.screened}`) > 0;
    const queued: string[] = [];
    for await (const o of readBlobs(wanted, { root: r.dir, env: gitEnv(), readers: 1, screen, onScreened })) queued.push(`${o.path} ${o.screened ?? 'whole'}`);
    expect(taken.sort()).toEqual(['logo.png binary', 'plain.txt clean']);
    expect(queued).toEqual(['key.txt hit', 'service-account.json whole']);
  });

  it('never asks git for a blob the screen calls binary by its name', async () => {
    r = createRepo();
    r.write('a.txt', 'text\n');
    r.git('add', '.');
    r.commit('c');
    // The image's id names no object: had it been asked for, it would come back missing.
    const wanted = [
      { oid: 'e'.repeat(40), path: 'logo.png' },
      { oid: r.git('rev-parse', 'HEAD:a.txt').trim(), path: 'a.txt' },
    ];
    const got: BlobContent[] = [];
    const screen = (path: string) => (path.endsWith('.png') ? ('binary' as const) : createBodyScreen(gate));
    for await (const o of readBlobs(wanted, { root: r.dir, env: gitEnv(), readers: 1, screen })) got.push(o);
    expect(got.map((o) => [o.path, o.screened, o.size])).toEqual([
      ['logo.png', 'binary', undefined],
      ['a.txt', 'clean', 5],
    ]);
  });
});

describe('defaultReaders', () => {
  it('is one more reader than cores, at most 4', () => {
    expect([1, 2, 3, 4, 16].map((cores) => defaultReaders(cores))).toEqual([2, 3, 4, 4, 4]);
  });
});
