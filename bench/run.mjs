#!/usr/bin/env node
// keyguard's performance bench: each measurement beside git's own floor, taken in the same run. See --help.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GNU_TIME, measure } from './lib/measure.mjs';
import { ensureSyntheticRepo } from './lib/synth.mjs';
import { findGitSecrets, findSecretlint } from './lib/peers.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const WORK = join(ROOT, 'bench', '.work');
// The bench runs its own copy of the bundle (and the rules beside it), so a rebuild of dist/ during a run (tests
// rebuild it) cannot change what is measured halfway.
const SNAPSHOT = join(ROOT, 'bench', '.work', 'keyguard');
const CLI = join(SNAPSHOT, 'dist', 'cli.js');

const HELP = `Usage: npm run bench -- [options] [REPO...]

Measures keyguard against git's own floor, taken in the same run, and against peers where installed:
  history   git cat-file --batch-all-objects --batch >/dev/null   vs  keyguard history --format json
  tree      grep -rEI --exclude-dir=.git 'AIza[0-9A-Za-z_-]{35}' .  vs  keyguard scan . --format json
  staged    git diff --cached + node -e 0 (20 files staged)        vs  keyguard staged
  peers     secretlint (tree), git-secrets --scan (tree) and --scan-history

With no REPO, builds (once, cached under bench/.work/) a deterministic synthetic repository with planted keys.
A REPO is only read: the staged suite stages 20 older file versions in a temporary index (GIT_INDEX_FILE) under
bench/.work/, so the repository's own index, work tree and config are never touched.

Prints one JSON line per measurement on stdout (progress on stderr):
  {"name","suite","tool","repo","runs","median_s","min_s","max_s","cpu_s","mb_s","bytes","peak_rss_mb","node_rss_mb",
   "floor","ratio","min_ratio","cpu_ratio","status","load1",...}
  ratio = median / the floor's median; min_ratio = fastest run / the floor's fastest; cpu_ratio compares CPU time.
  peak_rss_mb is the largest process of the command (git's included: its mapped pack files count); node_rss_mb is
  the Node process's own peak (keyguard's memory, worker threads included, git apart).

Options:
  --size MB           synthetic repository: unique blob bytes (default 250, env KEYGUARD_BENCH_SIZE)
  --commits N         synthetic repository: commits (default 12 per MB, at least 1000)
  --seed N            synthetic repository: PRNG seed (default 1)
  --runs N            measured runs per command, after one warm-up (default 3; staged runs at least 10)
  --only LIST         suites to run, comma-separated: history,tree,staged,peers (default all)
  --jobs N            pass --jobs N to keyguard history (default: keyguard's own default)
  --no-peers          skip secretlint and git-secrets
  --no-install-peers  do not try to install missing peers (npm into bench/.work/peers; apt-get git-secrets)
  --no-build          use dist/cli.js as it is (default: rebuild it first with scripts/build.mjs)
  --timeout S         kill a run after S seconds and report a timeout (default 600)
  --slow S            a run longer than S seconds is measured once (default 60)
  --out FILE          also append the JSON lines to FILE
  --markdown FILE     also write the figures as a Markdown table to FILE (as in the README)
  -h, --help          this text
`;

