// Commits: one `git log` stream lists what every commit changed, and `git cat-file --batch` readers (cat-file.ts)
// stream each distinct blob once, while the log is still running. Provenance (commit, path) stays apart from content; the composition
// root attaches it afterwards.
import { openReceiver } from './receive.js';
import { createQueue } from './queue.js';
import { GitError, gitOk, isMissingObjectError, runGit, spawnError, spawnGit } from './git.js';
import { showName, splitNulBytes } from './names.js';
import { createScope } from '../scope.js';
import { readBlobs, startReading, type BlobContent, type ReadOptions } from './cat-file.js';
import { createBodyPool } from './body-pool.js';
import { COMMIT_FORMAT, createLogParser, type ChangedFile, type CommitMeta } from './log-parse.js';

export type { ChangedFile, CommitMeta };

/** Where to read, and how the blobs are read (see cat-file.ts; readHistory makes the body pool). */
export interface HistoryOptions extends ReadOptions {
  /** Revision arguments for git log; default every ref (`--all`). */
  revisions?: string[];
  /** Rename detection in git log (default on); off in a partial clone, where it would need blobs that are not there. */
  renames?: boolean;
}

export { readBlobs, type BlobContent };

export interface HistoryRead {
  commits: CommitMeta[];
  files: ChangedFile[];
  /** Each distinct blob that a commit wrote, once, in the order the log found them. */
  blobs: AsyncIterable<BlobContent>;
  /** How many blobs there are, once the log has been read (for progress). */
  total: () => number | undefined;
  /** Hand back a blob's content once nothing refers to it (its memory is reused for the next blobs). */
  release: (content: Buffer) => void;
  /**
   * Screen the blobs read from now on as they arrive (see ReadOptions.screen): set once the rules are loaded, which
   * is after the reading began.
   */
  setScreen: (screen: ReadOptions['screen'], onScreened?: (blob: BlobContent) => void) => void;
  /** End the git processes listing and reading blobs (for a caller that stops before it has read them all). */
  stop: () => void;
  /** What git could not list (missing objects), one line each, filled in as the log is read. */
  incomplete: string[];
}

const SKIP_MODES = new Set(['160000', '120000']);

/**
 * Stream `git log` fields (NUL-separated, as bytes: paths are names, not text) into a callback. Its output comes
 * through a socket read into reused memory where one can be made (receive.ts), else a pipe: callbacks either way, with
 * no stream between. A field is valid only during the call.
 */
async function streamLog(options: HistoryOptions, renames: boolean, onField: (f: Buffer) => void): Promise<void> {
  const args = [
    '-c', 'core.quotePath=false', '-c', 'log.showSignature=false',
    'log', ...(options.revisions ?? ['--all']),
    '--root', '--raw', '-c', '--combined-all-paths', '--no-abbrev', '-z', renames ? '-M' : '--no-renames', '--no-color', '--no-ext-diff', '--no-textconv',
    `--format=${COMMIT_FORMAT}`,
  ];
  let carry: Buffer | undefined;
  let failure: { error: unknown } | undefined;
  const take = (chunk: Buffer): void => {
    if (failure) return;
    try {
      let at = 0;
      for (;;) {
        const nul = chunk.indexOf(0, at);
        if (nul < 0) break;
        if (carry) {
          onField(Buffer.concat([carry, chunk.subarray(at, nul)]));
          carry = undefined;
        } else onField(chunk.subarray(at, nul));
        at = nul + 1;
      }
      // A copy: the chunk's memory may be reused.
      if (at < chunk.length) carry = Buffer.concat(carry ? [carry, chunk.subarray(at)] : [chunk.subarray(at)]);
    } catch (e) {
      failure = { error: e };
    }
  };
  const receiver = await openReceiver(take, { scope: options.scope });
  // The run ended while the socket was made: start nothing.
  if (options.scope?.signal.aborted) throw new GitError('git log: not started, the scan has ended', null, '');
  const child = spawnGit(args, { cwd: options.root, env: options.env, stdio: ['ignore', receiver?.sink ?? 'pipe', 'pipe'], scope: options.scope });
  receiver?.handed();
  child.stdout?.on('data', take);
  const err: Buffer[] = [];
  child.stderr!.on('data', (d: Buffer) => err.push(d));
  const closed = new Promise<number | null>((resolve, reject) => {
    child.on('error', (e: NodeJS.ErrnoException) => reject(spawnError(e)));
    child.on('close', resolve);
  });
  // Without a pipe, git's exit does not wait for its output to be read: the socket's end does.
  const ended = receiver?.ended.catch((e: Error) => {
    failure ??= { error: new GitError(`git log: its output could not be read: ${e.message}`, null, '') };
  });
  const [code] = await Promise.all([closed, ended]);
  if (failure) throw failure.error;
  if (carry) onField(carry);
  if (code !== 0) {
    const stderr = Buffer.concat(err).toString('utf8').trim();
    const why = stderr.split('\n').find((l) => l.startsWith('fatal:')) ?? stderr.split('\n')[0] ?? '';
    throw new GitError(`git log failed: ${why}`, code, stderr);
  }
}

