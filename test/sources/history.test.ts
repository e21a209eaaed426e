import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { gitEnv, tempDir, type TempRepo, useTempRepos } from '../helpers/git-repo.js';
import { runCli } from '../helpers/cli.js';
import { readBlobs, readHistory } from '../../src/sources/history.js';
import { scanHistory } from '../../src/scan/scan.js';
import { createKeywordGate } from '../../src/detect/gate.js';
import { createRuleSet } from '../../src/detect/engine.js';
import { loadBuiltinRules } from '../helpers/rules.js';
import { fakeClientSecret, fakeGeminiAuthKey, fakeGoogleApiKey } from '../helpers/keys.js';

interface JsonFinding {
  file: string;
  line: number;
  commit: string;
  author: string;
  email: string;
  date: string;
  ruleId: string;
  credential: string;
  refs?: string[];
}
interface JsonReport {
  findings: JsonFinding[];
  skipped: { path: string; reason: string }[];
  notes?: string[];
  incomplete?: boolean;
  stats: { commits: number; blobs: number };
}

const repo = useTempRepos();

async function history(dir: string, args: string[] = []) {
  const res = await runCli(['history', '--format', 'json', ...args], { cwd: dir, env: gitEnv() });
  return { ...res, json: res.stdout ? (JSON.parse(res.stdout) as JsonReport) : undefined };
}

const key = fakeGoogleApiKey(21);
const key2 = fakeGoogleApiKey(22);
const authKey = fakeGeminiAuthKey(23);
const secret = fakeClientSecret(24);

