import { afterEach, describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createRepo, gitEnv, type TempRepo } from '../helpers/git-repo.js';
import fc from 'fast-check';
import { createBatchParser, createBodyPool, createDealer, defaultReaders, MAX_DEALT_PATHS, readBlobs, type BlobContent, type BlobRead } from '../../src/sources/cat-file.js';
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

describe('createBatchParser with screens', () => {
  const bodies = [
    Buffer.from('const total = 1;\n'),
    Buffer.from('const key = "AIzaSyD-example";\n'),
    Buffer.concat([Buffer.from('PNG'), Buffer.alloc(20), Buffer.from('AIza')]),
    Buffer.alloc(0),
    Buffer.alloc(70000, 'plain words\n'),
    Buffer.concat([Buffer.alloc(70000, 'x'), Buffer.from('gemini')]),
  ];
  const output = Buffer.concat([
    ...bodies.flatMap((b, i) => [Buffer.from(`${String(i).repeat(40)} blob ${b.length}\n`), b, Buffer.from('\n')]),
    Buffer.from(`${'f'.repeat(40)} missing\n`),
  ]);

  /**
   * Objects parsed from `output` cut at `cuts`; with `screenAll` false every other object is read whole. Each part is
   * handed over in the same memory, overwritten once the parser returns, as the socket reader does.
   */
  const parseCut = (cuts: number[], screenAll: boolean): BlobRead[] => {
    const got: BlobRead[] = [];
    let n = 0;
    const parse = createBatchParser((size) => Buffer.alloc(size), (o) => got.push(o), () => (screenAll || n++ % 2 === 0 ? createBodyScreen(gate) : undefined));
    const shared = Buffer.alloc(output.length);
    let from = 0;
    for (const to of [...new Set(cuts)].sort((a, b) => a - b).concat(output.length)) {
      const part = shared.subarray(0, to - from);
      output.copy(part, 0, from, to);
      parse(part);
      part.fill(0x5a);
      from = to;
    }
    return got;
  };

  it('says a keyword is there, with its size, however the body is cut, down to parts of one byte', () => {
    const start = output.indexOf('AIzaSyD') - 60;
    for (let c = start; c < start + 120; c++) {
      const got = parseCut([c, c + 1, c + 2], true);
      expect(got.map((o) => ('screened' in o ? `${o.screened} ${o.size}` : 'whole')).slice(0, 2), `cut at ${c}`).toEqual(['clean 17', `hit ${bodies[1]!.length}`]);
    }
  });

  it('hands over each body screened as its verdict, every other whole, however git cuts its output and its memory is reused', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(output.length), { maxLength: 10 }), fc.boolean(), (cuts, screenAll) => {
        // Every other object is read whole (as a file named like a credential is).
        const got = parseCut(cuts, screenAll);
        expect(got).toHaveLength(bodies.length + 1);
        got.slice(0, bodies.length).forEach((o, i) => {
          expect('missing' in o).toBe(false);
          if ('screened' in o) {
            expect(o.screened).toBe(i === 2 ? 'binary' : i === 1 || i === 5 ? 'hit' : 'clean');
            expect(o.size).toBe(bodies[i]!.length);
          } else if ('content' in o) expect(o.content.equals(bodies[i]!)).toBe(true);
        });
        expect(got[bodies.length]).toEqual({ oid: 'f'.repeat(40), missing: true });
        if (screenAll) expect(got.slice(0, bodies.length).map((o) => ('screened' in o ? o.screened : 'whole'))).toEqual(['clean', 'hit', 'binary', 'clean', 'clean', 'hit']);
        else expect(got.filter((o) => 'content' in o)).toHaveLength(3);
      }),
      { numRuns: 300 },
    );
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

describe('createDealer', () => {
  it('sends every version of a path to the reader that got the path first, and a new path to the least busy', () => {
    const waiting = new Map([['a', 0], ['b', 0]]);
    const laneFor = createDealer(['a', 'b'], (l) => waiting.get(l)!);
    expect(laneFor('src/app.ts')).toBe('a');
    waiting.set('a', 5);
    // A path already dealt stays with its reader, however busy that one is.
    expect(laneFor('src/app.ts')).toBe('a');
    expect(laneFor('README.md')).toBe('b');
    waiting.set('b', 9);
    expect(laneFor('README.md')).toBe('b');
    expect(laneFor('package.json')).toBe('a');
    expect(laneFor('src/app.ts')).toBe('a');
  });

  it('with one reader deals everything to it, and past its memory of paths still deals each path to a reader', () => {
    expect(createDealer(['only'], () => 0)('x')).toBe('only');
    const waiting = { a: 0, b: 1 };
    const laneFor = createDealer(['a', 'b'] as const, (l) => waiting[l]);
    expect(laneFor('first')).toBe('a');
    waiting.a = 2;
    for (let i = 0; i < MAX_DEALT_PATHS; i++) laneFor(`p${i}`);
    // The memory started afresh: the first path is dealt again, to whichever is least busy now.
    expect(laneFor('first')).toBe('b');
  });
});

describe('defaultReaders', () => {
  it('is one more reader than cores, at most 4', () => {
    expect([1, 2, 3, 4, 16].map((cores) => defaultReaders(cores))).toEqual([2, 3, 4, 4, 4]);
  });
});