/** What the log lists, as it lists it: each commit, each file a commit changed, and each distinct blob once. */
export interface HistorySink {
  commit(c: CommitMeta): void;
  file(f: ChangedFile): void;
  blob(oid: string, path: string): void;
  /** Told what could not be listed (git could not read an object it needed), as one line, when it happens. */
  incomplete?(why: string): void;
}

/** At most this many commits are listed whole when git cannot list what they changed (see listPresentTrees). */
const MAX_TREE_LISTINGS = 20;

/**
 * Run git log over the revisions asked and hand what it lists to `sink`; resolves once the log is read. git log
 * needs every tree and, for rename detection, blobs: when one is missing (a partial or damaged clone) the log is
 * asked again without rename detection, going on after the commits already listed; when even that fails (a
 * treeless clone), the commits whose trees are present are listed whole instead (listPresentTrees). A missing
 * object never ends the listing.
 */
export async function listHistory(options: HistoryOptions, sink: HistorySink): Promise<void> {
  const seen = new Set<string>();
  const listed = new Set<string>();
  /** Skipping the commits an earlier attempt listed, and their files. */
  let skipping = false;
  /** The index in the sink's commit list of the commit whose files come now (the parser counts skipped ones too). */
  let current = -1;
  const parse = (): ((field: Buffer) => void) =>
    createLogParser(
      (c) => {
        skipping = listed.has(c.sha);
        if (skipping) return;
        listed.add(c.sha);
        current = listed.size - 1;
        sink.commit(c);
      },
      (f) => {
        if (skipping || SKIP_MODES.has(f.mode)) return;
        f.commit = current;
        sink.file(f);
        if (f.deleted || seen.has(f.oid)) return;
        seen.add(f.oid);
        sink.blob(f.oid, f.path);
      },
    );
  const renames = options.renames ?? true;
  try {
    await streamLog(options, renames, parse());
    return;
  } catch (e) {
    if (!(e instanceof GitError) || !isMissingObjectError(e.stderr)) throw e;
    if (!renames) return listPresentTrees(options, sink, listed, seen, e);
  }
  try {
    await streamLog(options, false, parse());
    sink.incomplete?.('git could not read an object it needed for rename detection, so renamed files are listed as added (a commit that only renamed a file may be named as the one that introduced a secret)');
  } catch (e) {
    if (!(e instanceof GitError) || !isMissingObjectError(e.stderr)) throw e;
    return listPresentTrees(options, sink, listed, seen, e);
  }
}

/**
 * When git log cannot list what commits changed (trees missing: a treeless clone, a lost pack), list the files of the
 * newest commits whose whole tree is present, as if each added them (the commit named is one that holds the secret,
 * not necessarily the one that introduced it), and say so.
 */
async function listPresentTrees(options: HistoryOptions, sink: HistorySink, listed: Set<string>, seen: Set<string>, failure: GitError): Promise<void> {
  const git = { cwd: options.root, ...(options.env ? { env: options.env } : {}), ...(options.scope ? { scope: options.scope } : {}) };
  const why = failure.stderr.split('\n').find((l) => l.startsWith('fatal:'))?.slice('fatal: '.length) ?? failure.message;
  // Commits are there even when their trees are not: git log without --raw reads no tree.
  const r = await runGit(['log', ...(options.revisions ?? ['--all']), '-z', `--format=${COMMIT_FORMAT}%x1f%T`], git);
  const commits: (CommitMeta & { tree: string })[] = [];
  for (const field of r.stdout.toString('utf8').split('\0')) {
    const f = field.replace(/^\n/, '');
    if (!f.startsWith('\x1e')) continue;
    const [sha = '', parents = '', author = '', email = '', date = '', tree = ''] = f.slice(1).split('\x1f');
    commits.push({ sha, parents: parents ? parents.split(' ') : [], author, email, date: date.trim(), tree: tree.trim() });
  }
  let trees = 0;
  let index = listed.size - 1;
  for (const c of commits) {
    if (listed.has(c.sha) || trees >= MAX_TREE_LISTINGS) continue;
    const t = await runGit(['ls-tree', '-r', '-z', '--full-tree', c.sha], git);
    if (t.code !== 0) continue;
    trees++;
    const { tree: _tree, ...meta } = c;
    listed.add(c.sha);
    sink.commit(meta);
    index++;
    for (const entry of splitNulBytes(t.stdout)) {
      // "<mode> blob <oid>\t<path>"
      const tab = entry.indexOf(9);
      const m = /^(\d+) blob ([0-9a-f]+)$/.exec(entry.subarray(0, tab).toString('latin1'));
      if (!m || SKIP_MODES.has(m[1]!)) continue;
      const path = showName(entry.subarray(tab + 1));
      sink.file({ commit: index, path, oid: m[2]!, mode: m[1]!, parentOids: [] });
      if (seen.has(m[2]!)) continue;
      seen.add(m[2]!);
      sink.blob(m[2]!, path);
    }
  }
  const unread = commits.filter((c) => !listed.has(c.sha)).length;
  sink.incomplete?.(
    `git could not list what ${unread} commit(s) changed (${why}): ${trees > 0 ? `the files of the ${trees} newest commit(s) whose trees are present were scanned instead, each named as the commit holding what it found` : 'none of their trees is present'}; fetch the missing objects (see --fetch-missing) for a full scan`,
  );
}