describe('keyguard history', () => {
  it('attributes a secret to the commit that introduced it, with author, date and line in that version', async () => {
    const r = repo();
    r.write('app.ts', 'export const a = 1;\n');
    r.git('add', '.');
    r.commit('init', '2025-01-01T10:00:00Z');
    r.write('app.ts', `export const a = 1;\n\nexport const key = "${key}";\n`);
    r.git('add', '.');
    const sha = r.commit('add key', '2025-02-03T04:05:06Z');
    r.write('app.ts', `// comment\nexport const a = 1;\n\nexport const key = "${key}";\n`);
    r.git('add', '.');
    r.commit('later edit');
    const res = await history(r.dir);
    expect(res.exitCode).toBe(1);
    expect(res.json!.findings).toHaveLength(1);
    const f = res.json!.findings[0]!;
    expect(f).toMatchObject({ file: 'app.ts', line: 3, commit: sha, author: 'Ada Lovelace', email: 'ada@example.com' });
    expect(f.date.startsWith('2025-02-03T04:05:06')).toBe(true);
    expect(res.stdout).not.toContain(key);
  });

  it('reports a secret that stays in a file for 500 commits once', async () => {
    const r = repo();
    // fast-import writes 500 commits in one process.
    let stream = '';
    for (let i = 1; i <= 500; i++) {
      const body = i === 1 ? `const key = "${key}";\n` : `const key = "${key}";\n// revision ${i}\n`;
      stream += `commit refs/heads/main\ncommitter Ada <ada@example.com> ${1700000000 + i} +0000\ndata ${`c${i}`.length}\nc${i}\n`;
      stream += `M 100644 inline config.js\ndata ${Buffer.byteLength(body)}\n${body}\n`;
    }
    execFileSync('git', ['fast-import', '--quiet'], { cwd: r.dir, env: gitEnv(), input: stream });
    const res = await history(r.dir);
    expect(res.json!.stats.commits).toBe(500);
    expect(res.json!.findings).toHaveLength(1);
    expect(res.json!.findings[0]!.commit).toBe(r.git('rev-list', '--max-parents=0', 'HEAD').trim());
  });

  it('reports a secret deleted and added back later twice, and a renamed file once', async () => {
    const r = repo();
    r.write('a/settings.py', `API_KEY = "${key}"\n`);
    r.git('add', '.');
    const first = r.commit('add');
    r.write('a/settings.py', 'API_KEY = os.environ["API_KEY"]\n');
    r.git('add', '.');
    r.commit('remove');
    r.write('a/settings.py', `API_KEY = "${key}"\n`);
    r.git('add', '.');
    const again = r.commit('oops, again');
    r.git('mv', 'a/settings.py', 'config.py');
    r.commit('rename');
    const res = await history(r.dir);
    expect(res.json!.findings.map((f) => [f.file, f.commit]).sort()).toEqual(
      [
        ['a/settings.py', first],
        ['a/settings.py', again],
      ].sort(),
    );
  });

  it('finds leaks on unmerged branches, behind a tag only, in the stash, and in an evil merge', async () => {
    const r = repo();
    r.write('readme.md', '# app\n');
    r.write('conf.yaml', 'name: app\n');
    r.git('add', '.');
    r.commit('init');
    // An unmerged branch.
    r.git('checkout', '-q', '-b', 'feature');
    r.write('feature.js', `const k = "${key}";\n`);
    r.git('add', '.');
    const onBranch = r.commit('feature');
    // A commit reachable only from a tag.
    r.git('checkout', '-q', '--detach', 'main');
    r.write('tagged.env', `GEMINI_API_KEY=${authKey}\n`);
    r.git('add', '.');
    const tagged = r.commit('tagged');
    r.git('tag', 'v0-leak');
    r.git('checkout', '-q', 'main');
    // An evil merge: the key appears only in the merge commit's resolution.
    r.git('checkout', '-q', '-b', 'side');
    r.write('side.txt', 'side\n');
    r.git('add', '.');
    r.commit('side');
    r.git('checkout', '-q', 'main');
    r.write('main.txt', 'main\n');
    r.git('add', '.');
    r.commit('main');
    r.git('merge', '-q', '--no-commit', 'side');
    r.write('conf.yaml', `name: app\nclient_secret: ${secret}\n`);
    r.git('add', 'conf.yaml');
    r.git('commit', '-q', '-m', 'merge side');
    const merge = r.git('rev-parse', 'HEAD').trim();
    // The stash.
    r.write('readme.md', `# app\nkey: ${key2}\n`);
    r.git('stash', '-q');
    const res = await history(r.dir);
    const byFile = Object.fromEntries(res.json!.findings.map((f) => [f.file, f]));
    expect(byFile['feature.js']!.commit).toBe(onBranch);
    expect(byFile['tagged.env']!.commit).toBe(tagged);
    expect(byFile['conf.yaml']!.commit).toBe(merge);
    expect(byFile['readme.md']!.refs).toEqual(['stash']);
    expect(res.json!.findings).toHaveLength(4);
    // git log -p (what most scanners read) shows nothing for the merge.
    expect(r.git('log', '-p', '--format=', '-1', merge)).not.toContain(secret);
  });

  it('limits the scan with --range, --since-commit and --branch', async () => {
    const r = repo();
    r.write('a.txt', `a=${key}\n`);
    r.git('add', '.');
    const base = r.commit('one');
    r.write('b.txt', `b=${key2}\n`);
    r.git('add', '.');
    const head = r.commit('two');
    r.git('checkout', '-q', '-b', 'other', base);
    r.write('c.txt', `c=${authKey}\n`);
    r.git('add', '.');
    r.commit('three');
    r.git('checkout', '-q', 'main');
    const files = async (args: string[]) => (await history(r.dir, args)).json!.findings.map((f) => f.file).sort();
    expect(await files([])).toEqual(['a.txt', 'b.txt', 'c.txt']);
    expect(await files(['--range', `${base}..${head}`])).toEqual(['b.txt']);
    expect(await files(['--since-commit', base])).toEqual(['b.txt']);
    expect(await files(['--branch', 'other'])).toEqual(['a.txt', 'c.txt']);
    // Inside a range, a key already present in the parent is not new.
    r.write('a.txt', `a=${key}\nmore\n`);
    r.git('add', '.');
    const third = r.commit('edit a');
    expect(await files(['--range', `${head}..${third}`])).toEqual([]);
  });

  it('exits 2 with one line for an unknown revision or outside a repository', async () => {
    const r = repo();
    r.write('a.txt', 'a\n');
    r.git('add', '.');
    r.commit('one');
    for (const args of [['--range', 'nope..HEAD'], ['--since-commit', 'deadbeef'], ['--branch', 'missing']]) {
      const res = await history(r.dir, args);
      expect(res.exitCode).toBe(2);
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
      expect(res.stderr).toContain(args[0]!);
    }
    const dir = tempDir();
    const res = await runCli(['history'], { cwd: dir, env: { ...gitEnv(), GIT_CEILING_DIRECTORIES: dir } });
    expect(res.exitCode).toBe(2);
  });

  it('says so for an empty repository and exits 0', async () => {
    const r = repo();
    const res = await history(r.dir);
    expect(res.exitCode).toBe(0);
    expect(res.json!.notes!.join(' ')).toMatch(/no commits/);
  });

  it('scans the other branches when the branch checked out has no commits yet', async () => {
    const r = repo();
    r.write('config.py', `API_KEY = "${key}"\n`);
    r.git('add', '.');
    const sha = r.commit('add key');
    r.git('checkout', '-q', '--orphan', 'fresh');
    r.git('rm', '-rq', '--cached', '.');
    const res = await history(r.dir);
    expect(res.exitCode).toBe(1);
    expect(res.json!.findings.map((f) => f.commit)).toEqual([sha]);
  });

  it('scans a shallow clone, marks the report incomplete and warns once', async () => {
    const r = repo();
    for (let i = 0; i < 3; i++) {
      r.write('f.txt', `v${i}\n${i === 0 ? `k=${key}\n` : ''}`);
      r.git('add', '.');
      r.commit(`c${i}`);
    }
    r.write('g.txt', `g=${key2}\n`);
    r.git('add', '.');
    r.commit('latest');
    const clone = join(tempDir(), 'shallow');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${r.dir}`, clone], { env: gitEnv() });
    const res = await history(clone);
    expect(res.exitCode).toBe(1);
    expect(res.json!.incomplete).toBe(true);
    expect(res.json!.findings.map((f) => f.file)).toEqual(['g.txt']);
    expect(res.stderr.trim().split('\n').filter((l) => /shallow/.test(l))).toHaveLength(1);
    rmSync(clone, { recursive: true, force: true });
  });

  it('reports a missing object as skipped and scans the rest', async () => {
    const r = repo();
    r.write('lost.txt', 'this blob will go missing\n');
    r.write('leak.txt', `k=${key}\n`);
    r.git('add', '.');
    r.commit('one');
    const oid = r.git('rev-parse', 'HEAD:lost.txt').trim();
    rmSync(join(r.dir, '.git', 'objects', oid.slice(0, 2), oid.slice(2)));
    const res = await history(r.dir);
    expect(res.exitCode).toBe(1);
    expect(res.json!.findings.map((f) => f.file)).toEqual(['leak.txt']);
    expect(res.json!.skipped).toEqual([{ path: 'lost.txt', reason: expect.stringContaining('missing') }]);
  });

  it('finds the same credential at two paths as two findings with one credential id', async () => {
    const r = repo();
    r.write('one.env', `GOOGLE_API_KEY=${key}\n`);
    r.write('public/index.html', `<script>const k = "${key}"</script>\n`);
    r.git('add', '.');
    r.commit('both');
    const res = await history(r.dir);
    const [a, b] = res.json!.findings;
    expect(res.json!.findings).toHaveLength(2);
    expect(a!.credential).toBe(b!.credential);
    expect(res.json!.findings.map((f) => (f as unknown as { exposure: string }).exposure).sort()).toEqual(['client', 'server']);
  });
});

// Through pipes (the hook, and blobs read again), and through a socket read into the same memory (a history).
describe.each([false, true])('readBlobs, memory reused: %s', (reuseMemory) => {
  it('reads the same blobs with the same paths through one or several cat-file processes', async () => {
    const r = repo();
    for (let i = 0; i < 25; i++) r.write(`f${i}.txt`, `file ${i}\n${'x'.repeat(i * 1000)}\n`);
    r.git('add', '.');
    r.commit('many');
    const wanted = r
      .git('ls-tree', '-r', 'HEAD')
      .trim()
      .split('\n')
      .map((line) => ({ oid: line.split(/\s+/)[2]!, path: line.split('\t')[1]! }));
    wanted.push({ oid: 'f'.repeat(40), path: 'gone.txt' });
    const read = async (readers: number) => {
      const got: string[] = [];
      for await (const b of readBlobs(wanted, { root: r.dir, env: gitEnv(), readers, reuseMemory })) got.push(`${b.oid} ${b.path} ${b.content ? b.content.toString('utf8') : 'missing'}`);
      return got.sort();
    };
    const one = await read(1);
    expect(one).toHaveLength(26);
    expect(one.filter((s) => s.endsWith('missing'))).toEqual([`${'f'.repeat(40)} gone.txt missing`]);
    expect(await read(3)).toEqual(one);
    // A reader that stops early ends every cat-file process and returns.
    for await (const b of readBlobs(wanted, { root: r.dir, env: gitEnv(), readers: 2, reuseMemory })) {
      expect(b.oid).toMatch(/^[0-9a-f]{40}$/);
      break;
    }
  });

  it('pauses git while a slow consumer is behind, and every blob arrives whole', async () => {
    const r = repo();
    const texts = Array.from({ length: 12 }, (_, i) => randomBytes(150_000 + i * 7_000).toString('base64'));
    texts.forEach((t, i) => r.write(`big${i}.txt`, t));
    r.git('add', '.');
    r.commit('big files');
    async function* slowly() {
      for (let i = 0; i < texts.length; i++) {
        yield { oid: r.git('rev-parse', `HEAD:big${i}.txt`).trim(), path: `big${i}.txt` };
        await new Promise((res) => setTimeout(res, 2));
      }
    }
    const got = new Map<string, string>();
    // Far less read-ahead than the blobs' size: the readers must pause and go on, more than once.
    for await (const b of readBlobs(slowly(), { root: r.dir, env: gitEnv(), readers: 2, readAheadBytes: 64 * 1024, reuseMemory })) {
      await new Promise((res) => setTimeout(res, 5));
      got.set(b.path, b.content!.toString('utf8'));
    }
    expect(got.size).toBe(texts.length);
    texts.forEach((t, i) => expect(got.get(`big${i}.txt`) === t, `big${i}.txt`).toBe(true));
  });

  it('fails with the error of the ids it is given, and ends its git processes', async () => {
    const r = repo();
    r.write('a.txt', 'a\n');
    r.git('add', '.');
    r.commit('a');
    const oid = r.git('rev-parse', 'HEAD:a.txt').trim();
    async function* failing() {
      yield { oid, path: 'a.txt' };
      throw new Error('the log failed');
    }
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const b of readBlobs(failing(), { root: r.dir, env: gitEnv(), readers: 2, reuseMemory })) seen.push(b.path);
      })(),
    ).rejects.toThrow('the log failed');
  });

  it('fails with git\'s reason when cat-file cannot run there', async () => {
    const dir = tempDir();
    try {
      await expect(
        (async () => {
          for await (const _ of readBlobs([{ oid: 'a'.repeat(40), path: 'x' }], { root: dir, env: gitEnv(), readers: 2, reuseMemory })) void _;
        })(),
      ).rejects.toThrow(/git cat-file failed: .*not a git repository/i);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('keyguard history, stopped before its scan', () => {
  it('exits at once on an error found after the history was opened, with more blobs than it reads ahead', async () => {
    const { spawnSync } = await import('node:child_process');
    const { BUILT_CLI } = await import('../helpers/cli.js');
    const r = repo();
    // 27 MB of blobs: more than the 16 MiB read ahead, so cat-file would wait on a full pipe if nobody stopped it.
    for (let i = 0; i < 3; i++) r.write(`big${i}.txt`, randomBytes(6_800_000).toString('base64'));
    r.git('add', '.');
    r.commit('big');
    // A run that waited on git would be killed at the timeout, with no exit status.
    for (const args of [['--jobs', '0'], ['--branch', 'HEAD', '--jobs', '0'], ['--branch', 'HEAD', '--verify', '--verify-timeout', '0']]) {
      const res = spawnSync(BUILT_CLI.node, [BUILT_CLI.cli, 'history', ...args], { cwd: r.dir, env: gitEnv(), encoding: 'utf8', timeout: 20_000 });
      expect(res.status, `${args.join(' ')}: ${res.stderr}`).toBe(2);
      expect(res.stderr, args.join(' ')).toMatch(/--jobs 0|--verify-timeout 0/);
    }
  });
});

describe('keyguard history on worker threads', () => {
  it('finds the same as one thread (built CLI, --jobs 2)', async () => {
    const { execFileSync: run } = await import('node:child_process');
    const { BUILT_CLI } = await import('../helpers/cli.js');
    const r = repo();
    for (let i = 0; i < 30; i++) {
      r.write(`src/m${i}.js`, `// module ${i}\n${i % 7 === 0 ? `const k = "${fakeGoogleApiKey(100 + i)}";\n` : 'export {};\n'}`);
      r.write(`bin/b${i}.bin`, Buffer.from([0, 1, 2, i]));
      r.git('add', '.');
      r.commit(`c${i}`);
    }
    const scan = (jobs: string) => {
      try {
        return run(BUILT_CLI.node, [BUILT_CLI.cli, 'history', '--format', 'json', '--jobs', jobs], { cwd: r.dir, env: gitEnv(), encoding: 'utf8' });
      } catch (e) {
        return (e as { stdout: string }).stdout;
      }
    };
    const one = JSON.parse(scan('1'));
    const two = JSON.parse(scan('2'));
    expect(one.findings).toHaveLength(5);
    expect(two.findings).toEqual(one.findings);
    expect(two.stats.bytes).toBe(one.stats.bytes);
    expect(two.stats.binary).toBe(30);
  });
});

