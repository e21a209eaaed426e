// The pre-commit framework (https://pre-commit.com) for real: pre-commit from PyPI in a cached venv, real `git commit`s
// in fresh repositories, in both forms the README gives: `repo: local` (keyguard from the project's node_modules, the
// block `keyguard install --pre-commit` prints) and this repository as a hook repository (`.pre-commit-hooks.yaml`,
// `language: node`: pre-commit clones HEAD and installs it with npm, whose `prepare` builds the CLI).
//
// pre-commit stashes unstaged changes while hooks run and puts them back afterwards; that is the framework's doing.
// What these tests hold keyguard (and the pair) to: the user's index and working tree are the same, byte for byte,
// after the commit as before it.
//
// Caches, under node_modules/.cache/keyguard (so `npm ci` on a fresh clone starts cold, as CI does):
//   pre-commit-venv-<version>/   the framework itself (python3 -m venv + pip)
//   pre-commit-home/<HEAD sha>/  PRE_COMMIT_HOME for the hook-repository form: the installed hook environment,
//                                reused while HEAD stays the same; homes of other commits unused for 10 minutes
//                                are removed.
// Nothing is written to ~/.cache. Without python3, venv or pip, the tests skip locally and fail in CI.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { gitEnv, tempDir, type TempRepo, seedRepo, useTempRepos } from '../helpers/git-repo.js';
import { runCli } from '../helpers/cli.js';
import { snapshotRepo } from '../helpers/snapshot.js';
import { fakeGeminiAuthKey, fakeGoogleApiKey } from '../helpers/keys.js';

/** The pre-commit release these tests run (README: "tested with pre-commit 4.6.2"). */
const PRE_COMMIT_VERSION = '4.6.2';
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CACHE = join(ROOT, 'node_modules', '.cache', 'keyguard');
const VENV = join(CACHE, `pre-commit-venv-${PRE_COMMIT_VERSION}`);
const PRE_COMMIT = join(VENV, 'bin', 'pre-commit');
const HOMES = join(CACHE, 'pre-commit-home');
const IN_CI = !!process.env['CI'] && process.env['CI'] !== 'false' && process.env['CI'] !== '0';

const key = fakeGeminiAuthKey(51);
const apiKey = fakeGoogleApiKey(52);

type Setup = { ok: true } | { ok: false; reason: string };

/** The last lines a failed command printed, or why it could not start. */
function why(res: SpawnSyncReturns<string>): string {
  if (res.error) return res.error.message;
  const text = `${res.stdout ?? ''}${res.stderr ?? ''}`.trim().split('\n').slice(-6).join(' | ');
  return `exit ${res.status ?? res.signal}: ${text}`;
}

/** A shell's environment, not `npm test`'s: the npm_* variables npm adds would steer the npm pre-commit runs. */
function shellEnv(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(base).filter(([name]) => !/^npm_/i.test(name)));
}

const sleep = (ms: number): void => void Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);

/** One process at a time builds the venv (two `npm test` runs may share this checkout). */
function withLock<T>(lock: string, fn: () => T): T {
  const deadline = Date.now() + 10 * 60_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = existsSync(lock) ? Date.now() - statSync(lock).mtimeMs : 0;
      if (age > 10 * 60_000) rmSync(lock, { recursive: true, force: true }); // left by a run that was killed
      else if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      else sleep(500);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function installedVersion(): string | undefined {
  const res = spawnSync(PRE_COMMIT, ['--version'], { encoding: 'utf8' });
  return res.status === 0 ? res.stdout.trim().replace(/^pre-commit\s+/, '') : undefined;
}

/** pre-commit from PyPI in its own venv, built once and kept (a venv cannot be moved, so a marker says it is whole). */
function ensurePreCommit(): Setup {
  mkdirSync(CACHE, { recursive: true });
  return withLock(`${VENV}.lock`, (): Setup => {
    const ready = join(VENV, '.keyguard-ready');
    if (existsSync(ready) && installedVersion() === PRE_COMMIT_VERSION) return { ok: true };
    rmSync(VENV, { recursive: true, force: true });
    const venv = spawnSync('python3', ['-m', 'venv', VENV], { encoding: 'utf8', timeout: 120_000 });
    if (venv.status !== 0) return { ok: false, reason: `python3 -m venv failed (${why(venv)}); on Debian/Ubuntu: apt-get install python3-venv` };
    // --retries 1: an index that is not reachable (a mirror-only machine) costs seconds, not minutes of back-off.
    const pip = spawnSync(
      join(VENV, 'bin', 'python'),
      ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--retries', '1', '--timeout', '30', `pre-commit==${PRE_COMMIT_VERSION}`],
      { encoding: 'utf8', timeout: 300_000 },
    );
    if (pip.status !== 0) return { ok: false, reason: `pip install pre-commit==${PRE_COMMIT_VERSION} failed (${why(pip)})` };
    const version = installedVersion();
    if (version !== PRE_COMMIT_VERSION) return { ok: false, reason: `pip installed pre-commit ${version ?? '(none)'}, not ${PRE_COMMIT_VERSION}` };
    writeFileSync(ready, `${new Date().toISOString()}\n`);
    return { ok: true };
  });
}

const dirs: string[] = [];

/** Every `./….js` import esbuild wrote (static or dynamic) resolves to a file: the copy was not taken mid-rebuild. */
function bundleComplete(dist: string): boolean {
  const files = ['cli.js', 'worker.js', ...readdirSync(join(dist, 'chunks')).map((f) => join('chunks', f))];
  return files.every((file) => {
    const path = join(dist, file);
    if (!existsSync(path)) return false;
    return [...readFileSync(path, 'utf8').matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)"(\.\/[\w./-]+\.js)"/g)].every((m) => existsSync(join(dirname(path), m[1]!)));
  });
}

