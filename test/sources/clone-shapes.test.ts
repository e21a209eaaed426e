// Every clone shape a user runs keyguard in, made here with real git from one source repository with planted keys:
// every key git still holds is found, every other file holding one is listed as skipped, and no run ends in a stack
// trace. The repositories are made once and shared by the cases (each run reads, none writes, except --fetch-missing
// on a clone of its own).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitEnv, tempDir } from '../helpers/git-repo.js';
import { runCli } from '../helpers/cli.js';
import { fakeGoogleApiKey } from '../helpers/keys.js';
import { parseName, showName } from '../../src/sources/names.js';

interface Report {
  findings: { file: string; secret: string; commit?: string }[];
  skipped: { path: string; reason: string }[];
  notes?: string[];
  incomplete?: boolean;
  stats: { commits?: number };
}

const env = gitEnv();
const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** A planted key: the file (its name as bytes) and whether it is still at HEAD. */
interface Plant {
  name: Buffer;
  key: string;
  atHead: boolean;
}

let root: string;
let source: string;
const plants: Plant[] = [];
const dirs: Record<string, string> = {};

const plant = (name: string | Buffer, seed: number, atHead = true): Plant => {
  const p = { name: Buffer.isBuffer(name) ? name : Buffer.from(name), key: fakeGoogleApiKey(seed), atHead };
  plants.push(p);
  return p;
};

function writeBytes(dir: string, name: Buffer, content: string): void {
  // A name as bytes: Node takes a Buffer path as is.
  writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), name]), content);
}