describe('exposure window', () => {
  it('says when each credential was committed, whether HEAD still has it, when it left, and which refs reach it', async () => {
    const r = repo();
    r.write('config.js', `const key = "${key}";\n`);
    r.write('other.js', `const other = "${key2}";\n`);
    r.git('add', '.');
    const added = r.commit('add keys', '2025-03-02T09:00:00Z');
    r.git('tag', 'v1');
    r.write('config.js', 'const key = process.env.KEY;\n');
    r.git('add', '.');
    const removed = r.commit('remove key', '2025-04-01T09:00:00Z');
    const res = await runCli(['history', '--format', 'json'], { cwd: r.dir, env: gitEnv() });
    const report = JSON.parse(res.stdout) as { findings: JsonFinding[]; credentials: { credential: string; firstCommitted: { commit: string; date: string }; presentAtHead: boolean; removed?: { commit: string }; refs: string[] }[] };
    const byFile = Object.fromEntries(report.findings.map((f) => [f.file, f.credential]));
    const windows = Object.fromEntries(report.credentials.map((w) => [w.credential, w]));
    const gone = windows[byFile['config.js']!]!;
    expect(gone.firstCommitted.commit).toBe(added);
    expect(gone.firstCommitted.date.startsWith('2025-03-02')).toBe(true);
    expect(gone.presentAtHead).toBe(false);
    expect(gone.removed!.commit).toBe(removed);
    expect(gone.refs).toEqual(['refs/heads/main', 'refs/tags/v1']);
    const still = windows[byFile['other.js']!]!;
    expect(still.presentAtHead).toBe(true);
    expect(still.removed).toBeUndefined();
    const text = await runCli(['history'], { cwd: r.dir, env: gitEnv() });
    expect(text.stdout).toContain("since 2025-03-02, when it was committed");
    expect(text.stdout).toContain("it left HEAD's branch on 2025-04-01");
    expect(text.stdout).toContain('refs/tags/v1');
  });
});