/**
 * A private copy of the CLI the test set-up built (dist/ plus the rules beside it): other test runs in this checkout
 * rebuild dist/ while these tests are committing.
 */
function copyBuiltCli(): string {
  const dir = tempDir('keyguard-cli-');
  dirs.push(dir);
  for (let attempt = 1; ; attempt++) {
    rmSync(join(dir, 'dist'), { recursive: true, force: true });
    try {
      cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true, filter: (src) => !src.endsWith('action.js') });
      if (bundleComplete(join(dir, 'dist'))) break;
    } catch {
      // a file went away while it was copied: try again
    }
    if (attempt === 20) throw new Error(`dist/ in ${ROOT} stayed incomplete; run node scripts/build.mjs dist/cli.js`);
    sleep(500);
  }
  cpSync(join(ROOT, 'rules'), join(dir, 'rules'), { recursive: true });
  return join(dir, 'dist', 'cli.js');
}

let setup: Setup = { ok: false, reason: 'not set up' };
let cli = '';
beforeAll(() => {
  const started = Date.now();
  cli = copyBuiltCli();
  setup = ensurePreCommit();
  if (!setup.ok && IN_CI) throw new Error(`the pre-commit framework could not be installed, so its integration cannot be tested: ${setup.reason}`);
  if (!setup.ok) console.warn(`skipping the pre-commit framework tests: ${setup.reason}`);
  else console.info(`pre-commit ${PRE_COMMIT_VERSION} ready in ${((Date.now() - started) / 1000).toFixed(1)} s (${VENV})`);
}, 600_000);

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const repo = useTempRepos(seedRepo);

/** `pre-commit …` in the repository, as a person runs it (their HOME, so npm's own cache and config). */
function preCommit(r: TempRepo, home: string, args: string[], timeout = 60_000): SpawnSyncReturns<string> {
  return spawnSync(PRE_COMMIT, args, { cwd: r.dir, env: { ...shellEnv(process.env), GIT_CONFIG_NOSYSTEM: '1', PRE_COMMIT_HOME: home, PRE_COMMIT_COLOR: 'never' }, encoding: 'utf8', timeout });
}

/** `git commit` as a person types it: git runs pre-commit's hook, which runs keyguard. */
function commit(r: TempRepo, home: string, args: string[]): { status: number | null; output: string } {
  const env = { ...shellEnv(gitEnv()), PRE_COMMIT_HOME: home, PRE_COMMIT_COLOR: 'never', NO_COLOR: '1' };
  const res = spawnSync('git', ['commit', '-q', ...args], { cwd: r.dir, env, encoding: 'utf8', timeout: 120_000 });
  return { status: res.status, output: `${res.stdout}${res.stderr}` };
}

/**
 * Everything the user has: each working-tree file's bytes and mode, the index entries, the unstaged and staged diffs,
 * and HEAD. (The index file's own bytes are left out: git refreshes its stat cache on every commit attempt.)
 */
function state(r: TempRepo): string {
  return [
    snapshotRepo(r.dir).split('\nindex ')[0],
    r.git('ls-files', '--stage'),
    r.git('diff', '--binary'),
    r.git('diff', '--cached', '--binary'),
    r.git('rev-parse', 'HEAD'),
  ].join('\n--\n');
}

