#!/usr/bin/env node
// Scores keyguard against the corpus written by generate.mjs.
//
//   node bench/corpus/score.mjs [--corpus DIR] [--cli dist/cli.js] [--min 0.99] [--no-history]
//
// Runs `keyguard scan DIR --format json --no-gitignore`, matches findings to the manifest by file and line (a
// planted credential is found when a finding is on its line; several credentials on one line need as many
// findings), and prints machine-readable lines:
//   scan recall=0.9921 precision=1.0000 tp=125 fn=1 fp=0 planted=126 findings=125 negatives=217 files=… types=…
//   miss <file>:<line> <kind>
//   fp <file>:<line>:<rule> <redacted secret> [negative kind]
// With a history repository (generate.mjs --history) and a keyguard that has `history`, it scores that too.
// Exit code: 0, or 1 when --min is given and recall or precision is below it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function parseArgs(argv) {
  const args = { corpus: join(ROOT, 'bench/.work/corpus'), cli: join(ROOT, 'dist/cli.js'), min: undefined, history: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--corpus') args.corpus = resolve(argv[++i]);
    else if (a === '--cli') args.cli = resolve(argv[++i]);
    else if (a === '--min') args.min = Number(argv[++i]);
    else if (a === '--no-history') args.history = false;
    else {
      process.stderr.write(`score.mjs: unknown option ${a}\n`);
      process.exit(2);
    }
  }
  return args;
}

function runKeyguard(cli, args, cwd) {
  const res = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (res.status !== 0 && res.status !== 1) {
    throw new Error(`keyguard ${args.join(' ')} exited ${res.status}: ${(res.stderr || '').trim().split('\n')[0]}`);
  }
  return JSON.parse(res.stdout);
}

/** Never print a secret: keep only a short head and tail. */
function redact(secret) {
  const s = String(secret ?? '');
  if (s.length <= 8) return '*'.repeat(s.length);
  if (s.includes('…')) return s;
  return `${s.slice(0, 4)}…${s.slice(-4)}`;
}

/**
 * Match findings to planted credentials. `keyOf` turns an entry (planted, negative or finding) into its location
 * key (file:line, or commit:file:line in history).
 */
export function scoreFindings(planted, negatives, findings, keyOf) {
  const want = new Map();
  for (const p of planted) {
    const k = keyOf(p);
    want.set(k, [...(want.get(k) ?? []), p]);
  }
  const negativeAt = new Map(negatives.map((n) => [keyOf(n), n.kind]));
  const got = new Map();
  for (const f of findings) {
    const k = keyOf(f);
    const list = got.get(k) ?? [];
    // One finding per place: the same span reported twice counts once.
    if (!list.some((g) => g.column === f.column && g.endColumn === f.endColumn)) list.push(f);
    got.set(k, list);
  }
  let tp = 0;
  const misses = [];
  const falsePositives = [];
  const byKind = new Map();
  for (const [k, ps] of want) {
    const found = Math.min(ps.length, got.get(k)?.length ?? 0);
    tp += found;
    ps.forEach((p, i) => {
      const stat = byKind.get(p.kind) ?? { found: 0, total: 0 };
      stat.total++;
      if (i < found) stat.found++;
      else misses.push(p);
      byKind.set(p.kind, stat);
    });
  }
  for (const [k, fs] of got) {
    const expected = want.get(k)?.length ?? 0;
    for (const f of fs.slice(expected)) falsePositives.push({ ...f, negativeKind: negativeAt.get(k) });
  }
  const fn = misses.length;
  const fp = falsePositives.length;
  const recall = planted.length === 0 ? 1 : tp / planted.length;
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  return { tp, fn, fp, recall, precision, misses, falsePositives, byKind };
}

function printScore(label, score, extra) {
  const f = (x) => x.toFixed(4);
  const lines = [`${label} recall=${f(score.recall)} precision=${f(score.precision)} tp=${score.tp} fn=${score.fn} fp=${score.fp} ${extra}`];
  for (const [kind, s] of [...score.byKind].sort()) lines.push(`${label}-kind ${kind} ${s.found}/${s.total}`);
  for (const m of score.misses) lines.push(`miss ${m.commit ? `${m.commit.slice(0, 10)}:` : ''}${m.file}:${m.line} ${m.kind}${m.scenario ? ` (${m.scenario})` : ''}`);
  for (const p of score.falsePositives) {
    lines.push(`fp ${p.commit ? `${p.commit.slice(0, 10)}:` : ''}${p.file}:${p.line}:${p.ruleId} ${redact(p.secret)}${p.negativeKind ? ` [negative: ${p.negativeKind}]` : ''}`);
  }
  process.stdout.write(lines.join('\n') + '\n');
}

function scoreScan(args) {
  const manifestPath = join(args.corpus, 'manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`${manifestPath} is missing: run node bench/corpus/generate.mjs first`);
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const report = runKeyguard(args.cli, ['scan', '.', '--format', 'json', '--no-gitignore'], args.corpus);
  const findings = report.findings.filter((f) => f.file !== 'manifest.json');
  const score = scoreFindings(manifest.planted, manifest.negatives, findings, (e) => `${e.file}:${e.line}`);
  printScore(
    'scan',
    score,
    `planted=${manifest.planted.length} findings=${findings.length} negatives=${manifest.negatives.length + manifest.negativeFiles.length} files=${report.stats?.files ?? '?'} types=${manifest.fileTypes.length}`,
  );
  return score;
}

function hasCommand(cli, name) {
  return spawnSync(process.execPath, [cli, name, '--help'], { encoding: 'utf8' }).status === 0;
}

function scoreHistory(args) {
  const manifestPath = join(dirname(args.corpus), 'history-manifest.json');
  if (!existsSync(manifestPath)) {
    process.stdout.write('history skipped: no history repository (run generate.mjs --history)\n');
    return undefined;
  }
  if (!hasCommand(args.cli, 'history')) {
    process.stdout.write('history skipped: this keyguard has no history command yet\n');
    return undefined;
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  const report = runKeyguard(args.cli, ['history', '--format', 'json'], manifest.repo);
  const findings = report.findings;
  // A finding carries the full sha; the manifest too.
  const score = scoreFindings(manifest.planted, manifest.negatives, findings, (e) => `${e.commit}:${e.file}:${e.line}`);
  printScore('history', score, `planted=${manifest.planted.length} findings=${findings.length}`);
  let staged;
  if (hasCommand(args.cli, 'staged')) {
    const sreport = runKeyguard(args.cli, ['staged', '--format', 'json'], manifest.repo);
    staged = scoreFindings(manifest.staged, [], sreport.findings, (e) => `${e.file}:${e.line}`);
    printScore('staged', staged, `planted=${manifest.staged.length} findings=${sreport.findings.length}`);
  }
  return { score, staged };
}

const args = parseArgs(process.argv.slice(2));
try {
  if (!existsSync(args.cli)) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'ignore' });
  const scan = scoreScan(args);
  const history = args.history ? scoreHistory(args) : undefined;
  if (args.min !== undefined) {
    const scores = [scan, history?.score, history?.staged].filter(Boolean);
    if (scores.some((s) => s.recall < args.min || s.precision < args.min)) process.exitCode = 1;
  }
} catch (err) {
  process.stderr.write(`score.mjs: ${err.message}\n`);
  process.exitCode = 2;
}