describe('history blobs screened as git streams them', () => {
  const ruleSet = createRuleSet(loadBuiltinRules());
  const gate = createKeywordGate(ruleSet)!;

  it('leaves the blobs whole for detection workers, where there are some, and still skips binary formats', async () => {
    const hooks: ((path: string) => unknown)[] = [];
    const input = (async function* () {})();
    for (const pool of [undefined, { start: () => { throw new Error('not started'); }, afterBytes: Infinity }]) {
      await scanHistory(
        { commits: [], files: [], blobs: input, readMore: () => input, setScreen: (hook) => hooks.push(hook) },
        { mode: 'history', ruleSet, gate, now: () => 0, showSecrets: false, ...(pool ? { pool } : {}) },
      );
    }
    const [alone, withWorkers] = hooks;
    expect(alone!('src/app.js')).toMatchObject({ push: expect.any(Function) });
    expect(withWorkers!('src/app.js')).toBeUndefined();
    expect(withWorkers!('img/logo.png')).toBe('binary');
    expect(alone!('keys/service-account.json')).toBeUndefined();
  });

  it('finds and counts what reading every blob whole does, credential-named templates included, images unread', async () => {
    const r = repo();
    for (let i = 0; i < 12; i++) {
      r.write(`src/m${i}.js`, `// module ${i}\n${'const x = 1;\n'.repeat(i * 500)}${i % 4 === 0 ? `const k = "${fakeGoogleApiKey(300 + i)}";\n` : ''}`);
      r.write(`img/i${i}.png`, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]), randomBytes(3000 + i)]));
      r.write('service-account.json', `{"type": "service_account", "private_key": "${i % 2 ? 'YOUR_PRIVATE_KEY' : '<your key here>'}"}\n`);
      // No rule keyword in it: only its name says it may be a credential file, and its text says it is a template.
      r.write('.env', `API_KEY=${i % 2 ? 'changeme' : 'your-api-key-here'}\n`);
      r.git('add', '.');
      r.commit(`c${i}`);
    }
    const scan = async (screened: boolean) => {
      const source = readHistory({ root: r.dir, env: gitEnv() });
      const { setScreen, ...rest } = source;
      // Blobs a screen found a keyword in are read again whole, as the history command does.
      const readMore = (oids: Parameters<typeof readBlobs>[0]) => readBlobs(oids, { root: r.dir, env: gitEnv(), readers: 1 });
      const input = { ...rest, readMore, ...(screened ? { setScreen } : {}) };
      try {
        return await scanHistory(input, { mode: 'history', ruleSet, gate, now: () => 0, showSecrets: false });
      } finally {
        source.stop();
      }
    };
    const whole = await scan(false);
    const streamed = await scan(true);
    expect(whole.findings.length).toBeGreaterThanOrEqual(3);
    expect(streamed.findings).toEqual(whole.findings);
    // The images are binary by name and never read: counted as binary, without their bytes.
    const imageBytes = Array.from({ length: 12 }, (_, i) => 6 + 3000 + i).reduce((a, b) => a + b);
    expect(streamed.stats).toEqual({ ...whole.stats, bytes: whole.stats.bytes - imageBytes });
    expect(streamed.stats.binary).toBe(12);
    expect(whole.stats.binary).toBe(12);
  });
});
