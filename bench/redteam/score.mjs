// Red-team score: writes the cases of cases.mjs under bench/.work/redteam, runs the built CLI over them
// (`scan` for the tree, `history` for a repository whose leaks exist only in past commits) and prints recall,
// precision, every miss and every false positive with its file and the case's note.
//
//   node bench/redteam/score.mjs [--seed N] [--json] [--strict] [--cli PATH] [--work DIR]
//   (--cli: default a copy of dist/cli.js; --work: default bench/.work/redteam; --strict: exit 1 on any miss or FP)
//
// Findings of path rules (kind credential-file: .env, service-account*.json by name…) are hygiene warnings, not
// content detection: they are counted apart and never match a plant.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCases } from './cases.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};
const seed = Number(opt('--seed', '20261201'));
const cliArg = opt('--cli', undefined);
const asJson = args.includes('--json');
const work = resolve(opt('--work', join(root, 'bench/.work/redteam')));
const treeDir = join(work, 'tree');
const histDir = join(work, 'history');

const { cases, history } = buildCases(seed);

rmSync(work, { recursive: true, force: true });

// The built CLI runs from a copy (bundle and the rules beside it), so a rebuild of dist/ by a test or a colleague
// during the run changes nothing scored.
let cli = cliArg ? resolve(cliArg) : join(work, 'keyguard/dist/cli.js');
if (!cliArg) {
  if (!existsSync(join(root, 'dist/cli.js'))) throw new Error('dist/cli.js is missing: run npm run build first');
  const snap = join(work, 'keyguard');
  mkdirSync(join(snap, 'dist'), { recursive: true });
  for (const f of ['cli.js', 'worker.js', 'chunks']) if (existsSync(join(root, 'dist', f))) cpSync(join(root, 'dist', f), join(snap, 'dist', f), { recursive: true });
  cpSync(join(root, 'rules'), join(snap, 'rules'), { recursive: true });
  writeFileSync(join(snap, 'package.json'), readFileSync(join(root, 'package.json')));
}
for (const c of cases) {
  const p = join(treeDir, c.path);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, c.content);
}

// History: one repository, each scenario's commits in turn; the files end clean at HEAD.
mkdirSync(histDir, { recursive: true });
const git = (...a) => execFileSync('git', a, { cwd: histDir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, GIT_AUTHOR_NAME: 'rt', GIT_AUTHOR_EMAIL: 'rt@example.org', GIT_COMMITTER_NAME: 'rt', GIT_COMMITTER_EMAIL: 'rt@example.org' } });
git('init', '-q', '-b', 'main');
git('config', 'core.hooksPath', '/dev/null');
writeFileSync(join(histDir, 'README.md'), '# history fixture\n');
git('add', '-A');
git('commit', '-q', '-m', 'init');
history.forEach((h, i) => {
  if (h.branch) git('checkout', '-q', '-b', h.branch);
  h.commits.forEach((step, j) => {
    const p = join(histDir, step.path);
    if (step.delete) rmSync(p, { force: true });
    else {
      mkdirSync(dirname(p), { recursive: true });
      writeFileSync(p, step.content);
    }
    git('add', '-A');
    git('commit', '-q', '--allow-empty', '-m', `scenario ${i + 1} step ${j + 1}`);
  });
  if (h.branch) git('checkout', '-q', 'main');
});

