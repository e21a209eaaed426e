// The hook as a user meets it: real repositories, real `git commit`, real husky and lefthook.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitEnv, tempDir, type TempRepo, seedRepo, useTempRepos } from '../helpers/git-repo.js';
import { BUILT_CLI, runCli } from '../helpers/cli.js';
import { snapshotRepo } from '../helpers/snapshot.js';
import { fakeGeminiAuthKey, fakeGoogleApiKey } from '../helpers/keys.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'node_modules', '.bin');
const key = fakeGeminiAuthKey(41);
const apiKey = fakeGoogleApiKey(42);

const repo = useTempRepos(seedRepo);

/** `git commit` as a person types it; hooks run for real. */
function commit(dir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const res = spawnSync('git', ['commit', '-q', ...args], { cwd: dir, env: { ...gitEnv(), PATH: `${BIN}:${process.env['PATH']}`, ...env }, encoding: 'utf8' });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

/** What `npm install --save-dev keyguard` leaves in a project: a package.json and a bin link. */
function addLocalKeyguard(r: TempRepo): void {
  r.write('package.json', '{ "name": "demo", "private": true }\n');
  r.write('.gitignore', 'node_modules/\n');
  mkdirSync(join(r.dir, 'node_modules', '.bin'), { recursive: true });
  symlinkSync(BUILT_CLI.cli, join(r.dir, 'node_modules', '.bin', 'keyguard'));
  chmodSync(BUILT_CLI.cli, 0o755);
  r.git('add', 'package.json', '.gitignore');
  r.commit('package');
}

/**
 * The working tree byte for byte, and the index by its entries: `git commit` itself refreshes the index file's
 * stat cache before hooks run, so its bytes may change; what is staged must not.
 */
function state(r: TempRepo): string {
  return `${snapshotRepo(r.dir).split('\nindex ')[0]}\n${r.git('ls-files', '--stage')}\n${r.git('diff', '--cached')}`;
}

/** The checks every integration must pass: refuse a key, let a clean commit through, commit -a and commit PATH. */
function expectGuards(r: TempRepo, env: NodeJS.ProcessEnv = {}): void {
  // A Gemini key in a new file is refused, and the hook says how to proceed.
  r.write('src/gemini.ts', `const ai = new GoogleGenAI({ apiKey: "${key}" });\n`);
  r.git('add', 'src/gemini.ts');
  const before = state(r);
  const refused = commit(r.dir, ['-m', 'add gemini'], env);
  expect(refused.status).not.toBe(0);
  expect(refused.output).toContain('keyguard blocked this commit');
  expect(refused.output).toContain('--no-verify');
  expect(refused.output).not.toContain(key);
  expect(state(r)).toBe(before);
  r.git('rm', '-q', '--cached', 'src/gemini.ts');
  r.write('src/gemini.ts', 'const ai = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY });\n');
  r.git('add', 'src/gemini.ts');
  // A clean commit goes through.
  expect(commit(r.dir, ['-m', 'clean'], env).status).toBe(0);
  // git commit -a picks up a tracked edit that was never staged: it is scanned.
  r.write('src/app.js', `export const a = 1;\nexport const key = "${apiKey}";\n`);
  expect(commit(r.dir, ['-a', '-m', 'commit -a'], env).status).not.toBe(0);
  // git commit PATH: only that path is committed and scanned; a key elsewhere in the work tree does not block it.
  r.write('README.md', '# demo\n\nMore words.\n');
  const partial = commit(r.dir, ['-m', 'readme only', 'README.md'], env);
  expect(partial.status).toBe(0);
  expect(commit(r.dir, ['-m', 'app', 'src/app.js'], env).status).not.toBe(0);
  // Partially staged file: the staged half is clean, the unstaged half has a key; the hook leaves both alone.
  r.write('src/app.js', 'export const a = 2;\n');
  r.git('add', 'src/app.js');
  r.write('src/app.js', `export const a = 2;\nexport const key = "${apiKey}";\n`);
  const beforePartial = snapshotRepo(r.dir);
  expect(commit(r.dir, ['-m', 'staged half'], env).status).toBe(0);
  const after = snapshotRepo(r.dir);
  // The commit changed the index (that is what a commit does) but not a byte of the working tree.
  expect(after.split('\nindex ')[0]).toBe(beforePartial.split('\nindex ')[0]);
  expect(readFileSync(join(r.dir, 'src/app.js'), 'utf8')).toContain(apiKey);
}

describe('keyguard install (plain git hooks)', () => {
  it('installs into .git/hooks and guards commits', async () => {
    const r = repo();
    const res = await runCli(['install'], { cwd: r.dir, env: gitEnv() });
    expect(res.exitCode).toBe(0);
    expect(res.stdout).toContain('installed the pre-commit hook');
    expect(existsSync(join(r.dir, '.git/hooks/pre-commit'))).toBe(true);
    expect((await runCli(['install'], { cwd: r.dir, env: gitEnv() })).stdout).toContain('already installed');
    expectGuards(r);
  });

  it('chains to an existing hook, and uninstall puts it back', async () => {
    const r = repo();
    const hook = join(r.dir, '.git/hooks/pre-commit');
    const mine = '#!/bin/sh\necho ran >> "$(git rev-parse --git-dir)/mine.log"\n';
    writeFileSync(hook, mine, { mode: 0o755 });
    const res = await runCli(['install'], { cwd: r.dir, env: gitEnv() });
    expect(res.stdout).toContain('kept as');
    expectGuards(r);
    expect(readFileSync(join(r.dir, '.git/mine.log'), 'utf8')).toContain('ran');
    expect((await runCli(['uninstall'], { cwd: r.dir, env: gitEnv() })).stdout).toContain('back in place');
    expect(readFileSync(hook, 'utf8')).toBe(mine);
  });

  it('replaces an existing hook only with --force, keeping a backup', async () => {
    const r = repo();
    const hook = join(r.dir, '.git/hooks/pre-commit');
    writeFileSync(hook, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    const res = await runCli(['install', '--force'], { cwd: r.dir, env: gitEnv() });
    expect(res.stdout).toContain('keyguard-backup');
    expect(readFileSync(`${hook}.keyguard-backup`, 'utf8')).toBe('#!/bin/sh\nexit 0\n');
  });

  it('honours core.hooksPath', async () => {
    const r = repo();
    r.git('config', 'core.hooksPath', '.githooks');
    await runCli(['install'], { cwd: r.dir, env: gitEnv() });
    expect(existsSync(join(r.dir, '.githooks/pre-commit'))).toBe(true);
    expectGuards(r);
  });

  it('works from a linked worktree', async () => {
    const r = repo();
    const wt = join(tempDir(), 'wt');
    r.git('worktree', 'add', '-q', '-b', 'feature', wt);
    const res = await runCli(['install'], { cwd: wt, env: gitEnv() });
    expect(res.exitCode).toBe(0);
    writeFileSync(join(wt, 'leak.env'), `GEMINI_API_KEY=${key}\n`);
    spawnSync('git', ['add', 'leak.env'], { cwd: wt, env: gitEnv() });
    expect(commit(wt, ['-m', 'leak']).status).not.toBe(0);
  });

  it('does not write into husky or lefthook folders; it says what to run instead', async () => {
    const r = repo();
    r.git('config', 'core.hooksPath', '.husky/_');
    const res = await runCli(['install'], { cwd: r.dir, env: gitEnv() });
    expect(res.exitCode).toBe(0);
    expect(res.stdout).toContain('keyguard install --husky');
    expect(existsSync(join(r.dir, '.husky/_/pre-commit'))).toBe(false);
  });

  it('fails closed when keyguard cannot run, and open only when the team chose it', async () => {
    const r = repo();
    const bad = join(tempDir(), 'index');
    writeFileSync(bad, 'not an index');
    const closed = await runCli(['staged'], { cwd: r.dir, env: { ...gitEnv(), GIT_INDEX_FILE: bad } });
    expect(closed.exitCode).toBe(2);
    expect(closed.stderr.trim().split('\n')).toHaveLength(1);
    expect(closed.stderr).toContain('KEYGUARD_HOOK_FAIL_OPEN=1');
    const open = await runCli(['staged'], { cwd: r.dir, env: { ...gitEnv(), GIT_INDEX_FILE: bad, KEYGUARD_HOOK_FAIL_OPEN: '1' } });
    expect(open.exitCode).toBe(0);
    expect(open.stderr).toContain('not checked');
  });
});

describe('husky v9', () => {
  it('keyguard install --husky adds the line and husky runs it on commit', async () => {
    const r = repo();
    addLocalKeyguard(r);
    const init = spawnSync(process.execPath, [join(ROOT, 'node_modules/husky/bin.js')], { cwd: r.dir, env: gitEnv(), encoding: 'utf8' });
    expect(init.status).toBe(0);
    mkdirSync(join(r.dir, '.husky'), { recursive: true });
    const res = await runCli(['install', '--husky'], { cwd: r.dir, env: gitEnv() });
    expect(res.stdout).toContain('added "keyguard staged"');
    expect(readFileSync(join(r.dir, '.husky/pre-commit'), 'utf8')).toBe('keyguard staged\n');
    expect(r.git('config', 'core.hooksPath').trim()).toBe('.husky/_');
    r.git('add', '.husky/pre-commit');
    commit(r.dir, ['-m', 'husky']);
    expectGuards(r);
    expect((await runCli(['uninstall', '--husky'], { cwd: r.dir, env: gitEnv() })).stdout).toContain('removed');
  });
});

describe('lefthook', () => {
  it('keyguard install --lefthook merges the job and lefthook runs it on commit', async () => {
    const r = repo();
    addLocalKeyguard(r);
    r.write('lefthook.yml', '# team hooks\npre-push:\n  jobs:\n    - run: npm test\n');
    const res = await runCli(['install', '--lefthook'], { cwd: r.dir, env: gitEnv() });
    expect(res.stdout).toContain('lefthook.yml');
    const lefthook = join(dirname(BIN), 'lefthook', 'bin', 'index.js');
    const inst = spawnSync(process.execPath, [lefthook, 'install'], { cwd: r.dir, env: { ...gitEnv(), PATH: `${BIN}:${process.env['PATH']}` }, encoding: 'utf8' });
    expect(inst.status, inst.stderr).toBe(0);
    // keyguard install now sees lefthook owns the hook and writes nothing.
    expect((await runCli(['install'], { cwd: r.dir, env: gitEnv() })).stdout).toContain('lefthook');
    r.git('add', 'lefthook.yml');
    commit(r.dir, ['-m', 'lefthook']);
    expectGuards(r);
  });
});