/** Start reading history: the log and the blob reads run together. */
export function readHistory(options: HistoryOptions): HistoryRead {
  const bodies = options.bodies ?? createBodyPool();
  const commits: CommitMeta[] = [];
  const files: ChangedFile[] = [];
  const incomplete: string[] = [];
  let blobCount = 0;
  const queue = createQueue<{ oid: string; path: string }>();
  let listed = false;
  // The log and the readers end together: when stopped, or with the run that owns them.
  const scope = options.scope?.child() ?? createScope();
  const logDone = listHistory({ ...options, scope }, {
    commit: (c) => commits.push(c),
    file: (f) => files.push(f),
    blob: (oid, path) => {
      blobCount++;
      queue.push({ oid, path });
    },
    incomplete: (why) => incomplete.push(why),
  }).then(
    () => {
      listed = true;
      queue.end();
    },
    (e: unknown) => queue.end(e),
  );
  // The readers start now too, and take ids as the log lists them.
  let screen: ReadOptions['screen'];
  let screened: ((blob: BlobContent) => void) | undefined;
  const reading = startReading(queue, {
    reuseMemory: true,
    ...options,
    scope,
    bodies,
    screen: (path) => screen?.(path),
    onScreened: (blob) => (screened ? (screened(blob), true) : false),
  });
  return {
    commits,
    files,
    incomplete,
    total: () => (listed ? blobCount : undefined),
    release: (content) => bodies.give(content),
    blobs: (async function* () {
      yield* reading.blobs;
      await logDone;
    })(),
    setScreen: (s, onScreened) => {
      screen = s;
      screened = onScreened;
    },
    stop: () => {
      reading.stop();
      void scope.close();
    },
  };
}

/** Facts about the repository that change how a history report reads. */
export interface RepoFacts {
  shallow: boolean;
  hasCommits: boolean;
  /** Commits reachable only from refs/stash. */
  stashOnly: Set<string>;
  /** HEAD's commit, or undefined without one (an unborn branch). */
  head: string | undefined;
}

export async function readRepoFacts(options: HistoryOptions): Promise<RepoFacts> {
  const git = { cwd: options.root, ...(options.env ? { env: options.env } : {}), ...(options.scope ? { scope: options.scope } : {}) };
  // Side by side, and as few as can say it: each is a git start, and these come before the scan can begin. The first
  // prints "true"/"false", then HEAD's commit (exit 1 without one).
  const [state, stash] = await Promise.all([
    runGit(['rev-parse', '--is-shallow-repository', '--verify', '-q', 'HEAD'], git),
    runGit(['rev-parse', '--verify', '-q', 'refs/stash'], git),
  ]);
  const [shallow = '', headLine = ''] = state.stdout.toString('utf8').split('\n');
  if (shallow !== 'true' && shallow !== 'false') {
    const why = state.stderr.trim().split('\n')[0] ?? '';
    throw new GitError(`git rev-parse failed: ${why}`, state.code, why);
  }
  // No HEAD (an unborn branch checked out) may still leave other refs with commits.
  const hasCommits = state.code === 0 || (await gitOk(['for-each-ref', '--count=1', '--format=%(refname)'], git)).toString('utf8').trim() !== '';
  const stashOnly = new Set<string>();
  if (stash.code === 0) {
    const only = await gitOk(['rev-list', 'refs/stash', '--not', '--exclude=refs/stash', '--all'], git);
    for (const sha of only.toString('utf8').split('\n')) if (sha) stashOnly.add(sha);
  }
  return { shallow: shallow === 'true', hasCommits, stashOnly, head: state.code === 0 ? headLine.trim() || undefined : undefined };
}