/** A refused commit: non-zero, keyguard's verdict through pre-commit's report, the secret redacted, nothing changed. */
function expectRefused(r: TempRepo, home: string, args: string[], file: string): string {
  const before = state(r);
  const res = commit(r, home, args);
  expect(res.status, res.output).not.toBe(0);
  expect(res.output).toMatch(/keyguard \(Google and Gemini credentials\)\.+Failed/);
  expect(res.output).toContain('keyguard blocked this commit');
  expect(res.output).toContain('--no-verify');
  expect(res.output).toContain(file);
  expect(res.output).not.toContain(key);
  expect(res.output).not.toContain(apiKey);
  expect(state(r)).toBe(before);
  return res.output;
}

function expectCommitted(r: TempRepo, home: string, args: string[]): void {
  const head = r.git('rev-parse', 'HEAD');
  const res = commit(r, home, args);
  expect(res.status, res.output).toBe(0);
  expect(res.output).toMatch(/keyguard \(Google and Gemini credentials\)\.+Passed/);
  expect(r.git('rev-parse', 'HEAD')).not.toBe(head);
}

/** What a new user tries, whichever form of the config: the checks, through pre-commit's hook. */
function expectGuards(r: TempRepo, home: string): void {
  // A Gemini key in a new file is refused; the report names the rule and place, with the secret redacted.
  r.write('src/gemini.ts', `const ai = new GoogleGenAI({ apiKey: "${key}" });\n`);
  r.git('add', 'src/gemini.ts');
  const refused = expectRefused(r, home, ['-m', 'add gemini'], 'src/gemini.ts:1');
  expect(refused).toContain('gemini-auth-key');
  expect(refused).toContain(`${key.slice(0, 4)}…${key.slice(-4)}`);

  // A clean commit goes through.
  r.git('rm', '-q', '--cached', 'src/gemini.ts');
  r.write('src/gemini.ts', 'const ai = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY });\n');
  r.git('add', 'src/gemini.ts');
  expectCommitted(r, home, ['-m', 'clean']);

  // git commit -a stages a tracked edit that was never added: it is scanned, and a clean one goes through.
  r.write('src/app.js', `export const a = 1;\nexport const key = "${apiKey}";\n`);
  expectRefused(r, home, ['-a', '-m', 'commit -a'], 'src/app.js:2');
  r.write('src/app.js', 'export const a = 1;\nexport const b = 2;\n');
  expectCommitted(r, home, ['-a', '-m', 'commit -a, clean']);

  // git commit PATH commits (and keyguard scans) only that path: a key elsewhere in the work tree does not block it.
  r.write('src/app.js', `export const a = 1;\nexport const key = "${apiKey}";\n`);
  r.write('README.md', '# demo\n\nMore words.\n');
  expectCommitted(r, home, ['-m', 'readme only', 'README.md']);
  expectRefused(r, home, ['-m', 'app', 'src/app.js'], 'src/app.js:2');

  // A partially staged file, the key in the staged half: refused, and pre-commit's stash of the unstaged half is put
  // back exactly (an untracked file too).
  r.write('src/app.js', `export const a = 3;\nexport const key = "${apiKey}";\n`);
  r.git('add', 'src/app.js');
  r.write('src/app.js', 'export const a = 3;\nexport const key = process.env.KEY;\n');
  r.write('notes.txt', 'untracked\n');
  const bytes = readFileSync(join(r.dir, 'src/app.js'));
  const stashed = expectRefused(r, home, ['-m', 'partial, key staged'], 'src/app.js:2');
  expect(stashed).toContain('Stashing unstaged files'); // the framework's stash, not keyguard's
  expect(readFileSync(join(r.dir, 'src/app.js')).equals(bytes)).toBe(true);

  // The other way round, the key only in the unstaged half: keyguard reads the index, so the commit goes through,
  // the key stays unstaged in the work tree, and the commit does not contain it.
  r.write('src/app.js', 'export const a = 4;\n');
  r.git('add', 'src/app.js');
  r.write('src/app.js', `export const a = 4;\nexport const key = "${apiKey}";\n`);
  const worktree = readFileSync(join(r.dir, 'src/app.js'));
  const unstaged = r.git('diff', '--binary');
  expectCommitted(r, home, ['-m', 'partial, key unstaged']);
  expect(readFileSync(join(r.dir, 'src/app.js')).equals(worktree)).toBe(true);
  expect(r.git('diff', '--binary')).toBe(unstaged);
  expect(r.git('show', 'HEAD:src/app.js')).toBe('export const a = 4;\n');
}

/** The first ```yaml block in the README after the text `after`. */
function readmeBlock(after: string): unknown {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const at = readme.indexOf(after);
  const block = at < 0 ? null : /```yaml\n([\s\S]*?)```/.exec(readme.slice(at));
  if (!block?.[1]) throw new Error(`README: no yaml block after "${after}"`);
  return parse(block[1]);
}

