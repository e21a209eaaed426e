// keyguard baseline, --baseline and --baseline-update on real temp repositories.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitEnv, type TempRepo, useTempRepos } from '../helpers/git-repo.js';
import { runCli } from '../helpers/cli.js';
import { fakeGeminiAuthKey, fakeGoogleApiKey } from '../helpers/keys.js';

const repo = useTempRepos();

async function cli(r: TempRepo, args: string[]) {
  return runCli(args, { cwd: r.dir, env: gitEnv() });
}

const k1 = fakeGoogleApiKey(201);
const k2 = fakeGeminiAuthKey(202);
const k3 = fakeGoogleApiKey(203);

interface BaselineFile {
  version: number;
  entries: { fingerprint: string; ruleId: string; file: string }[];
}
const read = (r: TempRepo, file = '.keyguard-baseline.json'): BaselineFile => JSON.parse(readFileSync(join(r.dir, file), 'utf8')) as BaselineFile;

describe('keyguard baseline', () => {
  it('records findings by fingerprint: sorted, stable, no secret, no line number', async () => {
    const r = repo();
    r.write('z/late.js', `const k = "${k1}";\n`);
    r.write('a/early.env', `GEMINI_API_KEY=${k2}\nOTHER=${k1}\n`);
    const res = await cli(r, ['baseline']);
    expect(res.exitCode).toBe(0);
    expect(res.stdout).toContain('wrote 3 finding(s) to .keyguard-baseline.json');
    const text = readFileSync(join(r.dir, '.keyguard-baseline.json'), 'utf8');
    expect(text).not.toContain(k1);
    expect(text).not.toContain(k2);
    expect(text).not.toMatch(/"line"/);
    const doc = read(r);
    expect(doc.version).toBe(1);
    expect(doc.entries.map((e) => [e.file, e.ruleId])).toEqual([
      ['a/early.env', 'gemini-auth-key'],
      ['a/early.env', 'google-api-key'],
      ['z/late.js', 'google-api-key'],
    ]);
    for (const e of doc.entries) expect(e.fingerprint).toMatch(new RegExp(`^[0-9a-f]{16}:${e.file.replace('.', '\\.')}$`));
    // The same findings give the same bytes, whatever the order of the lines in the files.
    r.write('a/early.env', `OTHER=${k1}\n\n\nGEMINI_API_KEY=${k2}\n`);
    await cli(r, ['baseline']);
    expect(readFileSync(join(r.dir, '.keyguard-baseline.json'), 'utf8')).toBe(text);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('then --baseline reports only new findings, on every scanning command', async () => {
    const r = repo();
    r.write('app.js', `const k = "${k1}";\n`);
    r.git('add', '.');
    r.commit('first');
    expect((await cli(r, ['baseline', '--output', 'base.json'])).exitCode).toBe(0);
    expect((await cli(r, ['scan', '.', '--baseline', 'base.json'])).exitCode).toBe(0);
    expect((await cli(r, ['history', '--baseline', 'base.json'])).exitCode).toBe(0);
    r.write('app.js', `const k = "${k1}";\nconst j = "${k3}";\n`);
    r.git('add', 'app.js');
    const staged = await cli(r, ['staged', '--all-lines', '-f', 'json', '--baseline', 'base.json']);
    expect(staged.exitCode).toBe(1);
    expect((JSON.parse(staged.stdout) as { findings: { line: number }[] }).findings.map((f) => f.line)).toEqual([2]);
    const scan = await cli(r, ['scan', '.', '-f', 'json', '--baseline', 'base.json']);
    expect((JSON.parse(scan.stdout) as { findings: unknown[] }).findings).toHaveLength(1);
  });

  it('--history baselines every commit, also keys that are gone from the files', async () => {
    const r = repo();
    r.write('old.js', `const k = "${k1}";\n`);
    r.git('add', '.');
    r.commit('leak');
    r.write('old.js', 'const k = process.env.KEY;\n');
    r.git('add', '.');
    r.commit('fix');
    expect((await cli(r, ['history'])).exitCode).toBe(1);
    const res = await cli(r, ['baseline', '--history']);
    expect(res.stdout).toContain('wrote 1 finding(s)');
    expect((await cli(r, ['history', '--baseline', '.keyguard-baseline.json'])).exitCode).toBe(0);
  });
});

describe('--baseline-update', () => {
  it('rewrites the baseline with the scan: new findings added, fixed ones removed', async () => {
    const r = repo();
    r.write('a.js', `const k = "${k1}";\n`);
    r.write('b.js', `const k = "${k2}";\n`);
    await cli(r, ['baseline']);
    r.write('a.js', 'const k = process.env.KEY;\n');
    r.write('c.js', `const k = "${k3}";\n`);
    const res = await cli(r, ['scan', '.', '--baseline', '.keyguard-baseline.json', '--baseline-update']);
    // What is new is still reported this time; from now on it is known.
    expect(res.exitCode).toBe(1);
    expect(res.stderr).toContain('baseline .keyguard-baseline.json now holds 2 finding(s) (1 added, 1 removed)');
    expect(read(r).entries.map((e) => e.file)).toEqual(['b.js', 'c.js']);
    expect((await cli(r, ['scan', '.', '--baseline', '.keyguard-baseline.json'])).exitCode).toBe(0);
  });

  it('creates the file when it does not exist yet', async () => {
    const r = repo();
    r.write('a.js', `const k = "${k1}";\n`);
    await cli(r, ['scan', '.', '--baseline', 'new.json', '--baseline-update']);
    expect(read(r, 'new.json').entries).toHaveLength(1);
  });

  it('in the hook only adds (a staged scan does not see the rest of the repository)', async () => {
    const r = repo();
    r.write('a.js', `const k = "${k1}";\n`);
    r.git('add', '.');
    r.commit('a');
    await cli(r, ['baseline']);
    r.write('b.js', `const k = "${k2}";\n`);
    r.git('add', 'b.js');
    const res = await cli(r, ['staged', '--baseline', '.keyguard-baseline.json', '--baseline-update']);
    expect(res.exitCode).toBe(1);
    expect(read(r).entries.map((e) => e.file)).toEqual(['a.js', 'b.js']);
    expect((await cli(r, ['staged', '--baseline', '.keyguard-baseline.json'])).exitCode).toBe(0);
  });

  it('the hook reads a staged baseline from the index: an unstaged re-baseline does not hide a new key', async () => {
    const r = repo();
    r.write('a.js', `const k = "${k1}";\n`);
    await cli(r, ['baseline']);
    r.git('add', '.');
    r.commit('baseline');
    r.write('b.js', `const k = "${k2}";\n`);
    await cli(r, ['baseline']);
    r.git('add', 'b.js');
    expect((await cli(r, ['staged', '--baseline', '.keyguard-baseline.json'])).exitCode).toBe(1);
    r.git('add', '.keyguard-baseline.json');
    expect((await cli(r, ['staged', '--baseline', '.keyguard-baseline.json'])).exitCode).toBe(0);
  });

  it('needs --baseline', async () => {
    const r = repo();
    const res = await cli(r, ['scan', '.', '--baseline-update']);
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toMatch(/^keyguard: --baseline-update: name the baseline with --baseline FILE/);
  });
});

describe('a bad baseline file is exit 2 with one line', () => {
  it.each([
    ['not JSON', '{ nope', /--baseline base\.json: not valid JSON/],
    ['a wrong version', '{"version": 2, "entries": []}', /--baseline base\.json: "version" must be 1 \(found 2\)/],
    ['a bad entry', '{"version": 1, "entries": [{"fingerprint": "line 4"}]}', /--baseline base\.json: entries\[0\]: "fingerprint" must be CREDENTIAL:PATH/],
  ])('%s', async (_name, text, expected) => {
    const r = repo();
    writeFileSync(join(r.dir, 'base.json'), text);
    for (const args of [['scan', '.'], ['history'], ['staged']]) {
      const res = await cli(r, [...args, '--baseline', 'base.json']);
      expect(res.exitCode).toBe(2);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toMatch(expected);
    }
  });

  it('a baseline that does not exist', async () => {
    const r = repo();
    const res = await cli(r, ['scan', '.', '--baseline', 'gone.json']);
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toBe('keyguard: --baseline gone.json: no such file; create it with keyguard baseline --output gone.json\n');
  });
});

describe('the hook fast path', () => {
  it('takes --config, --baseline and --baseline-update without loading the full CLI', async () => {
    const { parseStagedArgs } = await import('../../src/cli/run-staged.js');
    expect(parseStagedArgs(['staged', '--config', 'kg.yaml', '--baseline=b.json', '--baseline-update'])).toMatchObject({ config: 'kg.yaml', baseline: 'b.json', baselineUpdate: true });
  });
});
