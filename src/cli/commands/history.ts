import { createKeywordGate } from '../../detect/gate.js';
import { readBlobs, readHistory, readRepoFacts, readWindowFacts, readWindowGit, type HistoryRead, type RepoFacts, type WindowGit } from '../../sources/history.js';
import { findRepository, repositoryRoot, runGit } from '../../sources/git.js';
import { describeIncomplete, fetchMissingObjects, readCloneShape, shapeReadOptions, type CloneShape } from '../../sources/clone-shape.js';
import { scanHistory } from '../../scan/scan.js';
import { UsageError } from '../errors.js';
import type { CommonArgs, Context } from '../context.js';
import type { Command } from './command.js';
import type { Scope } from '../../scope.js';

interface HistoryArgs extends CommonArgs {
  jobs?: number;
  range?: string;
  sinceCommit?: string;
  branch?: string;
  fetchMissing?: boolean;
}

/** Check that a revision names a commit here; a shallow or partial clone is the usual reason it does not. */
async function requireCommit(root: string, env: NodeJS.ProcessEnv, option: string, rev: string, scope: Scope): Promise<void> {
  const r = await runGit(['rev-parse', '--verify', '-q', '--end-of-options', `${rev}^{commit}`], { cwd: root, env, scope });
  if (r.code !== 0) throw new UsageError(`${option} ${rev}: no such commit in this repository; check the name, or fetch the full history (git fetch --unshallow, or fetch-depth: 0 in actions/checkout)`);
}

/** The git log revision arguments for the options given. */
async function revisionsFor(args: HistoryArgs, root: string, env: NodeJS.ProcessEnv, scope: Scope): Promise<string[]> {
  const chosen = [args.range && '--range', args.sinceCommit && '--since-commit', args.branch && '--branch'].filter(Boolean);
  if (chosen.length > 1) throw new UsageError(`${chosen.join(' and ')}: choose one of them`);
  if (args.range) {
    const m = /^(.*?)(\.\.\.?)(.*)$/.exec(args.range);
    if (!m) throw new UsageError(`--range ${args.range}: expected A..B (commits reachable from B but not from A)`);
    const [, from = '', dots = '..', to = ''] = m;
    if (from) await requireCommit(root, env, '--range', from, scope);
    if (to) await requireCommit(root, env, '--range', to, scope);
    return [`${from || 'HEAD'}${dots}${to || 'HEAD'}`];
  }
  if (args.sinceCommit) {
    await requireCommit(root, env, '--since-commit', args.sinceCommit, scope);
    return [`${args.sinceCommit}..HEAD`];
  }
  if (args.branch) {
    await requireCommit(root, env, '--branch', args.branch, scope);
    return [args.branch];
  }
  return ['--all'];
}

export const historyCommand: Command<HistoryArgs> = {
  name: 'history',
  usage: 'history',
  describe: 'Scan commits: every ref by default, each leak attributed to the commit that introduced it',
  async handler(args, ctx: Context) {
    const env = ctx.io.env;
    // Every git process, socket and thread below belongs to the run's scope: a failure anywhere ends them all.
    const scope = ctx.scope;
    // A work tree, a bare repository or a mirror: git runs at the work tree's root, else in the git directory.
    const repo = await findRepository(ctx.io.cwd, env, scope);
    if (!repo) throw new UsageError(`${ctx.io.cwd}: not inside a git repository; run keyguard history in a work tree, a bare repository or a mirror`);
    const root = repositoryRoot(repo);
    let shape = await readCloneShape({ cwd: root, env, scope });
    if (args.fetchMissing && shape.partial) {
      const revisions = await revisionsFor(args, root, env, scope);
      const done = await fetchMissingObjects({ cwd: root, env, scope }, shape.partial, revisions);
      if (!args.quiet) ctx.warn(`keyguard: fetched ${done.fetched} missing object(s) from ${shape.partial.remote}${done.stillMissing > 0 ? `; ${done.stillMissing} could not be fetched` : ''}`);
      // Everything is here now: read as in a full clone (rename detection included), else only what is present.
      shape = done.stillMissing === 0 ? { partial: shape.partial } : await readCloneShape({ cwd: root, env, scope });
    }
    const read = shapeReadOptions(shape);
    // Every ref (the default): the log and the readers start first, so git lists and reads commits while the facts
    // below, the configuration and the rules load.
    const early = args.range || args.sinceCommit || args.branch ? undefined : readHistory({ root, env, scope, revisions: ['--all'], ...read });
    // git answers while the configuration and the rules load; a failure is reported where it was before (below).
    const repoFacts = readRepoFacts({ root, env, scope });
    repoFacts.catch(() => undefined);
    let source = early;
    const open = async (): Promise<HistoryRead> => (source ??= readHistory({ root, env, scope, revisions: await revisionsFor(args, root, env, scope), ...read }));
    try {
      return await scan(args, ctx, root, repoFacts, open, Boolean(early), shape);
    } finally {
      // Its git processes end with the scan, or here when something failed before the scan began.
      source?.stop();
    }
  },
};

