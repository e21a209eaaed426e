// .keyguard.yaml end to end: real temp repositories, the CLI run in-process. Suppression layers in order, their
// negatives, a user rule in scan, staged and history, bad configurations, and the hook reading the staged config.
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitEnv, tempDir, type TempRepo, useTempRepos } from '../helpers/git-repo.js';
import { runCli } from '../helpers/cli.js';
import { fakeGeminiAuthKey, fakeGoogleApiKey } from '../helpers/keys.js';
import { acmeRuleYaml, acmeToken } from '../helpers/config.js';

const repo = useTempRepos();

interface Json {
  findings: { file: string; line: number; ruleId: string; fingerprint: string; commit?: string }[];
  stats: { suppressed?: { inline: number; allowlist: number; baseline: number } };
}

async function cli(r: TempRepo, args: string[], env: NodeJS.ProcessEnv = {}) {
  const res = await runCli(args, { cwd: r.dir, env: { ...gitEnv(), ...env } });
  let json: Json | undefined;
  try {
    json = res.stdout.trim().startsWith('{') ? (JSON.parse(res.stdout) as Json) : undefined;
  } catch {
    json = undefined;
  }
  return { ...res, json };
}

const files = (j: Json | undefined): string[] => (j?.findings ?? []).map((f) => f.file).sort();

const k1 = fakeGoogleApiKey(101);
const k2 = fakeGoogleApiKey(102);
const k3 = fakeGoogleApiKey(103);
const k4 = fakeGoogleApiKey(104);

/** One key per layer: inline marker, config allowlist, baseline, and one nothing hides. */
function layered(r: TempRepo): void {
  r.write('inline.js', `const a = "${k1}"; // keyguard:allow\n`);
  // Inline-marked and allowlisted: the first layer takes it.
  r.write('fixtures/both.js', `const b = "${k2}"; // keyguard:allow\n`);
  r.write('fixtures/config.js', `const c = "${k3}";\n`);
  r.write('baselined.js', `const d = "${k4}";\n`);
  r.write('.keyguard.yaml', 'allowlist:\n  description: test fixtures\n  paths: [fixtures/**]\n');
}

describe('suppression layers, in order', () => {
  it('scan: inline marker, then config allowlist, then baseline; each counted once, in its layer', async () => {
    const r = repo();
    layered(r);
    // The baseline holds the allowlisted file too: the allowlist (earlier) counts it, not the baseline.
    r.write('all.js', `const c = "${k3}";\n`);
    const base = await cli(r, ['baseline', '--output', 'base.json']);
    expect(base.exitCode).toBe(0);
    r.write('all.js', '');
    r.write('new.js', `const e = "${fakeGoogleApiKey(105)}";\n`);
    const res = await cli(r, ['scan', '.', '-f', 'json', '--baseline', 'base.json']);
    expect(res.exitCode).toBe(1);
    expect(files(res.json)).toEqual(['new.js']);
    expect(res.json!.stats.suppressed).toEqual({ inline: 2, allowlist: 1, baseline: 1 });
    const text = await cli(r, ['scan', '.', '--baseline', 'base.json']);
    expect(text.stdout).toMatch(/; 4 suppressed \(2 inline, 1 allowlist, 1 baseline\)$/m);
  });

  it('staged: the same layers on what the commit adds', async () => {
    const r = repo();
    layered(r);
    const base = join(tempDir(), 'base.json');
    expect((await cli(r, ['baseline', '--output', base])).exitCode).toBe(0);
    r.write('new.js', `const e = "${fakeGoogleApiKey(105)}";\n`);
    r.git('add', '.');
    const res = await cli(r, ['staged', '-f', 'json', '--baseline', base]);
    expect(res.exitCode).toBe(1);
    expect(res.json!.findings.map((f) => [f.file, f.line])).toEqual([['new.js', 1]]);
    expect(res.json!.stats.suppressed).toEqual({ inline: 2, allowlist: 1, baseline: 1 });
  });

  it('history: the same layers per commit, plus allowlisted commits', async () => {
    const r = repo();
    layered(r);
    r.git('add', '.');
    r.commit('everything');
    const base = await cli(r, ['baseline', '--history', '--output', 'base.json']);
    expect(base.exitCode).toBe(0);
    r.write('later.js', `const g = "${fakeGoogleApiKey(107)}";\n`);
    r.git('add', 'later.js');
    const later = r.commit('later');
    r.write('latest.js', `const h = "${fakeGoogleApiKey(108)}";\n`);
    r.git('add', 'latest.js');
    r.commit('latest');
    let res = await cli(r, ['history', '-f', 'json', '--baseline', 'base.json']);
    expect(files(res.json)).toEqual(['later.js', 'latest.js']);
    expect(res.json!.stats.suppressed).toEqual({ inline: 2, allowlist: 1, baseline: 1 });
    r.write('.keyguard.yaml', `allowlist:\n  paths: [fixtures/**]\n  commits: [${later.slice(0, 10)}]\n`);
    res = await cli(r, ['history', '-f', 'json', '--baseline', 'base.json']);
    expect(res.exitCode).toBe(1);
    expect(files(res.json)).toEqual(['latest.js']);
  });
});

