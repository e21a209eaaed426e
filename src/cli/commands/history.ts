import { readHistory, readRepoFacts, type HistoryRead, type RepoFacts } from '../../sources/history.js';
import { findRepository, repositoryRoot, runGit } from '../../sources/git.js';
import { describeIncomplete, fetchMissingObjects, readCloneShape, shapeReadOptions, type CloneShape } from '../../sources/clone-shape.js';
import { scan } from '../../scan/index.js';
import { UsageError } from '../errors.js';
import type { CommonArgs } from '../run-io.js';
import { scanDeps, warn, type Run } from '../run-state.js';
import { poolPlan, readSetup } from '../setup.js';
import { checkOutput, finishBaseline, progressFor, settle, writeReport, type Scanned } from '../output.js';
import type { Command } from './command.js';
import { withLayout } from '../../report/layout.js';
import type { Scope } from '../../scope.js';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ReviewItem } from '../../types.js';
import { readChangedFiles } from '../../sources/git-file.js';
import { CONFIG_FILE } from '../../config/read-config.js';
import { reviewConfigChange, type TrustedRole } from '../../config/review-changes.js';
import { baselineKey } from '../../filter/baseline.js';
import { DEFAULT_BASELINE } from '../../config/baseline.js';

export interface HistoryArgs extends CommonArgs {
  jobs?: number;
  range?: string;
  sinceCommit?: string;
  branch?: string;
  /** --unpushed: the commits of --branch (default HEAD) that no remote-tracking branch holds (the pre-push hook). */
  unpushed?: boolean;
  /** --fetch-missing: in a partial clone, fetch the missing blobs first. */
  fetchMissing?: boolean;
  /** --brief: one line per finding (text). */
  brief?: boolean;
}

/** The commit a revision names, or a usage error; a shallow or partial clone is the usual reason it does not. */
async function requireCommit(root: string, env: NodeJS.ProcessEnv, option: string, rev: string, scope: Scope): Promise<string> {
  const r = await runGit(['rev-parse', '--verify', '-q', '--end-of-options', `${rev}^{commit}`], { cwd: root, env, scope });
  if (r.code !== 0) throw new UsageError(`${option} ${rev}: no such commit in this repository; check the name, or fetch the full history (git fetch --unshallow, or fetch-depth: 0 in actions/checkout)`);
  return r.stdout.toString('utf8').trim();
}

/** Both commits, asked of git side by side; the first one's error when both fail. */
async function requireCommits(root: string, env: NodeJS.ProcessEnv, option: string, a: string, b: string, scope: Scope): Promise<[string, string]> {
  const [x, y] = await Promise.allSettled([requireCommit(root, env, option, a, scope), requireCommit(root, env, option, b, scope)]);
  if (x.status === 'rejected') throw x.reason;
  if (y.status === 'rejected') throw y.reason;
  return [x.value, y.value];
}

/** Where two commits fork, else `a` (unrelated histories). A failure waits for whoever awaits it. */
function forkPoint(root: string, env: NodeJS.ProcessEnv, a: string, b: string, scope: Scope): Promise<string> {
  const fork = runGit(['merge-base', a, b], { cwd: root, env, scope }).then((r) => (r.code === 0 && r.stdout.toString('utf8').trim()) || a);
  fork.catch(() => undefined);
  return fork;
}

/**
 * What a history scan reads: the git log revisions, and for a range (a pull request, a push) its base and head. The
 * configuration and the baseline are read at the base (docs/trust.md), and what the range changes in them is
 * compared from `changesFrom` (where the range forks from its base) to the head.
 */
interface HistoryPlan {
  revisions: string[];
  /** `changesFrom` is asked of git while the scan runs: only the review at the end needs it. */
  range?: { base: string; head: string; changesFrom: Promise<string> };
}