const { values: opt, positionals: repos } = parseArgs({
  allowPositionals: true,
  options: {
    size: { type: 'string' },
    commits: { type: 'string' },
    seed: { type: 'string', default: '1' },
    runs: { type: 'string', default: '3' },
    only: { type: 'string', default: 'history,tree,staged,peers' },
    jobs: { type: 'string' },
    'no-peers': { type: 'boolean', default: false },
    'no-install-peers': { type: 'boolean', default: false },
    'no-build': { type: 'boolean', default: false },
    timeout: { type: 'string', default: '600' },
    slow: { type: 'string', default: '60' },
    out: { type: 'string' },
    markdown: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opt.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const num = (name, v, min = 1) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min) {
    process.stderr.write(`bench: --${name} ${v}: expected a number ≥ ${min}\n`);
    process.exit(2);
  }
  return n;
};
const sizeMB = num('size', opt.size ?? process.env.KEYGUARD_BENCH_SIZE ?? '250');
const commits = Math.round(num('commits', opt.commits ?? String(Math.max(1000, Math.round(sizeMB * 12)))));
const seed = num('seed', opt.seed, 0);
const runs = Math.round(num('runs', opt.runs));
const suites = new Set(opt.only.split(',').map((s) => s.trim()).filter(Boolean));
if (opt['no-peers']) suites.delete('peers');
const timeoutMs = num('timeout', opt.timeout) * 1000;
const slowSeconds = num('slow', opt.slow);
const log = (s) => process.stderr.write(`${s}\n`);

const emitted = [];
function emit(line) {
  emitted.push(line);
  const text = JSON.stringify(line);
  process.stdout.write(`${text}\n`);
  if (opt.out) appendFileSync(opt.out, `${text}\n`);
}
const loadAverage = () => {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return null;
  }
};
const round = (x, d = 3) => (x === undefined || !Number.isFinite(x) ? null : Math.round(x * 10 ** d) / 10 ** d);
const git = (cwd, args, env) => execFileSync('git', args, { cwd, env: env ?? process.env, maxBuffer: 1 << 30 });

// ---------------------------------------------------------------- set-up
mkdirSync(WORK, { recursive: true });
if (!opt['no-build']) {
  log('bench: building dist/cli.js');
  const b = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), 'dist/cli.js'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  if (b.status !== 0) log(`bench: build failed, using dist/cli.js as it is: ${b.stderr.toString().trim().split('\n')[0]}`);
}
if (!existsSync(join(ROOT, 'dist', 'cli.js'))) {
  log('bench: dist/cli.js is missing: run npm run build');
  process.exit(2);
}
rmSync(SNAPSHOT, { recursive: true, force: true });
mkdirSync(join(SNAPSHOT, 'dist'), { recursive: true });
for (const f of ['cli.js', 'worker.js', 'chunks']) if (existsSync(join(ROOT, 'dist', f))) cpSync(join(ROOT, 'dist', f), join(SNAPSHOT, 'dist', f), { recursive: true });
cpSync(join(ROOT, 'rules'), join(SNAPSHOT, 'rules'), { recursive: true });
writeFileSync(join(SNAPSHOT, 'package.json'), readFileSync(join(ROOT, 'package.json')));
if (!GNU_TIME) log('bench: GNU time (/usr/bin/time, Debian package "time") is not installed: peak RSS is left out (apt-get install time)');

const cpuModel = (() => {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.*)$/m)?.[1]?.trim() ?? cpus()[0]?.model;
  } catch {
    return cpus()[0]?.model;
  }
})();
emit({
  name: 'machine',
  date: new Date().toISOString(),
  nproc: availableParallelism(),
  cpu: cpuModel,
  load1: loadAverage(),
  memGiB: round(Number(readFileSync('/proc/meminfo', 'utf8').match(/MemTotal:\s+(\d+)/)?.[1] ?? 0) / 1024 / 1024, 1),
  node: process.version,
  git: git(ROOT, ['--version']).toString().trim(),
  keyguard: JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version,
  keyguardCommit: (() => {
    try {
      return git(ROOT, ['rev-parse', '--short', 'HEAD']).toString().trim();
    } catch {
      return undefined;
    }
  })(),
});

const targets = [];
if (repos.length === 0) {
  const synth = await ensureSyntheticRepo(WORK, { sizeMB, commits, seed }, log);
  targets.push({ path: synth.repo, name: synth.name, planted: synth.planted.length });
} else {
  for (const r of repos) {
    const path = resolve(r);
    if (!existsSync(path)) {
      log(`bench: ${r}: no such directory`);
      process.exit(2);
    }
    targets.push({ path, name: basename(path) });
  }
}

