import { describe, expect, it } from 'vitest';
import { symlinkSync, writeFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { gitEnv, tempDir, type TempRepo, useTempRepos } from '../helpers/git-repo.js';
import { runCli } from '../helpers/cli.js';
import { snapshotRepo } from '../helpers/snapshot.js';
import { fakeGeminiAuthKey, fakeGoogleApiKey } from '../helpers/keys.js';

const repo = useTempRepos();

async function staged(r: TempRepo, args: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const res = await runCli(['staged', '--format', 'json', ...args], { cwd: r.dir, env: { ...gitEnv(), ...env } });
  return { ...res, json: res.stdout ? (JSON.parse(res.stdout) as { findings: { file: string; line: number; ruleId: string }[]; skipped: { path: string; reason: string }[] }) : undefined };
}

const key = fakeGoogleApiKey(11);
const authKey = fakeGeminiAuthKey(12);

describe('keyguard staged', () => {
  it('names files by their bytes: a name that is not UTF-8 is C-quoted, and only its added lines count', async () => {
    const r = repo();
    r.write('README.md', '# x\n');
    r.git('add', '.');
    r.commit('init');
    const name = Buffer.concat([Buffer.from(`${r.dir}/caf`), Buffer.from([0xe9]), Buffer.from('.txt')]);
    writeFileSync(name, `old = "${key}"\n`);
    writeFileSync(join(r.dir, 'new\nline.txt'), `k = "${key}"\n`);
    r.git('add', '-A');
    expect((await staged(r)).json!.findings.map((f) => [f.file, f.line]).sort()).toEqual([['"caf\\351.txt"', 1], ['"new\\nline.txt"', 1]]);
    r.commit('keys');
    writeFileSync(name, `old = "${key}"\nnew = "${authKey}"\n`);
    r.git('add', '-A');
    expect((await staged(r)).json!.findings.map((f) => [f.file, f.line])).toEqual([['"caf\\351.txt"', 2]]);
  });

  it('finds a key in the first commit of a new repository (no HEAD)', async () => {
    const r = repo();
    r.write('src/app.js', `const key = "${key}";\n`);
    r.git('add', '.');
    const res = await staged(r);
    expect(res.exitCode).toBe(1);
    expect(res.json!.findings.map((f) => [f.file, f.line])).toEqual([['src/app.js', 1]]);
    expect(res.stdout).not.toContain(key);
  });

  it('scans the index, not the disk: a staged key cleaned on disk still blocks, an unstaged key does not', async () => {
    const r = repo();
    r.write('a.py', 'print("hi")\n');
    r.git('add', '.');
    r.commit('init');
    r.write('a.py', `KEY = "${key}"\n`);
    r.git('add', 'a.py');
    r.write('a.py', 'KEY = os.environ["KEY"]\n');
    expect((await staged(r)).exitCode).toBe(1);

    const r2 = repo();
    r2.write('a.py', 'print("hi")\n');
    r2.git('add', '.');
    r2.commit('init');
    r2.write('a.py', `KEY = "${key}"\n`);
    const clean = await staged(r2);
    expect(clean.exitCode).toBe(0);
    expect(clean.json!.findings).toEqual([]);
  });

  it('reports only added lines by default, with staged line numbers; --all-lines scans whole files', async () => {
    const r = repo();
    r.write('config.js', `// old leak\nconst old = "${key}";\nconst a = 1;\n`);
    r.git('add', '.');
    r.commit('legacy');
    r.write('config.js', `// old leak\nconst old = "${key}";\nconst a = 2;\nconst b = 3;\n`);
    r.git('add', '.');
    expect((await staged(r)).exitCode).toBe(0);
    const all = await staged(r, ['--all-lines']);
    expect(all.json!.findings.map((f) => f.line)).toEqual([2]);

    r.write('config.js', `// old leak\nconst old = "${key}";\nconst a = 2;\nconst b = 3;\nconst fresh = "${authKey}";\n`);
    r.git('add', '.');
    const res = await staged(r);
    expect(res.json!.findings.map((f) => [f.line, f.ruleId])).toEqual([[5, 'gemini-auth-key']]);
  });

  it('handles renames: a pure rename adds nothing, a rename with a new key is caught at the new path', async () => {
    const r = repo();
    r.write('old/name.env', `GEMINI_API_KEY=${key}\n${'filler line\n'.repeat(20)}`);
    r.git('add', '.');
    r.commit('init');
    r.git('mv', 'old/name.env', 'new.env');
    expect((await staged(r)).exitCode).toBe(0);
    r.write('new.env', `GEMINI_API_KEY=${key}\n${'filler line\n'.repeat(20)}OTHER=${authKey}\n`);
    r.git('add', 'new.env');
    const res = await staged(r);
    expect(res.json!.findings.map((f) => [f.file, f.line])).toEqual([['new.env', 22]]);
  });

  it('skips deleted files, symbolic links and submodules', async () => {
    const r = repo();
    r.write('gone.txt', `k=${key}\n`);
    r.git('add', '.');
    r.commit('init');
    r.git('rm', '-q', 'gone.txt');
    symlinkSync('/etc/hostname', join(r.dir, 'link'));
    const sub = repo();
    sub.write('x', 'x\n');
    sub.git('add', '.');
    sub.commit('sub');
    r.git('-c', 'protocol.file.allow=always', 'submodule', 'add', '-q', sub.dir, 'vendor/sub');
    r.git('add', 'link');
    const res = await staged(r);
    expect(res.exitCode).toBe(0);
    expect(res.json!.skipped.map((s) => s.path).sort()).toEqual(['link', 'vendor/sub']);
  });

  it('names unmerged paths during a conflicted merge and scans what the resolution adds', async () => {
    const r = repo();
    r.write('f.txt', 'base\n');
    r.write('g.txt', 'g\n');
    r.git('add', '.');
    r.commit('base');
    r.git('checkout', '-q', '-b', 'side');
    r.write('f.txt', 'side\n');
    r.git('commit', '-qam', 'side');
    r.git('checkout', '-q', 'main');
    r.write('f.txt', 'main\n');
    r.write('g.txt', `g\nkey=${key}\n`);
    r.git('commit', '-qam', 'main');
    try {
      r.git('merge', '-q', 'side');
    } catch {
      // conflict expected
    }
    const res = await staged(r);
    expect(res.exitCode).toBe(0);
    expect(res.json!.skipped).toEqual([{ path: 'f.txt', reason: expect.stringContaining('unmerged') }]);
  });

  it('never changes the index, the working tree or any ref, even with partially staged files', async () => {
    const r = repo();
    r.write('a.js', 'line1\nline2\n');
    r.write('b.js', 'b\n');
    r.git('add', '.');
    r.commit('init');
    r.write('a.js', `line1\nconst k = "${key}";\nline2\n`);
    r.git('add', 'a.js');
    r.write('a.js', `line1\nconst k = "${key}";\nline2\nunstaged edit\n`);
    r.write('untracked.txt', `also ${authKey}\n`);
    const refs = r.git('for-each-ref');
    const status = r.git('status', '--porcelain=v2');
    const before = snapshotRepo(r.dir);
    expect((await staged(r)).exitCode).toBe(1);
    expect((await staged(r, ['--all-lines'])).exitCode).toBe(1);
    expect(snapshotRepo(r.dir)).toBe(before);
    expect(r.git('status', '--porcelain=v2')).toBe(status);
    expect(r.git('for-each-ref')).toBe(refs);
    expect(r.git('stash', 'list')).toBe('');
  });

  it('reads the index git names in GIT_INDEX_FILE (git commit -a and git commit PATH use a temporary one)', async () => {
    const r = repo();
    r.write('a.txt', 'a\n');
    r.git('add', '.');
    r.commit('init');
    r.write('a.txt', `a\nk=${key}\n`);
    // The default index has nothing staged…
    expect((await staged(r)).exitCode).toBe(0);
    // …but a temporary index holding the edit (what `git commit -a` hands the hook) is scanned.
    const tmpIndex = join(tempDir(), 'index');
    const env = { ...gitEnv(), GIT_INDEX_FILE: tmpIndex };
    const { execFileSync } = await import('node:child_process');
    execFileSync('git', ['read-tree', 'HEAD'], { cwd: r.dir, env });
    execFileSync('git', ['add', 'a.txt'], { cwd: r.dir, env });
    const res = await staged(r, [], { GIT_INDEX_FILE: tmpIndex });
    expect(res.exitCode).toBe(1);
    expect(res.json!.findings[0]!.line).toBe(2);
  });

  it('works in a linked worktree', async () => {
    const r = repo();
    r.write('a.txt', 'a\n');
    r.git('add', '.');
    r.commit('init');
    const wt = join(tempDir(), 'wt');
    r.git('worktree', 'add', '-q', '-b', 'feature', wt);
    writeFileSync(join(wt, 'leak.env'), `GOOGLE_API_KEY=${key}\n`);
    const { execFileSync } = await import('node:child_process');
    execFileSync('git', ['add', 'leak.env'], { cwd: wt, env: gitEnv() });
    const res = await runCli(['staged', '--format', 'json'], { cwd: wt, env: gitEnv() });
    expect(res.exitCode).toBe(1);
    expect(JSON.parse(res.stdout).findings[0].file).toBe('leak.env');
    // The main work tree's index is untouched and clean.
    expect((await staged(r)).exitCode).toBe(0);
  });

  it('exits 2 with one line outside a git repository', async () => {
    const dir = tempDir();
    const res = await runCli(['staged'], { cwd: dir, env: { ...gitEnv(), GIT_CEILING_DIRECTORIES: dir } });
    expect(res.exitCode).toBe(2);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/not inside a git work tree/);
  });

  it('scans a staged file that was deleted from disk afterwards', async () => {
    const r = repo();
    r.write('secret.json', `{"key": "${key}"}\n`);
    r.git('add', '.');
    unlinkSync(join(r.dir, 'secret.json'));
    expect((await staged(r)).exitCode).toBe(1);
  });
});