/** The plan for the options given. */
async function planHistory(args: HistoryArgs, root: string, env: NodeJS.ProcessEnv, scope: Scope): Promise<HistoryPlan> {
  const chosen = [args.range && '--range', args.sinceCommit && '--since-commit', (args.branch || args.unpushed) && (args.unpushed ? '--unpushed' : '--branch')].filter(Boolean);
  if (chosen.length > 1) throw new UsageError(`${chosen.join(' and ')}: choose one of them`);
  if (args.range) {
    const m = /^(.*?)(\.\.\.?)(.*)$/.exec(args.range);
    if (!m) throw new UsageError(`--range ${args.range}: expected A..B (commits reachable from B but not from A)`);
    const [, from = '', dots = '..', to = ''] = m;
    const [base, head] = await requireCommits(root, env, '--range', from || 'HEAD', to || 'HEAD', scope);
    const fork = forkPoint(root, env, base, head, scope);
    // A...B: the commits of both sides since they forked, so the merge base is what both trust.
    const trusted = dots === '...' ? await fork : base;
    return { revisions: [`${from || 'HEAD'}${dots}${to || 'HEAD'}`], range: { base: trusted, head, changesFrom: fork } };
  }
  if (args.sinceCommit) {
    const [base, head] = await requireCommits(root, env, '--since-commit', args.sinceCommit, 'HEAD', scope);
    return { revisions: [`${args.sinceCommit}..HEAD`], range: { base, head, changesFrom: forkPoint(root, env, base, head, scope) } };
  }
  if (args.unpushed) {
    // What a push of a new branch sends: its commits that no remote-tracking branch holds.
    if (args.branch) await requireCommit(root, env, '--branch', args.branch, scope);
    return { revisions: [args.branch ?? 'HEAD', '--not', '--remotes'] };
  }
  if (args.branch) {
    await requireCommit(root, env, '--branch', args.branch, scope);
    return { revisions: [args.branch] };
  }
  return { revisions: ['--all'] };
}

/** The files a range may change that keyguard trusts (root-relative), and what each one is. */
function trustedFiles(args: HistoryArgs, root: string, cwd: string, env: NodeJS.ProcessEnv): { path: string; role: TrustedRole }[] {
  const inside = (file: string | undefined): string | undefined => {
    if (!file) return undefined;
    const rel = relative(root, resolve(cwd, file));
    return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : undefined;
  };
  const files: { path: string; role: TrustedRole }[] = [
    { path: CONFIG_FILE, role: 'config' },
    { path: inside(args.config ?? (env['KEYGUARD_CONFIG'] || undefined)) ?? CONFIG_FILE, role: 'config' },
    { path: DEFAULT_BASELINE, role: 'baseline' },
    { path: inside(args.baseline) ?? DEFAULT_BASELINE, role: 'baseline' },
    { path: '.gitleaksignore', role: 'gitleaksignore' },
  ];
  return files.filter((f, i) => files.findIndex((g) => g.path === f.path) === i);
}

/** Read what the range changes in the files keyguard trusts (started before the scan, described after it). */
function readTrustedChanges(args: HistoryArgs, run: Run, root: string, range: NonNullable<HistoryPlan['range']>): Promise<(found: ReadonlySet<string>) => ReviewItem[]> {
  const files = trustedFiles(args, root, run.io.cwd, run.io.env);
  return range.changesFrom
    .then((from) => readChangedFiles(root, from, range.head, files.map((f) => f.path), run.io.env))
    .then((changed) => (found) => changed.map((c) => reviewConfigChange(c.path, files.find((f) => f.path === c.path)!.role, c.before?.toString('utf8'), c.after?.toString('utf8'), found)));
}

export const historyCommand: Command<HistoryArgs> = {
  name: 'history',
  usage: 'history',
  describe: 'Scan commits: every ref by default, each leak attributed to the commit that introduced it',
  async handler(args, run: Run) {
    const { result, rules } = await scanHistoryOf(args, run);
    return writeReport(run, withLayout(result, args), args, rules);
  },
};

/** The commits the arguments name, scanned and settled (verified, warn-only matches taken out, range changes for review). */
export async function scanHistoryOf(args: HistoryArgs, run: Run): Promise<Scanned> {
  const env = run.io.env;
  // Every git process, socket and thread below belongs to the run's scope: a failure anywhere ends them all.
  const scope = run.scope;
  // A work tree, a bare repository or a mirror: git runs at the work tree's root, else in the git directory.
  const repo = await findRepository(run.io.cwd, env, scope);
  if (!repo) throw new UsageError(`${run.io.cwd}: not inside a git repository; run keyguard history in a work tree, a bare repository or a mirror`);
  const root = repositoryRoot(repo);
  let shape = await readCloneShape({ cwd: root, env, scope });
  if (args.fetchMissing && shape.partial) {
    const { revisions } = await planHistory(args, root, env, scope);
    const done = await fetchMissingObjects({ cwd: root, env, scope }, shape.partial, revisions);
    if (!args.quiet) warn(run, `keyguard: fetched ${done.fetched} missing object(s) from ${shape.partial.remote}${done.stillMissing > 0 ? `; ${done.stillMissing} could not be fetched` : ''}`);
    // Everything is here now: read as in a full clone (rename detection included), else only what is present.
    shape = done.stillMissing === 0 ? { partial: shape.partial } : await readCloneShape({ cwd: root, env, scope });
  }
  const read = shapeReadOptions(shape);
  // Every ref (the default): the log and the readers start first, so git lists and reads commits while the facts
  // below, the configuration and the rules load.
  const early = args.range || args.sinceCommit || args.branch || args.unpushed ? undefined : readHistory({ root, env, scope, revisions: ['--all'], ...read });
  // git answers while the configuration and the rules load; a failure is reported where it was before (below).
  const repoFacts = readRepoFacts({ root, env, scope });
  repoFacts.catch(() => undefined);
  let source = early;
  const open = async (plan: HistoryPlan): Promise<HistoryRead> => (source ??= readHistory({ root, env, scope, revisions: plan.revisions, ...read }));
  try {
    return await scanCommits(args, run, root, repoFacts, open, Boolean(early), shape);
  } finally {
    // Its git processes end with the scan, or here when something failed before the scan began.
    source?.stop();
  }
}