describe('what the allowlist and the baseline do not hide', () => {
  it('an allowlist for one path does not hide the same key in another path', async () => {
    const r = repo();
    r.write('fixtures/a.js', `const a = "${k1}";\n`);
    r.write('src/a.js', `const a = "${k1}";\n`);
    r.write('src/fixtures.js', `const a = "${k1}";\n`);
    r.write('.keyguard.yaml', 'allowlist:\n  paths: [fixtures/**]\n');
    const res = await cli(r, ['scan', '.', '-f', 'json']);
    expect(res.exitCode).toBe(1);
    expect(files(res.json)).toEqual(['src/a.js', 'src/fixtures.js']);
  });

  it('a per-rule allowlist hides that rule only', async () => {
    const r = repo();
    r.write('docs/setup.md', `api key: ${k1}\nauth key: ${fakeGeminiAuthKey(5)}\n`);
    r.write('.keyguard.yaml', 'ruleAllowlists:\n  google-api-key:\n    paths: [docs/**]\n');
    const res = await cli(r, ['scan', '.', '-f', 'json']);
    expect(res.json!.findings.map((f) => f.ruleId)).toEqual(['gemini-auth-key']);
  });

  it('regexes on the secret, on its line, and stopwords', async () => {
    const r = repo();
    r.write('a.js', `const sample = "${k1}";\nconst real = "${k2}";\nconst other = "${k3}";\n`);
    r.write('.keyguard.yaml', `allowlist:\n  regexes: ['^${k2.slice(0, 12)}']\n  lineRegexes: ['const sample =']\n  stopwords: ['${k3.slice(10, 16)}']\n`);
    const res = await cli(r, ['scan', '.', '-f', 'json']);
    expect(res.exitCode).toBe(0);
    expect(res.json!.stats.suppressed).toEqual({ inline: 0, allowlist: 3, baseline: 0 });
  });

  it('a baseline does not hide a new secret on a baselined line; moving the line keeps the old one hidden', async () => {
    const r = repo();
    r.write('config.js', `export const keys = ["${k1}"];\n`);
    expect((await cli(r, ['baseline'])).exitCode).toBe(0);
    r.write('config.js', `// moved down\n\nexport const keys = ["${k1}", "${k2}"];\n`);
    const res = await cli(r, ['scan', '.', '-f', 'json', '--baseline', '.keyguard-baseline.json']);
    expect(res.exitCode).toBe(1);
    expect(res.json!.findings).toHaveLength(1);
    expect(res.json!.findings[0]).toMatchObject({ file: 'config.js', line: 3, secret: `${k2.slice(0, 4)}…${k2.slice(-4)}` });
  });

  it('a baseline for one path does not hide the same key copied to another path', async () => {
    const r = repo();
    r.write('a.js', `const a = "${k1}";\n`);
    await cli(r, ['baseline']);
    r.write('b.js', `const a = "${k1}";\n`);
    const res = await cli(r, ['scan', '.', '-f', 'json', '--baseline', '.keyguard-baseline.json']);
    expect(files(res.json)).toEqual(['b.js']);
  });
});

