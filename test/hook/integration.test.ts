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

/** `git push` as a person types it; the pre-push hook runs for real. */
function push(dir: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const res = spawnSync('git', ['push', '-q', ...args], { cwd: dir, env: { ...gitEnv(), PATH: `${BIN}:${process.env['PATH']}`, ...env }, encoding: 'utf8' });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

/** A folder holding only a `keyguard` command, for PATH: keyguard installed globally, not in the project. */
function keyguardOnPath(): string {
  const dir = tempDir('keyguard-path-');
  symlinkSync(BUILT_CLI.cli, join(dir, 'keyguard'));
  chmodSync(BUILT_CLI.cli, 0o755);
  return dir;
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

  it('reports one key on one screen, with the checklist one command away', async () => {
    const r = repo();
    await runCli(['install'], { cwd: r.dir, env: gitEnv() });
    r.write('src/gemini.ts', `const ai = new GoogleGenAI({ apiKey: "${key}" });\n`);
    r.git('add', 'src/gemini.ts');
    const refused = commit(r.dir, ['-m', 'add gemini']);
    expect(refused.status).toBe(1);
    const lines = refused.output.trimEnd().split('\n');
    expect(lines.length, refused.output).toBeLessThanOrEqual(12);
    expect(refused.output).toContain('src/gemini.ts: read the key from an environment variable');
    expect(refused.output).toContain('keyguard staged --checklist');
    expect(refused.output).not.toContain('Leak response');
    const full = await runCli(['staged', '--checklist'], { cwd: r.dir, env: gitEnv() });
    expect(full.exitCode).toBe(1);
    expect(full.stdout).toContain('Leak response: 1 credential to deal with');
    expect(full.stdout).toMatch(/^ {3}1\. Create a replacement auth key/m);
    const brief = await runCli(['staged', '--brief'], { cwd: r.dir, env: gitEnv() });
    expect(brief.stdout.trimEnd().split('\n')).toHaveLength(2);
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
    expect(res.stdout).toContain('put "keyguard staged" first in .husky/pre-commit');
    expect(readFileSync(join(r.dir, '.husky/pre-commit'), 'utf8')).toBe('keyguard staged\n');
    expect(readFileSync(join(r.dir, '.husky/pre-merge-commit'), 'utf8')).toBe('keyguard staged\n');
    expect(r.git('config', 'core.hooksPath').trim()).toBe('.husky/_');
    r.git('add', '.husky/pre-commit');
    commit(r.dir, ['-m', 'husky']);
    expectGuards(r);
    expect((await runCli(['uninstall', '--husky'], { cwd: r.dir, env: gitEnv() })).stdout).toContain('removed');
  });
});