/** What git says for exposure windows: HEAD, its tree, the commit graph and every ref's commit. */
export interface WindowGit {
  /** HEAD's commit, or undefined without one. */
  head: string | undefined;
  tree: { code: number | null; stdout: Buffer };
  /** `git rev-list --all --parents`, or every commit the log listed when it listed every ref (the same graph). */
  graph: Buffer | CommitMeta[];
  refs: Buffer;
}

/**
 * The git half of readWindowFacts: up to four git calls side by side, fewer for what the caller knows already (the
 * commits of a log of every ref are the whole graph; readRepoFacts read HEAD). It needs nothing from the scan, so a
 * caller can start it while the scan runs and hand it to readWindowFacts after.
 */
export async function readWindowGit(options: HistoryOptions, known: { graph?: CommitMeta[]; head?: { sha: string | undefined } } = {}): Promise<WindowGit> {
  const git = { cwd: options.root, ...(options.env ? { env: options.env } : {}), ...(options.scope ? { scope: options.scope } : {}) };
  // The whole commit graph (every ref and HEAD) and every ref's commit, instead of one --contains query per commit;
  // HEAD's tree fails (and is empty) when there is no HEAD.
  const [head, tree, listed, refs] = await Promise.all([
    known.head ?? runGit(['rev-parse', '--verify', '-q', 'HEAD'], git).then((r) => ({ sha: r.code === 0 ? r.stdout.toString('utf8').trim() || undefined : undefined })),
    runGit(['ls-tree', '-r', '-z', '--full-tree', 'HEAD'], git),
    known.graph ?? gitOk(['rev-list', '--all', '--parents'], git),
    gitOk(['for-each-ref', '--format=%(objectname) %(*objectname) %(refname)'], git),
  ]);
  return { head: head.sha, tree, graph: listed, refs };
}

/** HEAD's tree and history, and the refs that reach each commit: for exposure windows (`read`: readWindowGit's answer). */
export async function readWindowFacts(
  options: HistoryOptions,
  commits: string[],
  read: Promise<WindowGit> = readWindowGit(options),
): Promise<{ headBlobs: Set<string>; headCommits: Set<string>; refsOf: Map<string, string[]> }> {
  const headBlobs = new Set<string>();
  const { head, tree, graph, refs } = await read;
  for (const entry of (head && tree.code === 0 ? tree.stdout : Buffer.alloc(0)).toString('utf8').split('\0')) {
    // "<mode> blob <oid>\t<path>"
    const m = /^\d+ blob ([0-9a-f]+)\t/.exec(entry);
    if (m) headBlobs.add(m[1]!);
  }
  const parentsOf = new Map<string, string[]>();
  if (Array.isArray(graph)) for (const c of graph) parentsOf.set(c.sha, c.parents);
  else {
    for (const line of graph.toString('utf8').split('\n')) {
      if (!line) continue;
      const [sha, ...parents] = line.split(' ');
      parentsOf.set(sha!, parents);
    }
  }
  const headCommits = head ? reachableFrom([head], parentsOf) : new Set<string>();
  // ref → the commit it names (a tag's target); refs naming a tree or a blob reach no commit.
  const refsAt = new Map<string, string[]>();
  for (const line of refs.toString('utf8').split('\n')) {
    const m = /^([0-9a-f]+) ([0-9a-f]*) (.+)$/.exec(line);
    if (!m) continue;
    const target = m[2] || m[1]!;
    if (!parentsOf.has(target)) continue;
    const list = refsAt.get(target) ?? [];
    list.push(m[3]!);
    refsAt.set(target, list);
  }
  const childrenOf = new Map<string, string[]>();
  for (const [sha, parents] of parentsOf) {
    for (const p of parents) {
      const list = childrenOf.get(p) ?? [];
      list.push(sha);
      childrenOf.set(p, list);
    }
  }
  const refsOf = new Map<string, string[]>();
  // As before, the first 200 introducing commits (a repository with hundreds of leaking commits).
  for (const sha of commits.slice(0, 200)) {
    const found: string[] = [];
    for (const c of reachableFrom([sha], childrenOf)) for (const r of refsAt.get(c) ?? []) found.push(r);
    refsOf.set(sha, found.sort());
  }
  return { headBlobs, headCommits, refsOf };
}

/** Every commit reachable from `starts` along `next` (starts included). */
function reachableFrom(starts: string[], next: Map<string, string[]>): Set<string> {
  const seen = new Set<string>(starts);
  const stack = [...starts];
  while (stack.length > 0) {
    for (const n of next.get(stack.pop()!) ?? []) {
      if (seen.has(n)) continue;
      seen.add(n);
      stack.push(n);
    }
  }
  return seen;
}