// ---------------------------------------------------------------- facts about a repository
function repoFacts(path) {
  const bare = git(path, ['rev-parse', '--is-bare-repository']).toString().trim() === 'true';
  let blobs = 0;
  let blobBytes = 0;
  const check = git(path, ['cat-file', '--batch-all-objects', '--batch-check=%(objecttype) %(objectsize)']).toString();
  for (const line of check.split('\n')) {
    if (!line.startsWith('blob ')) continue;
    blobs++;
    blobBytes += Number(line.slice(5));
  }
  const commitCount = Number(git(path, ['rev-list', '--all', '--count']).toString().trim());
  let treeFiles = 0;
  let treeBytes = 0;
  if (!bare) {
    const top = git(path, ['rev-parse', '--show-toplevel']).toString().trim();
    for (const f of git(top, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']).toString().split('\0')) {
      if (!f) continue;
      try {
        const st = statSync(join(top, f));
        if (st.isFile()) {
          treeFiles++;
          treeBytes += st.size;
        }
      } catch {
        // deleted in the work tree
      }
    }
  }
  return { bare, blobs, blobBytes, commits: commitCount, treeFiles, treeBytes };
}

/** A temporary index with 20 files staged (older versions of files changed recently), and their bytes. */
function stageTwenty(path, name) {
  const index = join(WORK, `${name}.staged-index`);
  rmSync(index, { force: true });
  const env = { ...process.env, GIT_INDEX_FILE: index };
  git(path, ['read-tree', 'HEAD'], env);
  const atHead = new Set(git(path, ['ls-tree', '-r', '-z', '--name-only', 'HEAD']).toString().split('\0'));
  const raw = git(path, ['log', '--no-merges', '--raw', '--no-abbrev', '-z', '--format=', '-n', '400', 'HEAD']).toString().split('\0');
  const chosen = new Map();
  for (let i = 0; i + 1 < raw.length && chosen.size < 20; i++) {
    const m = /^\n?:(\d+) (\d+) ([0-9a-f]+) ([0-9a-f]+) M$/.exec(raw[i]);
    if (!m) continue;
    const p = raw[i + 1];
    i++;
    if (m[1] !== '100644' || m[2] !== '100644' || /^0+$/.test(m[3]) || chosen.has(p) || !atHead.has(p)) continue;
    chosen.set(p, m[3]);
  }
  const info = [...chosen].map(([p, oid]) => `100644 ${oid}\t${p}`).join('\n') + '\n';
  execFileSync('git', ['update-index', '--index-info'], { cwd: path, env, input: info });
  let bytes = 0;
  for (const oid of chosen.values()) bytes += Number(git(path, ['cat-file', '-s', oid]).toString().trim());
  return { env, files: chosen.size, bytes };
}

function findingsIn(file) {
  try {
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    return Array.isArray(doc.findings) ? doc.findings.length : Array.isArray(doc) ? doc.length : undefined;
  } catch {
    return undefined;
  }
}

// ---------------------------------------------------------------- measurements
const results = new Map();
function bench(target, { name, suite, tool, argv, cwd, env, bytes, floor, okStatus = [0], minRuns = runs, outFile, extra = {} }) {
  log(`bench: ${target.name}: ${name} …`);
  const m = measure(argv, { cwd, env, runs: Math.max(runs, minRuns), timeoutMs, slowSeconds, okStatus, ...(outFile ? { stdoutFile: outFile } : {}) });
  const floorResult = floor ? results.get(`${target.name}/${floor}`) : undefined;
  const line = {
    name,
    suite,
    tool,
    repo: target.name,
    cmd: argv.join(' ').replace(SNAPSHOT + '/', '').replace(ROOT + '/', '').replace(process.execPath, 'node'),
    runs: m.runs,
    median_s: round(m.median, 4),
    min_s: round(m.min, 4),
    max_s: round(m.max, 4),
    // CPU time (user + system, the command and every process it waited for): steadier than wall time on a busy machine.
    cpu_s: round(m.cpu, 3),
    mb_s: bytes && m.status === 'ok' ? round(bytes / 1e6 / m.median, 1) : null,
    bytes: bytes ?? null,
    peak_rss_mb: round(m.rssMB, 1),
    node_rss_mb: round(m.nodeRssMB, 1),
    floor: floor ?? null,
    ratio: floorResult?.status === 'ok' && m.status === 'ok' ? round(m.median / floorResult.median, 2) : null,
    min_ratio: floorResult?.status === 'ok' && m.status === 'ok' ? round(m.min / floorResult.min, 2) : null,
    cpu_ratio: floorResult?.status === 'ok' && m.status === 'ok' && m.cpu && floorResult.cpu ? round(m.cpu / floorResult.cpu, 2) : null,
    status: m.status,
    // Other work on the machine slows every figure: the 1-minute load average when the measurement ended.
    load1: loadAverage(),
    ...(m.error ? { error: m.error } : {}),
    ...(m.status === 'timeout' ? { error: `killed after ${timeoutMs / 1000} s` } : {}),
    ...extra,
  };
  if (outFile && m.status === 'ok') {
    const n = findingsIn(outFile);
    if (n !== undefined) line.findings = n;
  }
  results.set(`${target.name}/${name}`, m);
  emit(line);
  log(`bench:   ${m.status === 'ok' ? `${line.median_s.toFixed(3)} s${line.mb_s ? `, ${line.mb_s} MB/s` : ''}${line.peak_rss_mb ? `, ${line.peak_rss_mb} MB RSS` : ''}${line.node_rss_mb ? ` (node ${line.node_rss_mb} MB)` : ''}${line.ratio ? `, ${line.ratio}× ${floor}` : ''}` : `${m.status}: ${line.error ?? ''}`}`);
}
function skip(target, name, suite, tool, reason) {
  emit({ name, suite, tool, repo: target.name, status: 'skipped', reason });
  log(`bench: ${target.name}: ${name} skipped: ${reason}`);
}

const node = process.execPath;
let secretlint;
let gitSecrets;
if (suites.has('peers')) {
  const install = !opt['no-install-peers'];
  secretlint = findSecretlint(WORK, { install, log });
  gitSecrets = findGitSecrets({ install, log });
}

for (const target of targets) {
  const facts = repoFacts(target.path);
  const top = facts.bare ? target.path : git(target.path, ['rev-parse', '--show-toplevel']).toString().trim();
  emit({ name: 'repo', repo: target.name, path: target.path, ...facts, ...(target.planted ? { plantedKeys: target.planted } : {}) });
  const out = (n) => join(WORK, `${target.name}.${n}.json`);

  if (suites.has('history')) {
    bench(target, { name: 'history/git-cat-file-floor', suite: 'history', tool: 'git', argv: ['git', 'cat-file', '--batch-all-objects', '--batch'], cwd: top, bytes: facts.blobBytes });
    const jobs = opt.jobs ? ['--jobs', opt.jobs] : [];
    bench(target, {
      name: 'history/keyguard',
      suite: 'history',
      tool: 'keyguard',
      argv: [node, CLI, 'history', '--format', 'json', '--no-progress', ...jobs],
      cwd: top,
      bytes: facts.blobBytes,
      floor: 'history/git-cat-file-floor',
      okStatus: [0, 1],
      outFile: out('history'),
    });
  }
  if (suites.has('tree')) {
    if (facts.bare) skip(target, 'tree/*', 'tree', '-', 'bare repository: no work tree');
    else {
      bench(target, { name: 'tree/grep-floor', suite: 'tree', tool: 'grep', argv: ['grep', '-rEI', '--exclude-dir=.git', 'AIza[0-9A-Za-z_-]{35}', '.'], cwd: top, bytes: facts.treeBytes, okStatus: [0, 1], extra: { files: facts.treeFiles } });
      bench(target, { name: 'tree/keyguard', suite: 'tree', tool: 'keyguard', argv: [node, CLI, 'scan', '.', '--format', 'json', '--no-progress'], cwd: top, bytes: facts.treeBytes, floor: 'tree/grep-floor', okStatus: [0, 1], outFile: out('tree'), extra: { files: facts.treeFiles } });
    }
  }
  if (suites.has('staged')) {
    if (facts.bare) skip(target, 'staged/*', 'staged', '-', 'bare repository: no work tree');
    else {
      const staged = stageTwenty(top, target.name);
      const extra = { files: staged.files };
      bench(target, { name: 'staged/git-diff-node-floor', suite: 'staged', tool: 'git+node', argv: ['sh', '-c', 'git diff --cached >/dev/null && exec "$0" -e 0', node], cwd: top, env: staged.env, bytes: staged.bytes, minRuns: 10, extra });
      bench(target, { name: 'staged/keyguard', suite: 'staged', tool: 'keyguard', argv: [node, CLI, 'staged'], cwd: top, env: staged.env, bytes: staged.bytes, floor: 'staged/git-diff-node-floor', okStatus: [0, 1], minRuns: 10, extra });
    }
  }
  if (suites.has('peers')) {
    if (facts.bare) skip(target, 'peers/*', 'peers', '-', 'bare repository: no work tree');
    else {
      if (secretlint.missing) skip(target, 'tree/secretlint', 'tree', 'secretlint', secretlint.missing);
      else bench(target, { name: 'tree/secretlint', suite: 'tree', tool: 'secretlint', argv: secretlint.argv('.'), cwd: top, bytes: facts.treeBytes, floor: 'tree/grep-floor', okStatus: [0, 1], extra: { version: secretlint.version, files: facts.treeFiles } });
      if (gitSecrets.missing) {
        skip(target, 'tree/git-secrets', 'tree', 'git-secrets', gitSecrets.missing);
        skip(target, 'history/git-secrets', 'history', 'git-secrets', gitSecrets.missing);
      } else {
        bench(target, { name: 'tree/git-secrets', suite: 'tree', tool: 'git-secrets', argv: [gitSecrets.bin, '--scan'], cwd: top, env: gitSecrets.env, bytes: facts.treeBytes, floor: 'tree/grep-floor', okStatus: [0, 1], extra: { files: facts.treeFiles } });
        bench(target, { name: 'history/git-secrets', suite: 'history', tool: 'git-secrets', argv: [gitSecrets.bin, '--scan-history'], cwd: top, env: gitSecrets.env, bytes: facts.blobBytes, floor: 'history/git-cat-file-floor', okStatus: [0, 1] });
      }
    }
  }
}

if (opt.markdown) writeFileSync(opt.markdown, renderMarkdown(emitted));

/** The figures as Markdown: one table per repository, each tool beside its floor. */
function renderMarkdown(lines) {
  const machine = lines.find((l) => l.name === 'machine');
  const out = [`${machine.date.slice(0, 16).replace('T', ' ')} UTC, ${machine.nproc} cores (${machine.cpu}), ${machine.memGiB} GiB, Node ${machine.node.slice(1)}, ${machine.git}, keyguard ${machine.keyguard} (${machine.keyguardCommit ?? '?'})`, ''];
  const fmt = (x, d = 2) => (x === null || x === undefined ? '–' : Number(x).toFixed(d));
  for (const repo of lines.filter((l) => l.name === 'repo')) {
    out.push(`**${repo.repo}**: ${repo.commits} commits, ${repo.blobs} blobs, ${fmt(repo.blobBytes / 1e6, 0)} MB of unique blob bytes; work tree of ${repo.treeFiles} files, ${fmt(repo.treeBytes / 1e6, 0)} MB`, '');
    out.push('| measurement | median s | MB/s | × floor (median) | × floor (fastest) | × floor (CPU) | peak RSS MB (Node alone) | load |', '|---|---|---|---|---|---|---|---|');
    for (const l of lines.filter((x) => x.repo === repo.repo && x.suite)) {
      if (l.status !== 'ok') {
        out.push(`| ${l.name} | ${l.status}${l.reason ? `: ${l.reason}` : l.error ? `: ${l.error}` : ''} | | | | | | |`);
        continue;
      }
      const rss = l.peak_rss_mb === null ? '–' : `${fmt(l.peak_rss_mb, 0)}${l.node_rss_mb !== null && l.node_rss_mb !== l.peak_rss_mb ? ` (${fmt(l.node_rss_mb, 0)})` : ''}`;
      out.push(`| ${l.name}${l.runs < 3 ? ` (${l.runs} run)` : ''} | ${fmt(l.median_s, 3)} | ${l.suite === 'staged' ? '–' : fmt(l.mb_s, 0)} | ${l.floor ? fmt(l.ratio) : 'floor'} | ${l.floor ? fmt(l.min_ratio) : ''} | ${l.floor ? fmt(l.cpu_ratio) : ''} | ${rss} | ${fmt(l.load1, 1)} |`);
    }
    out.push('');
  }
  return `${out.join('\n')}\n`;
}