describe('husky v9 set up by husky init', () => {
  it('keyguard goes first, so it blocks the key although npm test would fail; install says what to do about npm test', async () => {
    const r = repo();
    addLocalKeyguard(r);
    // What `npx husky init` does in a fresh app with no test script: .husky/pre-commit holds `npm test`.
    const env = Object.fromEntries(Object.entries(gitEnv()).filter(([k]) => !/^npm_/i.test(k)));
    const init = spawnSync(process.execPath, [join(ROOT, 'node_modules/husky/bin.js'), 'init'], { cwd: r.dir, env, encoding: 'utf8' });
    expect(init.status, init.stderr).toBe(0);
    expect(readFileSync(join(r.dir, '.husky/pre-commit'), 'utf8')).toBe('npm test\n');
    const res = await runCli(['install', '--husky', '--pre-push'], { cwd: r.dir, env: gitEnv() });
    expect(res.exitCode).toBe(0);
    expect(res.stdout).toContain('"npm test" (husky init\'s placeholder), and this project has no test script');
    expect(res.stdout).toContain('delete that line from .husky/pre-commit');
    expect(readFileSync(join(r.dir, '.husky/pre-commit'), 'utf8')).toBe('keyguard staged\nnpm test\n');
    // Running it again changes nothing.
    expect((await runCli(['install', '--husky', '--pre-push'], { cwd: r.dir, env: gitEnv() })).stdout).toContain('already runs keyguard');
    r.write('src/gemini.ts', `const ai = new GoogleGenAI({ apiKey: "${key}" });\n`);
    r.git('add', 'src/gemini.ts');
    const refused = commit(r.dir, ['-m', 'add gemini']);
    expect(refused.status).not.toBe(0);
    expect(refused.output).toContain('keyguard blocked this commit');
    // keyguard stopped the commit before npm test ran.
    expect(refused.output).not.toMatch(/Missing script|npm (?:ERR|error)/);
    // With the placeholder gone, as install said, a clean commit goes through.
    r.git('rm', '-q', '--cached', 'src/gemini.ts');
    r.write('.husky/pre-commit', 'keyguard staged\n');
    r.git('add', '.husky', 'package.json');
    expect(commit(r.dir, ['-m', 'hooks']).status).toBe(0);
    // The husky pre-push check blocks a key committed with --no-verify.
    const remote = join(tempDir(), 'remote.git');
    spawnSync('git', ['init', '-q', '--bare', remote], { env: gitEnv() });
    r.git('remote', 'add', 'origin', remote);
    r.git('add', 'src/gemini.ts');
    expect(commit(r.dir, ['--no-verify', '-m', 'sneak']).status).toBe(0);
    const pushed = push(r.dir, ['origin', 'main']);
    expect(pushed.status).not.toBe(0);
    expect(pushed.output).toContain('keyguard blocked this push of refs/heads/main');
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

describe('lefthook with keyguard on PATH only (a Go or Ruby project)', () => {
  it('finds keyguard on PATH, then where install recorded it, and says so when it is nowhere', async () => {
    const r = repo();
    const res = await runCli(['install', '--lefthook'], { cwd: r.dir, env: gitEnv() });
    expect(res.exitCode).toBe(0);
    expect(readFileSync(join(r.dir, 'lefthook.yml'), 'utf8')).not.toContain('npx');
    const lefthook = join(dirname(BIN), 'lefthook', 'bin', 'index.js');
    const inst = spawnSync(process.execPath, [lefthook, 'install'], { cwd: r.dir, env: { ...gitEnv(), PATH: `${BIN}:${process.env['PATH']}` }, encoding: 'utf8' });
    expect(inst.status, inst.stderr).toBe(0);
    r.git('add', 'lefthook.yml');
    commit(r.dir, ['-m', 'lefthook']);
    expect(existsSync(join(r.dir, 'node_modules'))).toBe(false);
    // 1. keyguard on PATH: the install that wrote the job is forgotten, so only PATH can find it.
    r.git('config', '--unset', 'keyguard.cli');
    const onPath = { PATH: `${keyguardOnPath()}:${BIN}:${process.env['PATH']}` };
    expectGuards(r, onPath);
    // 2. Not on PATH, but recorded by keyguard install in this clone's git config.
    r.git('config', 'keyguard.cli', BUILT_CLI.cli);
    r.git('config', 'keyguard.node', BUILT_CLI.node);
    r.write('leak.env', `GEMINI_API_KEY=${key}\n`);
    r.git('add', 'leak.env');
    const recorded = commit(r.dir, ['-m', 'leak']);
    expect(recorded.status).not.toBe(0);
    expect(recorded.output).toContain('keyguard blocked this commit');
    // 3. Nowhere: the commit is blocked and the message says how to install it, not npm install keyguard alone.
    r.git('config', '--unset', 'keyguard.cli');
    const nowhere = commit(r.dir, ['-m', 'leak']);
    expect(nowhere.status).not.toBe(0);
    expect(nowhere.output).toContain('keyguard: not found');
    expect(nowhere.output).toContain('git URL or tarball');
  });
});

describe('merges, --no-verify and pushes', () => {
  it('pre-merge-commit blocks a clean merge of a branch that holds a key', async () => {
    const r = repo();
    await runCli(['install'], { cwd: r.dir, env: gitEnv() });
    expect(existsSync(join(r.dir, '.git/hooks/pre-merge-commit'))).toBe(true);
    r.git('checkout', '-q', '-b', 'feature');
    r.write('config/keys.js', `export const key = "${apiKey}";\n`);
    r.git('add', 'config/keys.js');
    expect(commit(r.dir, ['--no-verify', '-m', 'feature with a key']).status).toBe(0);
    r.git('checkout', '-q', 'main');
    r.write('README.md', '# demo\n\nmain moved on\n');
    expect(commit(r.dir, ['-a', '-m', 'main moves']).status).toBe(0);
    const merged = spawnSync('git', ['merge', '--no-edit', 'feature'], { cwd: r.dir, env: { ...gitEnv(), PATH: `${BIN}:${process.env['PATH']}` }, encoding: 'utf8' });
    expect(merged.status).not.toBe(0);
    expect(`${merged.stdout}${merged.stderr}`).toContain('keyguard blocked this commit');
    // No merge commit was made: HEAD is still main's own commit.
    expect(r.git('log', '-1', '--format=%s').trim()).toBe('main moves');
    expect(existsSync(join(r.dir, '.git/MERGE_HEAD'))).toBe(true);
  });

  it('pre-push blocks a key committed with --no-verify, on an existing branch and a new one', async () => {
    const r = repo();
    const remote = join(tempDir(), 'remote.git');
    spawnSync('git', ['init', '-q', '--bare', remote], { env: gitEnv() });
    r.git('remote', 'add', 'origin', remote);
    const res = await runCli(['install', '--pre-push'], { cwd: r.dir, env: gitEnv() });
    expect(res.stdout).toContain('installed the pre-push hook');
    // A clean first push of a new branch goes through.
    expect(push(r.dir, ['origin', 'main']).status).toBe(0);
    r.write('src/app.js', `export const key = "${apiKey}";\n`);
    expect(commit(r.dir, ['-a', '--no-verify', '-m', 'sneak']).status).toBe(0);
    r.write('README.md', '# demo\n\nlater\n');
    expect(commit(r.dir, ['-a', '-m', 'later']).status).toBe(0);
    const blocked = push(r.dir, ['origin', 'main']);
    expect(blocked.status).not.toBe(0);
    expect(blocked.output).toContain('keyguard blocked this push of refs/heads/main');
    expect(blocked.output).toContain('src/app.js');
    expect(blocked.output).not.toContain(apiKey);
    // The remote did not get it.
    expect(spawnSync('git', ['--git-dir', remote, 'log', '--format=%s', 'main'], { encoding: 'utf8' }).stdout).not.toContain('sneak');
    // A new branch: its commits on no remote-tracking branch are scanned.
    const fresh = push(r.dir, ['origin', 'main:refs/heads/feature']);
    expect(fresh.status).not.toBe(0);
    expect(fresh.output).toContain('keyguard blocked this push of refs/heads/main');
    // Take the key out (a new clean history on top of what the remote has): the push goes through.
    r.git('reset', '-q', '--hard', 'origin/main');
    r.write('README.md', '# demo\n\nclean\n');
    expect(commit(r.dir, ['-a', '-m', 'clean']).status).toBe(0);
    expect(push(r.dir, ['origin', 'main']).status).toBe(0);
    // Deleting a remote branch pushes no commits.
    expect(push(r.dir, ['origin', 'main:refs/heads/old']).status).toBe(0);
    expect(push(r.dir, ['origin', '--delete', 'old']).status).toBe(0);
    expect((await runCli(['uninstall', '--pre-push'], { cwd: r.dir, env: gitEnv() })).stdout).toContain('removed the pre-push hook');
    expect(existsSync(join(r.dir, '.git/hooks/pre-push'))).toBe(false);
    expect(existsSync(join(r.dir, '.git/hooks/pre-commit'))).toBe(true);
  });
});