describe(`pre-commit framework ${PRE_COMMIT_VERSION}: repo: local`, () => {
  it('runs the block keyguard install --pre-commit prints, and guards commits', async (ctx) => {
    ctx.skip(!setup.ok, !setup.ok ? setup.reason : '');
    const r = repo();
    // What installing keyguard in the project leaves: a bin link in node_modules/.bin, the first place the block looks.
    r.write('package.json', '{ "name": "demo", "private": true }\n');
    r.write('.gitignore', 'node_modules/\n');
    mkdirSync(join(r.dir, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(cli, join(r.dir, 'node_modules', '.bin', 'keyguard'));
    const printed = await runCli(['install', '--pre-commit'], { cwd: r.dir, env: gitEnv(), self: { node: process.execPath, cli } });
    expect(printed.exitCode).toBe(0);
    const snippet = printed.stdout.slice(printed.stdout.indexOf('repos:'));
    // The README shows the same block (the printed one only adds a comment).
    expect(parse(snippet)).toEqual(readmeBlock('\n### pre-commit framework\n'));
    r.write('.pre-commit-config.yaml', snippet);
    r.git('add', '.');
    r.commit('pre-commit config');

    const home = tempDir('keyguard-pre-commit-home-');
    dirs.push(home);
    const install = preCommit(r, home, ['install']);
    expect(install.status, why(install)).toBe(0);
    expect(install.stdout).toContain('pre-commit installed at .git/hooks/pre-commit');
    // keyguard install sees the framework owns the hook and writes nothing.
    const ours = await runCli(['install'], { cwd: r.dir, env: gitEnv(), self: { node: process.execPath, cli } });
    expect(ours.stdout).toContain('the pre-commit framework manages the pre-commit hook here');
    expect(readFileSync(join(r.dir, '.git/hooks/pre-commit'), 'utf8')).toContain('File generated by pre-commit');

    expectGuards(r, home);
  });
});

describe(`pre-commit framework ${PRE_COMMIT_VERSION}: this repository as the hook repository (language: node)`, () => {
  it('validates .pre-commit-hooks.yaml and the README block', (ctx) => {
    ctx.skip(!setup.ok, !setup.ok ? setup.reason : '');
    const r = repo();
    const home = tempDir('keyguard-pre-commit-home-');
    dirs.push(home);
    const manifest = preCommit(r, home, ['validate-manifest', join(ROOT, '.pre-commit-hooks.yaml')]);
    expect(manifest.status, why(manifest)).toBe(0);
    expect(readmeBlock('Or let pre-commit install keyguard itself')).toEqual({ repos: [{ repo: '<URL of this repository>', rev: '<tag>', hooks: [{ id: 'keyguard' }] }] });
  });

  it('installs keyguard from HEAD with npm (no build step of its own) and guards commits', (ctx) => {
    ctx.skip(!setup.ok, !setup.ok ? setup.reason : '');
    // pre-commit clones this repository at HEAD, the committed state: what a user gets at a tag.
    const sha = spawnSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).stdout.trim();
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    const home = join(HOMES, sha);
    mkdirSync(home, { recursive: true });
    const used = join(home, '.keyguard-used');
    writeFileSync(used, '');
    for (const other of readdirSync(HOMES)) {
      const mark = join(HOMES, other, '.keyguard-used');
      if (other !== sha && (!existsSync(mark) || Date.now() - statSync(mark).mtimeMs > 10 * 60_000)) rmSync(join(HOMES, other), { recursive: true, force: true });
    }

    const r = repo();
    r.write('.pre-commit-config.yaml', `repos:\n  - repo: ${ROOT}\n    rev: ${sha}\n    hooks:\n      - id: keyguard\n`);
    r.git('add', '.pre-commit-config.yaml');
    r.commit('pre-commit config');
    // --install-hooks builds the hook environment now, not inside the first `git commit`.
    const started = Date.now();
    const install = preCommit(r, home, ['install', '--install-hooks'], 540_000);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    expect(install.status, why(install)).toBe(0);
    console.info(`pre-commit install --install-hooks (keyguard at ${sha.slice(0, 12)}): ${seconds} s`);
    const bin = readdirSync(home)
      .map((d) => join(home, d, 'node_env-system', 'bin', 'keyguard'))
      .find((p) => existsSync(p));
    expect(bin, 'pre-commit installed a keyguard bin with the system node').toBeDefined();
    utimesSync(used, new Date(), new Date());

    expectGuards(r, home);
  }, 600_000);
});
