import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { readTree, CHUNK_BYTES } from '../../src/sources/tree.js';
import type { SourceEvent } from '../../src/types.js';
import { createRepo, tempDir, type TempRepo } from '../helpers/git-repo.js';

async function collect(it: AsyncIterable<SourceEvent>): Promise<SourceEvent[]> {
  const out: SourceEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

const paths = (events: SourceEvent[], type: SourceEvent['type']) =>
  events.filter((e) => e.type === type).map((e) => (e.type === 'fragment' ? e.fragment.path : e.path)).sort();

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

describe('readTree', () => {
  it('lists what git sees in a work tree, with tracked/untracked status, and skips ignored files', async () => {
    repo = createRepo();
    repo.write('.gitignore', 'secret.env\n');
    repo.write('tracked.txt', 'a');
    repo.git('add', '.');
    repo.commit('init');
    repo.write('untracked.txt', 'b');
    repo.write('secret.env', 'c');
    const events = await collect(readTree({ paths: ['.'], cwd: repo.dir, gitignore: true }));
    expect(paths(events, 'fragment')).toEqual(['.gitignore', 'tracked.txt', 'untracked.txt']);
    const status = Object.fromEntries(events.flatMap((e) => (e.type === 'fragment' ? [[e.fragment.path, e.fragment.git]] : [])));
    expect(status['tracked.txt']).toBe('tracked');
    expect(status['untracked.txt']).toBe('untracked');

    const all = await collect(readTree({ paths: ['.'], cwd: repo.dir, gitignore: false }));
    const allStatus = Object.fromEntries(all.flatMap((e) => (e.type === 'fragment' ? [[e.fragment.path, e.fragment.git]] : [])));
    expect(allStatus['secret.env']).toBe('ignored');
    expect(Object.keys(allStatus).some((p) => p.startsWith('.git/'))).toBe(false);
  });

  it('scans an ignored file when it is named on the command line', async () => {
    repo = createRepo();
    repo.write('.gitignore', 'secret.env\n');
    repo.write('secret.env', 'c');
    const events = await collect(readTree({ paths: ['secret.env'], cwd: repo.dir, gitignore: true }));
    expect(paths(events, 'fragment')).toEqual(['secret.env']);
  });

  it('skips symlinks, FIFOs and oversized files with a reason, and counts binary files', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'a.txt'), 'hello');
    writeFileSync(join(dir, 'big.txt'), 'x'.repeat(2000));
    writeFileSync(join(dir, 'img.bin'), Buffer.from([1, 2, 0, 3]));
    symlinkSync('/dev/zero', join(dir, 'zero'));
    execFileSync('mkfifo', [join(dir, 'pipe')]);
    const events = await collect(readTree({ paths: [dir], cwd: dir, gitignore: true, maxFileSize: 1000 }));
    expect(paths(events, 'fragment')).toEqual(['a.txt']);
    expect(paths(events, 'binary')).toEqual(['img.bin']);
    const skipped = Object.fromEntries(events.flatMap((e) => (e.type === 'skipped' ? [[e.path, e.reason]] : [])));
    expect(skipped['zero']).toMatch(/symbolic link/);
    expect(skipped['pipe']).toMatch(/FIFO/);
    expect(skipped['big.txt']).toMatch(/max-file-size/);
  });

  it('counts a file in a binary format by its name as binary without reading it, and reads a look-alike', async () => {
    const dir = tempDir();
    // Text inside: had it been read, it would be a fragment, not binary.
    writeFileSync(join(dir, 'photo.JPG'), 'not really an image');
    writeFileSync(join(dir, 'icon.svg'), '<svg/>');
    const events = await collect(readTree({ paths: [dir], cwd: dir, gitignore: true }));
    expect(paths(events, 'binary')).toEqual(['photo.JPG']);
    expect(events.find((e) => e.type === 'binary')).toMatchObject({ bytes: 0 });
    expect(paths(events, 'fragment')).toEqual(['icon.svg']);
    expect(paths(events, 'file')).toEqual(['icon.svg', 'photo.JPG']);
  });

  it('reports an unreadable file as skipped and goes on', async () => {
    if (process.getuid?.() === 0) return; // root reads everything
    const dir = tempDir();
    writeFileSync(join(dir, 'locked.txt'), 'x');
    chmodSync(join(dir, 'locked.txt'), 0);
    writeFileSync(join(dir, 'ok.txt'), 'y');
    const events = await collect(readTree({ paths: [dir], cwd: dir, gitignore: true }));
    expect(paths(events, 'skipped')).toEqual(['locked.txt']);
  });

  it('reads a big file in overlapping chunks with exact line and column offsets', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'sub'));
    const line = `${'a'.repeat(99)}\n`;
    const text = line.repeat(Math.ceil((CHUNK_BYTES * 2.5) / line.length));
    writeFileSync(join(dir, 'sub', 'big.txt'), text);
    const events = await collect(readTree({ paths: [dir], cwd: dir, gitignore: true }));
    const frags = events.filter((e) => e.type === 'fragment');
    expect(frags.length).toBeGreaterThanOrEqual(3);
    expect(frags.filter((e) => e.type === 'fragment' && e.last)).toHaveLength(1);
    const bytes = frags.reduce((n, e) => n + (e.type === 'fragment' ? e.bytes : 0), 0);
    expect(bytes).toBe(Buffer.byteLength(text));
    for (const e of frags) {
      if (e.type !== 'fragment') continue;
      // Each chunk starts at a known line: its first full line must be that line of the file.
      const { lineOffset = 0, columnOffset = 0 } = e.fragment;
      expect(columnOffset).toBeLessThan(100);
      expect(lineOffset).toBeGreaterThanOrEqual(0);
    }
  });
});
