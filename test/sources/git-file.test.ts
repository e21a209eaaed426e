// Files as git holds them, for what a run trusts: the index (the hook) or a range's base, on real repositories.
import { describe, expect, it } from 'vitest';
import { readChangedFiles, readGitObjects, readIndexFile, readTrustedFile } from '../../src/sources/git-file.js';
import { gitEnv, useTempRepos } from '../helpers/git-repo.js';

const repo = useTempRepos();

describe('readTrustedFile', () => {
  it('reads the base of a range; a file only the head holds was added; one neither holds is the disk', async () => {
    const r = repo();
    r.write('.keyguard.yaml', 'base\n');
    r.git('add', '-A');
    const base = r.commit('base');
    r.write('.keyguard.yaml', 'head\n');
    r.write('ci/added.json', '{}\n');
    r.git('add', '-A');
    const head = r.commit('head');
    r.write('untracked.yaml', 'disk\n');
    const at = { type: 'revision' as const, rev: base, head };
    const read = await readTrustedFile(r.dir, '.keyguard.yaml', at, gitEnv());
    expect(read.from === 'git' && read.content.toString()).toBe('base\n');
    expect(await readTrustedFile(r.dir, 'ci/added.json', at, gitEnv())).toEqual({ from: 'added' });
    expect(await readTrustedFile(r.dir, 'untracked.yaml', at, gitEnv())).toEqual({ from: 'disk' });
  });

  it('reads the index in hook mode, and the disk when the file is not staged', async () => {
    const r = repo();
    r.write('.keyguard.yaml', 'staged\n');
    r.git('add', '-A');
    r.write('.keyguard.yaml', 'edited\n');
    const read = await readTrustedFile(r.dir, '.keyguard.yaml', { type: 'index' }, gitEnv());
    expect(read.from === 'git' && read.content.toString()).toBe('staged\n');
    expect(await readTrustedFile(r.dir, 'other.yaml', { type: 'index' }, gitEnv())).toEqual({ from: 'disk' });
    expect((await readIndexFile(r.dir, '.keyguard.yaml', gitEnv()))?.toString()).toBe('staged\n');
  });
});

describe('readGitObjects and readChangedFiles', () => {
  it('answer each name in order, empty files and trees included, in one call', async () => {
    const r = repo();
    r.write('empty', '');
    r.write('dir/a', 'a\n');
    r.git('add', '-A');
    const c = r.commit('one');
    const [empty, tree, missing, a, newline] = await readGitObjects(r.dir, [`${c}:empty`, `${c}:dir`, `${c}:nope`, `${c}:dir/a`, `${c}:x\ny`], gitEnv());
    expect(empty).toEqual(Buffer.alloc(0));
    expect(tree).toBeUndefined();
    expect(missing).toBeUndefined();
    expect(a?.toString()).toBe('a\n');
    expect(newline).toBeUndefined();
  });

  it('list the paths that differ between two commits, with both versions', async () => {
    const r = repo();
    r.write('same', 's\n');
    r.write('changed', '1\n');
    r.write('deleted', 'd\n');
    r.git('add', '-A');
    const from = r.commit('from');
    r.write('changed', '2\n');
    r.write('added', 'a\n');
    r.git('rm', '-q', 'deleted');
    r.git('add', '-A');
    const to = r.commit('to');
    const changes = await readChangedFiles(r.dir, from, to, ['same', 'changed', 'deleted', 'added', 'absent'], gitEnv());
    expect(changes.map((c) => [c.path, c.before?.toString(), c.after?.toString()])).toEqual([
      ['changed', '1\n', '2\n'],
      ['deleted', 'd\n', undefined],
      ['added', undefined, 'a\n'],
    ]);
  });
});