beforeAll(() => {
  root = tempDir('keyguard-shapes-');
  source = join(root, 'source');
  mkdirSync(source);
  git(source, 'init', '-q', '-b', 'main');
  git(source, 'config', 'uploadpack.allowFilter', 'true');
  git(source, 'config', 'uploadpack.allowAnySHA1InWant', 'true');
  // History: a key added then deleted, one renamed with an edit (rename detection reads both blobs), one on a branch.
  const gone = plant('old/config.js', 1, false);
  writeBytes(source, Buffer.from('old'), '');
  unlinkSync(join(source, 'old'));
  mkdirSync(join(source, 'old'));
  writeBytes(source, gone.name, `const key = "${gone.key}";\n`);
  // Found in history under the name it had when the key came (a rename introduces nothing), on disk under the new one.
  const renamed = plant('lib/before.js', 2, false);
  mkdirSync(join(source, 'lib'));
  writeFileSync(join(source, 'lib/before.js'), `${'// line\n'.repeat(20)}const k = "${renamed.key}";\n`);
  git(source, 'add', '-A');
  git(source, 'commit', '-qm', 'first');
  rmSync(join(source, 'old'), { recursive: true });
  git(source, 'mv', 'lib/before.js', 'lib/settings.js');
  writeFileSync(join(source, 'lib/settings.js'), `${'// line\n'.repeat(20)}const k = "${renamed.key}";\n// edited\n`);
  // Every name Linux allows.
  for (const [i, name] of [Buffer.from('caf\xe9.txt', 'latin1'), Buffer.from('new\nline.txt'), Buffer.from('back\\slash.txt'), Buffer.from('quote"d tab\t.txt'), Buffer.from('plain.txt')].entries()) {
    const p = plant(name, 10 + i);
    writeBytes(source, p.name, `value = "${p.key}"\n`);
  }
  git(source, 'add', '-A');
  git(source, 'commit', '-qm', 'second');
  git(source, 'checkout', '-q', '-b', 'feature');
  const branch = plant('feature.txt', 30, false);
  writeBytes(source, branch.name, `key: ${branch.key}\n`);
  git(source, 'add', '-A');
  git(source, 'commit', '-qm', 'on a branch');
  git(source, 'checkout', '-q', 'main');
  const url = `file://${source}`;
  const clone = (name: string, ...args: string[]): string => {
    git(root, 'clone', '-q', ...args, url, name);
    return (dirs[name] = join(root, name));
  };
  clone('bare.git', '--bare');
  clone('mirror.git', '--mirror');
  clone('shallow', '--depth', '1', '--no-single-branch');
  clone('blobless', '--filter=blob:none', '--no-single-branch');
  clone('fetchable', '--filter=blob:none', '--no-checkout');
  clone('treeless', '--filter=tree:0');
  clone('sparse', '--no-single-branch');
  git(dirs['sparse']!, 'sparse-checkout', 'set', 'lib');
  dirs['worktree'] = join(root, 'worktree');
  git(source, 'worktree', 'add', '-q', dirs['worktree'], 'feature');
  // A repository that lost one blob that rename detection needs: git log -M itself fails on it.
  clone('damaged', '--no-local');
  const lost = git(dirs['damaged']!, 'rev-parse', 'HEAD~1:lib/before.js').trim();
  // Unpack, so the blob is a loose object that can be removed.
  const packs = git(dirs['damaged']!, 'rev-parse', '--git-path', 'objects/pack').trim();
  const packDir = join(dirs['damaged']!, packs);
  for (const f of execFileSync('ls', [packDir], { encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.pack'))) {
    execFileSync('sh', ['-c', `mv "${join(packDir, f)}" "${root}/p.pack" && rm -f "${packDir}"/*.idx && git unpack-objects -q < "${root}/p.pack"`], { cwd: dirs['damaged'], env });
  }
  unlinkSync(join(dirs['damaged']!, '.git', 'objects', lost.slice(0, 2), lost.slice(2)));
  // A superproject with the source as a submodule.
  dirs['super'] = join(root, 'super');
  mkdirSync(dirs['super']);
  git(dirs['super'], 'init', '-q', '-b', 'main');
  writeFileSync(join(dirs['super'], 'top.txt'), 'nothing here\n');
  git(dirs['super'], '-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', url, 'sub');
  git(dirs['super'], 'add', '-A');
  git(dirs['super'], 'commit', '-qm', 'with a submodule');
  dirs['full'] = source;
});

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

async function run(dir: string, args: string[]): Promise<{ exitCode: number; stderr: string; report: Report }> {
  const res = await runCli([...args, '--format', 'json', '--show-secrets'], { cwd: dir, env });
  // Never a stack trace, whatever happened.
  expect(res.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/);
  expect(res.exitCode, res.stderr).not.toBe(2);
  return { exitCode: res.exitCode, stderr: res.stderr, report: JSON.parse(res.stdout) as Report };
}

/** Which plants a report found (by name and key), and which it lists as skipped; the rest it missed in silence. */
function account(report: Report, which: Plant[]): { found: Plant[]; skipped: Plant[]; silent: Plant[] } {
  const out = { found: [] as Plant[], skipped: [] as Plant[], silent: [] as Plant[] };
  for (const p of which) {
    const shown = showName(p.name);
    if (report.findings.some((f) => f.secret === p.key && f.file === shown)) out.found.push(p);
    else if (report.skipped.some((s) => s.path === shown)) out.skipped.push(p);
    else out.silent.push(p);
  }
  return out;
}

const names = (ps: Plant[]): string[] => ps.map((p) => showName(p.name)).sort();

describe('keyguard history in every clone shape', () => {
  it.each(['full', 'bare.git', 'mirror.git', 'worktree', 'sparse'])('%s: every key in every commit is found, at its name', async (shape) => {
    const { report, exitCode } = await run(dirs[shape]!, ['history']);
    expect(exitCode).toBe(1);
    expect(names(account(report, plants).found)).toEqual(names(plants));
    expect(report.skipped).toEqual([]);
    expect(report.incomplete).toBeUndefined();
    // The renamed file's key was introduced by the first commit, under its old name: a rename introduces nothing.
    expect(report.findings.filter((f) => f.file === 'lib/settings.js')).toEqual([]);
    expect(report.findings.some((f) => f.file === 'lib/before.js')).toBe(true);
  });

  it('shallow: the keys of the commits it holds are found, and the report says it is incomplete', async () => {
    const { report, stderr } = await run(dirs['shallow']!, ['history']);
    const heads = plants.filter((p) => p.atHead || showName(p.name) === 'feature.txt');
    expect(account(report, heads).silent).toEqual([]);
    expect(report.incomplete).toBe(true);
    expect(stderr).toMatch(/shallow clone/);
  });

  it('blobless: present blobs are scanned, missing ones listed as skipped and counted, nothing is fetched', async () => {
    const dir = dirs['blobless']!;
    const missingBefore = git(dir, 'rev-list', '--objects', '--all', '--missing=print').split('\n').filter((l) => l.startsWith('?')).length;
    const { report, stderr } = await run(dir, ['history']);
    const { found, skipped, silent } = account(report, plants);
    expect(silent).toEqual([]);
    // HEAD's files were checked out, so their blobs are here and found; the rest are only listed.
    expect(names(found)).toEqual(names(plants.filter((p) => p.atHead)));
    expect(skipped.length).toBeGreaterThan(0);
    expect(report.incomplete).toBe(true);
    const line = stderr.split('\n').find((l) => /blob\(s\) are not in this partial clone/.test(l));
    expect(line).toMatch(/^keyguard: warning: \d+ blob\(s\)/);
    expect(line).toContain('--fetch-missing');
    expect(line).toContain('fetch.negotiationAlgorithm=noop fetch origin');
    // Nothing was fetched.
    expect(git(dir, 'rev-list', '--objects', '--all', '--missing=print').split('\n').filter((l) => l.startsWith('?')).length).toBe(missingBefore);
  });

  it('the command it prints fetches what is missing (git 2.39 and later)', () => {
    const dir = join(root, 'by-hand');
    git(root, 'clone', '-q', '--filter=blob:none', '--no-checkout', `file://${source}`, 'by-hand');
    const count = (): number => git(dir, 'rev-list', '--objects', '--all', '--missing=print').split('\n').filter((l) => l.startsWith('?')).length;
    expect(count()).toBeGreaterThan(0);
    execFileSync('sh', ['-c', "git rev-list --objects --all --missing=print | grep '^?' | cut -c2- | git -c fetch.negotiationAlgorithm=noop fetch origin --no-tags --no-write-fetch-head --recurse-submodules=no --filter=blob:none --stdin"], { cwd: dir, env, stdio: 'ignore' });
    expect(count()).toBe(0);
  });

  it('--fetch-missing fetches the missing blobs in one batch and finds what a full clone finds', async () => {
    const full = await run(dirs['full']!, ['history']);
    const { report, stderr } = await run(dirs['fetchable']!, ['history', '--fetch-missing']);
    expect(stderr).toMatch(/fetched \d+ missing object\(s\) from origin/);
    expect(report.skipped).toEqual([]);
    expect(report.incomplete).toBeUndefined();
    const keyOf = (f: { file: string; secret: string; commit?: string }): string => `${f.file}\0${f.secret}\0${f.commit}`;
    expect(report.findings.map(keyOf).sort()).toEqual(full.report.findings.map(keyOf).sort());
  });

  it('treeless: the files of the commits whose trees are present are scanned, and the report says what was not', async () => {
    const { report, stderr } = await run(dirs['treeless']!, ['history']);
    expect(names(account(report, plants.filter((p) => p.atHead)).found)).toEqual(names(plants.filter((p) => p.atHead)));
    expect(report.incomplete).toBe(true);
    expect(stderr).toMatch(/could not list what \d+ commit\(s\) changed/);
  });

  it('a repository missing a blob that rename detection needs: the log goes on without renames, the blob is skipped', async () => {
    const { report, stderr } = await run(dirs['damaged']!, ['history']);
    const { silent, skipped } = account(report, plants);
    expect(silent).toEqual([]);
    expect(names(skipped)).toEqual(['lib/before.js']);
    // The edited, renamed file is a new file now, and its key is still found there.
    expect(report.findings.some((f) => f.file === 'lib/settings.js')).toBe(true);
    expect(report.incomplete).toBe(true);
    expect(stderr).toMatch(/renamed files are listed as added/);
    expect(stderr).toMatch(/1 blob\(s\) are missing from this repository/);
  });

  it('submodule: the superproject skips the gitlink, the submodule has its own history', async () => {
    const top = await run(dirs['super']!, ['history']);
    expect(top.exitCode).toBe(0);
    expect(top.report.skipped).toEqual([]);
    const sub = await run(join(dirs['super']!, 'sub'), ['history']);
    expect(names(account(sub.report, plants.filter((p) => p.atHead || showName(p.name) === 'old/config.js')).found).length).toBeGreaterThan(0);
    expect(account(sub.report, plants.filter((p) => p.atHead)).silent).toEqual([]);
    // On disk, the superproject's scan goes into the submodule's work tree, as its own git lists it.
    const disk = await run(dirs['super']!, ['scan', '.']);
    const inSub = plants.filter((p) => p.atHead).map((p) => ({ ...p, name: Buffer.concat([Buffer.from('sub/'), p.name]) }));
    expect(names(account(disk.report, inSub).found)).toEqual(names(inSub));
  });

  it('--range .. (empty CI variables) says in one line that the range holds no commit', async () => {
    const res = await runCli(['history', '--range', '..'], { cwd: dirs['full']!, env });
    expect(res.exitCode).toBe(0);
    expect(res.stderr).toMatch(/^keyguard: warning: --range \.\.: no commit in this range/m);
  });
});

describe('keyguard scan in every shape', () => {
  it('in a bare repository or a .git folder: exit 2, and how to scan its history', async () => {
    for (const dir of [dirs['mirror.git']!, join(dirs['full']!, '.git'), join(dirs['full']!, '.git', 'objects')]) {
      const res = await runCli(['scan', '.'], { cwd: dir, env });
      expect(res.exitCode).toBe(2);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(/git directory .* keyguard history/);
    }
  });

  it.each(['full', 'worktree', 'sparse', 'blobless'])('%s work tree: every file on disk with a key is found at its name', async (shape) => {
    const { report } = await run(dirs[shape]!, ['scan', '.']);
    const renamed = plants.find((p) => showName(p.name) === 'lib/before.js')!;
    const onDisk = [...plants.filter((p) => p.atHead && shape !== 'sparse'), { ...renamed, name: Buffer.from('lib/settings.js') }];
    expect(account(report, onDisk).silent).toEqual([]);
    expect(names(account(report, onDisk).found)).toEqual(names(onDisk));
  });

  it('shows names that are not plain in C-style quotes, which parseName turns back into the bytes', async () => {
    const { report } = await run(dirs['full']!, ['scan', '.']);
    const shown = report.findings.map((f) => f.file);
    expect(shown).toContain('"caf\\351.txt"');
    expect(shown).toContain('"new\\nline.txt"');
    expect(shown).toContain('"back\\\\slash.txt"');
    for (const p of plants.filter((x) => x.atHead)) expect(parseName(showName(p.name))).toEqual(p.name);
  });
});