describe('a user rule for an internal token format', () => {
  const token = acmeToken(7);

  it('works in scan, staged and history', async () => {
    const r = repo();
    r.write('.keyguard.yaml', acmeRuleYaml());
    r.write('README.md', '# demo\n');
    r.git('add', '.');
    r.commit('config');
    // The configuration's own examples carry keyguard:allow, so the file is clean.
    expect((await cli(r, ['scan', '.'])).exitCode).toBe(0);

    r.write('deploy/settings.ini', `[acme]\ntoken = ${token}\n`);
    const scan = await cli(r, ['scan', '.', '-f', 'json']);
    expect(scan.exitCode).toBe(1);
    expect(scan.json!.findings.map((f) => [f.ruleId, f.file, f.line])).toEqual([['acme-internal-token', 'deploy/settings.ini', 2]]);
    expect(scan.stdout).not.toContain(token);
    // Its checklist is the generic one, not Google's.
    const text = await cli(r, ['scan', '.']);
    expect(text.stdout).toContain('Secret (custom rule)');
    expect(text.stdout).toContain('Issue a replacement from the system that issued this secret');
    expect(text.stdout).not.toMatch(/AI Studio|standard API key/);

    r.git('add', 'deploy/settings.ini');
    const staged = await cli(r, ['staged', '-f', 'json']);
    expect(staged.exitCode).toBe(1);
    expect(staged.json!.findings.map((f) => f.ruleId)).toEqual(['acme-internal-token']);

    const sha = r.commit('add settings');
    const history = await cli(r, ['history', '-f', 'json']);
    expect(history.exitCode).toBe(1);
    expect(history.json!.findings.map((f) => [f.ruleId, f.commit])).toEqual([['acme-internal-token', sha]]);
    // On worker threads too (user rules travel to the workers).
    const threaded = await cli(r, ['history', '-f', 'json', '--jobs', '2']);
    expect(threaded.json!.findings.map((f) => f.ruleId)).toEqual(['acme-internal-token']);
  });

  it('is listed and checked by keyguard rules', async () => {
    const r = repo();
    r.write('.keyguard.yaml', acmeRuleYaml());
    const list = await cli(r, ['rules']);
    expect(list.stdout).toContain('acme-internal-token');
    const check = await cli(r, ['rules', '--check']);
    expect(check.exitCode).toBe(0);
  });

  it('extends: false and disable turn built-in rules off', async () => {
    const r = repo();
    r.write('a.js', `const k = "${k1}";\nconst t = "${token}";\n`);
    r.write('.keyguard.yaml', `extends: false\n${acmeRuleYaml()}`);
    let res = await cli(r, ['scan', '.', '-f', 'json']);
    expect(res.json!.findings.map((f) => f.ruleId)).toEqual(['acme-internal-token']);
    r.write('.keyguard.yaml', `disable: [acme-internal-token, google-api-key]\n${acmeRuleYaml()}`);
    res = await cli(r, ['scan', '.', '-f', 'json']);
    expect(res.exitCode).toBe(0);
  });
});