/** The history scan; `open` gives the history being read (with every ref, already started). */
async function scanCommits(args: HistoryArgs, run: Run, root: string, repoFacts: Promise<RepoFacts>, open: (plan: HistoryPlan) => Promise<HistoryRead>, everyRef: boolean, shape: CloneShape): Promise<Scanned> {
  const env = run.io.env;
  checkOutput(run, args, []);
  const plan = everyRef ? { revisions: ['--all'] } : await planHistory(args, root, env, run.scope);
  // A range trusts its base's configuration and baseline, never the code under check (docs/trust.md).
  const setup = await readSetup(run, args, { root, from: plan.range ? { type: 'revision', rev: plan.range.base, head: plan.range.head } : undefined });
  // What the range changes in them is read while the scan runs, and reported after it.
  const trustedChanges = plan.range ? readTrustedChanges(args, run, root, plan.range) : undefined;
  trustedChanges?.catch(() => undefined);
  const facts = await repoFacts;
  if (!facts.hasCommits) {
    const notes = ['this repository has no commits yet: nothing to scan'];
    return { result: { mode: 'history', findings: [], skipped: [], stats: { files: 0, bytes: 0, binary: 0, skipped: 0, findings: 0, durationMs: 0, commits: 0, blobs: 0 }, notes }, rules: setup.rules };
  }
  const read = await open(plan);
  const result = await scan(
    {
      source: { kind: 'history', root, read, facts, everyRef, pool: poolPlan(run.io, args.jobs), readOptions: shapeReadOptions(shape) },
      ruleSet: setup.ruleSet,
      suppression: setup.suppression,
      showSecrets: args.showSecrets,
      verify: setup.verify,
      progress: (unit, total) => progressFor(run, args, unit, total),
    },
    scanDeps(run),
  );
  // A range does not see the whole history: --baseline-update then only adds.
  finishBaseline(run, setup, result, args, Boolean(args.range || args.sinceCommit || args.branch || args.unpushed));
  if (facts.shallow) {
    const note = 'this is a shallow clone, so older history was not scanned; run git fetch --unshallow (or set fetch-depth: 0 in actions/checkout) and scan again';
    // One warning on stderr whatever the format; machine formats also carry it in the report.
    if (args.format !== 'text') result.notes.push(note);
    result.incomplete = true;
    warn(run, `keyguard: warning: ${note}`);
  }
  // Objects git could not read (a partial or damaged clone): one line each on stderr, in the report's notes too.
  const unseen = describeIncomplete(result.skipped, shape, read.incomplete, 'keyguard history');
  for (const note of unseen) {
    if (args.format !== 'text') result.notes.push(note);
    result.incomplete = true;
    warn(run, `keyguard: warning: ${note}`);
  }
  const chosen = args.range ?? args.sinceCommit ?? args.branch;
  if (chosen !== undefined && result.stats.commits === 0) {
    const option = args.range !== undefined ? '--range' : args.sinceCommit !== undefined ? '--since-commit' : '--branch';
    warn(run, `keyguard: warning: ${option} ${chosen}: no commit in this range, so nothing was scanned; check the range (an empty CI variable gives "..")`);
  }
  if (trustedChanges) {
    const changes = (await trustedChanges)(new Set(result.findings.map((f) => baselineKey(f))));
    if (changes.length > 0) result.review = [...changes, ...(result.review ?? [])];
  }
  return { result: settle(run, setup, result, args), rules: setup.rules };
}