/** The history scan; `open` gives the history being read (with every ref, already started). */
async function scan(args: HistoryArgs, ctx: Context, root: string, repoFacts: Promise<RepoFacts>, open: () => Promise<HistoryRead>, everyRef: boolean, shape: CloneShape): Promise<number> {
  const env = ctx.io.env;
  const scope = ctx.scope;
  ctx.checkOutput(args, []);
  await ctx.loadConfig(args, { root });
  const suppression = await ctx.suppression(args);
  const ruleSet = await ctx.loadRuleSet();
  const facts = await repoFacts;
  const notes: string[] = [];
  if (!facts.hasCommits) {
    notes.push('this repository has no commits yet: nothing to scan');
    return ctx.report({ mode: 'history', findings: [], skipped: [], stats: { files: 0, bytes: 0, binary: 0, skipped: 0, findings: 0, durationMs: 0, commits: 0, blobs: 0 }, notes }, args);
  }
  const source = await open();
  const gate = createKeywordGate(ruleSet);
  const progress = ctx.progress(args, 'blobs', source.total);
  const verify = ctx.prepareVerify(args);
  // The exposure windows' git calls start at the first secret found, hidden behind the rest of the scan (and made
  // while Node's heap is small, which makes each git start cheaper); a rejection waits for readWindowFacts. A log of
  // every ref lists the whole commit graph itself (its commits fill in as it is read, and it is read by the time
  // the windows are worked out).
  let windowGit: Promise<WindowGit> | undefined;
  const startWindowGit = (): Promise<WindowGit> => {
    if (!windowGit) (windowGit = readWindowGit({ root, env, scope }, { head: { sha: facts.head }, ...(everyRef ? { graph: source.commits } : {}) })).catch(() => undefined);
    return windowGit;
  };
  const result = await scanHistory(
    { ...source, readMore: (oids) => readBlobs(oids, { root, env, scope, readers: 1, ...shapeReadOptions(shape) }), stashOnly: facts.stashOnly },
    {
      mode: 'history',
      ruleSet,
      showSecrets: args.showSecrets,
      now: ctx.io.now,
      windowFacts: (commits) => readWindowFacts({ root, env, scope }, commits, startWindowGit()),
      prepareWindowFacts: () => void startWindowGit(),
      ...(progress ? { onProgress: progress } : {}),
      ...(gate ? { gate } : {}),
      ...ctx.detectPool(args.jobs, ruleSet.rules),
      ...verify,
      ...suppression,
    },
  );
  progress?.stop();
  // A range does not see the whole history: --baseline-update then only adds.
  ctx.finishBaseline(result, args, Boolean(args.range || args.sinceCommit || args.branch));
  if (facts.shallow) {
    const note = 'this is a shallow clone, so older history was not scanned; run git fetch --unshallow (or set fetch-depth: 0 in actions/checkout) and scan again';
    // One warning on stderr whatever the format; machine formats also carry it in the report.
    if (args.format !== 'text') result.notes.push(note);
    result.incomplete = true;
    ctx.warn(`keyguard: warning: ${note}`);
  }
  // Objects git could not read (a partial or damaged clone): one line each on stderr, in the report's notes too.
  const unseen = describeIncomplete(result.skipped, shape, source.incomplete, 'keyguard history');
  for (const note of unseen) {
    if (args.format !== 'text') result.notes.push(note);
    result.incomplete = true;
    ctx.warn(`keyguard: warning: ${note}`);
  }
  const chosen = args.range ?? args.sinceCommit ?? args.branch;
  if (chosen !== undefined && result.stats.commits === 0) {
    const option = args.range !== undefined ? '--range' : args.sinceCommit !== undefined ? '--since-commit' : '--branch';
    ctx.warn(`keyguard: warning: ${option} ${chosen}: no commit in this range, so nothing was scanned; check the range (an empty CI variable gives "..")`);
  }
  result.notes.push(...notes);
  return ctx.report(ctx.separateWarnings(await ctx.verify(result, args), ruleSet.rules, args), args);
}