function run(cwd, argv) {
  const r = spawnSync(process.execPath, [cli, ...argv, '--format', 'json', '--show-secrets', '--no-color'], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.status !== 0 && r.status !== 1) throw new Error(`keyguard ${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const norm = (p) => p.replace(/\\/g, '/').replace(/^\.\//, '');
const same = (found, planted) => found === planted || (planted.length > 256 && found.length > 64 && planted.startsWith(found.replace(/…$/, '').slice(0, 64)));
const short = (s) => (s.length <= 16 ? s : `${s.slice(0, 10)}…${s.slice(-4)} (${s.length})`);

const tree = run(treeDir, ['scan', '.', '--no-gitignore']);
const hist = run(histDir, ['history']);

const misses = [];
const falsePositives = [];
const pathFindings = [];
let planted = 0;
let truePositives = 0;

function score(groups, findings, label) {
  const byFile = new Map();
  for (const f of findings) {
    if (f.kind === 'credential-file') {
      const grp = label === 'tree' ? groups.find((c) => c.path === norm(f.file)) : undefined;
      const plantedPath = grp?.plants.includes('@path');
      pathFindings.push({ label, file: f.file, ruleId: f.ruleId, planted: Boolean(plantedPath), negative: grp ? grp.plants.length === 0 : false, note: grp?.note });
      if (plantedPath) (byFile.get('@path') ?? byFile.set('@path', []).get('@path')).push({ ...f, secret: `@path:${norm(f.file)}`, used: false });
      continue;
    }
    const key = label === 'history' ? '*' : norm(f.file);
    if (!byFile.has(key)) byFile.set(key, []);
    byFile.get(key).push({ ...f, used: false });
  }
  for (const grp of groups) {
    const key = label === 'history' ? '*' : grp.path;
    const list = byFile.get(key) ?? [];
    for (const p of grp.plants) {
      planted++;
      const hit = p === '@path' ? byFile.get('@path')?.find((f) => !f.used && f.secret === `@path:${grp.path}`) : list.find((f) => !f.used && same(f.secret, p));
      if (hit) {
        hit.used = true;
        truePositives++;
      } else misses.push({ label, file: grp.path ?? grp.commits.map((c) => c.path).join(','), secret: short(p), note: grp.note, reported: list.filter((f) => !f.used).map((f) => `${f.ruleId}:${short(f.secret)}`) });
    }
  }
  const notes = new Map(groups.map((grp) => [label === 'history' ? '*' : grp.path, grp.note]));
  for (const [key, list] of byFile) for (const f of list) if (!f.used && key !== '@path') falsePositives.push({ label, file: f.file, line: f.line, ruleId: f.ruleId, secret: short(f.secret), note: notes.get(key) ?? '(no case)' });
}

score(cases, tree.findings, 'tree');
score(history, hist.findings, 'history');

const reported = truePositives + falsePositives.length;
const recall = planted ? truePositives / planted : 1;
const precision = reported ? truePositives / reported : 1;
const negatives = cases.filter((c) => c.plants.length === 0).length;
const summary = {
  seed,
  files: cases.length,
  negativeFiles: negatives,
  historyScenarios: history.length,
  planted,
  found: truePositives,
  falsePositives: falsePositives.length,
  recall: Number((recall * 100).toFixed(2)),
  precision: Number((precision * 100).toFixed(2)),
  pathRuleFindings: pathFindings.length,
  pathRuleFindingsOnNegatives: pathFindings.filter((p) => p.negative).length,
  skipped: tree.skipped?.length ?? 0,
};

if (asJson) {
  console.log(JSON.stringify({ summary, misses, falsePositives, pathFindings }, null, 2));
} else {
  console.log(`red team (seed ${seed}): ${cases.length} files (${negatives} hard-negative files) + ${history.length} history scenarios`);
  console.log(`recall    ${summary.recall}%  (${truePositives}/${planted} planted credentials found)`);
  console.log(`precision ${summary.precision}%  (${falsePositives.length} false positives of ${reported} content findings)`);
  console.log(`path-rule findings (credential files by name; scored only where a file is planted as one): ${pathFindings.length}, ${summary.pathRuleFindingsOnNegatives} of them on hard-negative files`);
  for (const p of pathFindings) if (p.negative) console.log(`PATH [${p.label}] ${p.file} ${p.ruleId} — ${p.note}`);
  for (const m of misses) console.log(`MISS [${m.label}] ${m.file}: ${m.secret} — ${m.note}${m.reported.length ? ` (reported instead: ${m.reported.join(', ')})` : ''}`);
  for (const f of falsePositives) console.log(`FP   [${f.label}] ${f.file}:${f.line} ${f.ruleId} ${f.secret} — ${f.note}`);
}
process.exitCode = misses.length + falsePositives.length > 0 && args.includes('--strict') ? 1 : 0;