describe('a bad configuration is exit 2 with one line naming it, and never hangs', () => {
  const cases: [string, string, RegExp][] = [
    ['a catastrophic pattern', acmeRuleYaml('(?<secret>acme_live_(a+)+$)'), /^keyguard: \.keyguard\.yaml:8: rule 'acme-internal-token' field 'rules\[0\]\.pattern': pattern can backtrack catastrophically/],
    ['a catastrophic allowlist regex', "allowlist:\n  regexes: ['^(a|aa)+$']\n", /^keyguard: \.keyguard\.yaml:2: field 'allowlist\.regexes\[0\]': pattern can backtrack catastrophically/],
    ['invalid regex syntax', acmeRuleYaml('(?<secret>acme_live_(x'), /^keyguard: \.keyguard\.yaml:8: rule 'acme-internal-token' field 'rules\[0\]\.pattern': invalid regular expression/],
    ['a YAML syntax error', 'allowlist:\n  paths: [fixtures/**\n  stopwords: [a]\n', /^keyguard: \.keyguard\.yaml:\d+: not valid YAML: /],
    ['an unknown key', 'allowlist:\n  paths: []\nbaseline: x.json\n', /^keyguard: \.keyguard\.yaml:3: field 'baseline': is not a known field/],
    ['a wrong type', 'extends: true\nmaxFileSize: [1]\n', /^keyguard: \.keyguard\.yaml:2: field 'maxFileSize': must be integer or string/],
  ];
  it.each(cases)('%s: scan, staged and history', async (_name, text, expected) => {
    const r = repo();
    r.write('a.txt', 'hello\n');
    r.git('add', '.');
    r.commit('init');
    r.write('.keyguard.yaml', text);
    r.git('add', '.keyguard.yaml');
    const started = Date.now();
    for (const args of [['scan', '.'], ['history'], ['staged']]) {
      const res = await cli(r, args);
      expect(res.exitCode, args[0]).toBe(2);
      const lines = res.stderr.trim().split('\n');
      expect(lines, args[0]).toHaveLength(1);
      // The hook says it read the staged version, and that the commit is blocked.
      const pattern = args[0] === 'staged' ? new RegExp(expected.source.replace(/^(\^keyguard: \\\.keyguard\\\.yaml:(?:\\d\+|\d+))/, '$1 \\(the staged version\\)')) : expected;
      expect(lines[0], args[0]).toMatch(pattern);
    }
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('an example that its rule does not find names the rule', async () => {
    const r = repo();
    r.write('.keyguard.yaml', acmeRuleYaml(undefined, 'token = acme_live_tooShort # keyguard:allow'));
    const res = await cli(r, ['scan', '.']);
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toMatch(/^keyguard: \.keyguard\.yaml:11: rule 'acme-internal-token' field 'rules\[0\]\.examples\[0\]': example 1 is not found by the rule/);
  });

  it('names --config and KEYGUARD_CONFIG files that do not exist', async () => {
    const r = repo();
    let res = await cli(r, ['scan', '.', '--config', 'nope.yaml']);
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toBe('keyguard: --config nope.yaml: no such file; check the path\n');
    res = await cli(r, ['scan', '.'], { KEYGUARD_CONFIG: 'gone.yaml' });
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toBe('keyguard: KEYGUARD_CONFIG=gone.yaml: no such file; check the path\n');
  });
});

describe('where the configuration comes from', () => {
  it('--config wins over KEYGUARD_CONFIG, which wins over .keyguard.yaml', async () => {
    const r = repo();
    r.write('a.js', `const k = "${k1}";\n`);
    r.write('b.js', `const k = "${k2}";\n`);
    r.write('.keyguard.yaml', 'allowlist:\n  paths: [a.js]\n');
    const other = join(tempDir(), 'kg.yaml');
    writeFileSync(other, 'allowlist:\n  paths: [b.js]\n');
    expect(files((await cli(r, ['scan', '.', '-f', 'json'])).json)).toEqual(['b.js']);
    expect(files((await cli(r, ['scan', '.', '-f', 'json'], { KEYGUARD_CONFIG: other })).json)).toEqual(['a.js']);
    const both = join(tempDir(), 'both.yaml');
    writeFileSync(both, 'allowlist:\n  paths: [a.js, b.js]\n');
    expect((await cli(r, ['scan', '.', '-f', 'json', '--config', both], { KEYGUARD_CONFIG: other })).exitCode).toBe(0);
  });

  it('is found at the work tree root when scanning from a sub-folder, with root-relative paths', async () => {
    const r = repo();
    r.write('src/fixtures/a.js', `const k = "${k1}";\n`);
    r.write('src/app.js', `const k = "${k2}";\n`);
    r.write('.keyguard.yaml', 'allowlist:\n  paths: [src/fixtures/**]\n');
    const res = await runCli(['scan', '.', '-f', 'json'], { cwd: join(r.dir, 'src'), env: gitEnv() });
    expect((JSON.parse(res.stdout) as Json).findings.map((f) => f.file)).toEqual(['app.js']);
    // And from outside, for a path named on the command line.
    const outside = await runCli(['scan', r.dir, '-f', 'json'], { cwd: tempDir(), env: gitEnv() });
    expect((JSON.parse(outside.stdout) as Json).findings).toHaveLength(1);
  });

  it('maxFileSize applies to keyguard scan, and --max-file-size wins', async () => {
    const r = repo();
    r.write('big.js', `const k = "${k1}";\n${'x'.repeat(5000)}\n`);
    r.write('.keyguard.yaml', 'maxFileSize: 1KB\n');
    const res = await cli(r, ['scan', '.', '-f', 'json']);
    expect(res.exitCode).toBe(0);
    expect(res.stdout).toContain('big.js');
    expect((await cli(r, ['scan', '.', '--max-file-size', '1MB'])).exitCode).toBe(1);
  });
});

describe('the hook reads the configuration from the index', () => {
  it('an unstaged edit that turns everything off does not switch the hook off', async () => {
    const r = repo();
    r.write('.keyguard.yaml', 'allowlist:\n  paths: [fixtures/**]\n');
    r.git('add', '.');
    r.commit('config');
    r.write('.keyguard.yaml', "extends: false\nallowlist:\n  paths: ['**']\n");
    r.write('app.js', `const k = "${k1}";\n`);
    r.git('add', 'app.js');
    const res = await cli(r, ['staged', '-f', 'json']);
    expect(res.exitCode).toBe(1);
    expect(files(res.json)).toEqual(['app.js']);
    // The same edit, staged, is part of the commit, and visible in it.
    r.git('add', '.keyguard.yaml');
    expect((await cli(r, ['staged'])).exitCode).toBe(0);
  });

  it('an unstaged broken config does not block; a staged one does', async () => {
    const r = repo();
    r.write('a.txt', 'x\n');
    r.git('add', '.');
    r.commit('init');
    r.write('.keyguard.yaml', 'allowlist: [\n');
    r.write('b.txt', 'y\n');
    r.git('add', 'b.txt');
    const res = await cli(r, ['staged']);
    expect(res.exitCode).toBe(0);
    expect(res.stderr).toContain('.keyguard.yaml is not staged, so the hook does not use it');
    r.git('add', '.keyguard.yaml');
    const blocked = await cli(r, ['staged']);
    expect(blocked.exitCode).toBe(2);
    expect(blocked.stderr).toMatch(/^keyguard: \.keyguard\.yaml:\d+ \(the staged version\): not valid YAML/);
  });

  it('a config file deleted from disk but still staged still applies', async () => {
    const r = repo();
    r.write('fixtures/a.js', `const k = "${k1}";\n`);
    r.write('.keyguard.yaml', 'allowlist:\n  paths: [fixtures/**]\n');
    r.git('add', '.');
    r.write('.keyguard.yaml', '');
    expect((await cli(r, ['staged'])).exitCode).toBe(0);
  });

  it('failOpen in a configuration that loaded lets the commit through when git fails', async () => {
    const r = repo();
    const dir = tempDir();
    const config = join(dir, 'kg.yaml');
    writeFileSync(config, 'failOpen: true\n');
    const bad = join(dir, 'index');
    writeFileSync(bad, 'not an index');
    const open = await cli(r, ['staged', '--config', config], { GIT_INDEX_FILE: bad });
    expect(open.exitCode).toBe(0);
    expect(open.stderr).toContain(`${config} sets failOpen: true`);
    writeFileSync(config, 'failOpen: false\n');
    expect((await cli(r, ['staged', '--config', config], { GIT_INDEX_FILE: bad })).exitCode).toBe(2);
  });
});

describe('verify in the configuration', () => {
  it('turns --verify on by default, the hook included; --no-verify wins', async () => {
    const { startGoogleStub } = await import('../helpers/google-stub.js');
    const key = fakeGeminiAuthKey(77);
    const stub = await startGoogleStub(new Map([[key, 'invalid' as const]]));
    try {
      const env = { KEYGUARD_GOOGLE_API_BASE: stub.base, HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '' };
      const r = repo();
      r.write('.keyguard.yaml', 'verify: true\n');
      r.write('.env', `GEMINI_API_KEY=${key}\n`);
      r.git('add', '.');
      const staged = await cli(r, ['staged', '-f', 'json'], env);
      expect(staged.exitCode).toBe(1);
      expect(stub.requests).toHaveLength(1);
      expect(JSON.stringify(staged.json)).toContain('"verification"');
      await cli(r, ['scan', '.', '--no-verify'], env);
      expect(stub.requests).toHaveLength(1);
    } finally {
      await stub.close();
    }
  });
});

describe('the hook and configurations elsewhere in the repository', () => {
  it('--config inside the repository is read from the index too', async () => {
    const r = repo();
    r.write('ci/keyguard.yaml', 'allowlist:\n  paths: [fixtures/**]\n');
    r.git('add', '.');
    r.write('ci/keyguard.yaml', "allowlist:\n  paths: ['**']\n");
    r.write('app.js', `const k = "${k1}";\n`);
    r.git('add', 'app.js');
    expect((await cli(r, ['staged', '--config', 'ci/keyguard.yaml'])).exitCode).toBe(1);
    expect((await cli(r, ['scan', '.', '--config', 'ci/keyguard.yaml'])).exitCode).toBe(0);
  });

  it('during a merge with .keyguard.yaml in conflict, the hook uses the version HEAD had', async () => {
    const r = repo();
    r.write('.keyguard.yaml', 'allowlist:\n  paths: [fixtures/**]\n');
    r.git('add', '.');
    r.commit('base');
    r.git('checkout', '-q', '-b', 'other');
    r.write('.keyguard.yaml', "allowlist:\n  paths: ['**']\n");
    r.git('commit', '-q', '-am', 'allow all');
    r.git('checkout', '-q', 'main');
    r.write('.keyguard.yaml', 'allowlist:\n  paths: [fixtures/**, docs/**]\n');
    r.git('commit', '-q', '-am', 'docs');
    try {
      r.git('merge', '-q', 'other');
    } catch {
      // the conflict is the point
    }
    r.write('app.js', `const k = "${k1}";\n`);
    r.write('fixtures/a.js', `const k = "${k2}";\n`);
    r.git('add', 'app.js', 'fixtures/a.js');
    const res = await cli(r, ['staged', '-f', 'json']);
    expect(res.exitCode).toBe(1);
    expect(files(res.json)).toEqual(['app.js']);
  });
});

describe('run from a sub-folder', () => {
  it('staged and history report root-relative paths, and the allowlist and baseline match them', async () => {
    const r = repo();
    r.write('src/fixtures/a.js', `const k = "${k1}";\n`);
    r.write('src/app.js', `const k = "${k2}";\n`);
    r.write('.keyguard.yaml', 'allowlist:\n  paths: [src/fixtures/**]\n');
    r.git('add', '.');
    const sub = join(r.dir, 'src');
    const staged = await runCli(['staged', '-f', 'json'], { cwd: sub, env: gitEnv() });
    expect((JSON.parse(staged.stdout) as Json).findings.map((f) => f.file)).toEqual(['src/app.js']);
    r.commit('c');
    await runCli(['baseline', '--history', '--output', join(r.dir, 'base.json')], { cwd: sub, env: gitEnv() });
    const history = await runCli(['history', '--baseline', join(r.dir, 'base.json')], { cwd: sub, env: gitEnv() });
    expect(history.exitCode).toBe(0);
    const base = await runCli(['scan', '.', '--baseline', join(r.dir, 'base.json')], { cwd: sub, env: gitEnv() });
    expect(base.exitCode).toBe(0);
  });
});
