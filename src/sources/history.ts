// Commits: one `git log` stream lists what every commit changed, and `git cat-file --batch` readers (cat-file.ts)
// stream each distinct blob once, while the log is still running. Provenance (commit, path) stays apart from content; the composition
// root attaches it afterwards.
import { StringDecoder } from 'node:string_decoder';
import { openReceiver } from './receive.js';
import { createQueue } from './queue.js';
import { GitError, gitOk, runGit, spawnError, spawnGit } from './git.js';
import { createScope } from '../scope.js';
import { createBodyPool, readBlobs, startReading, type BlobContent, type ReadOptions } from './cat-file.js';
import { COMMIT_FORMAT, createLogParser, type ChangedFile, type CommitMeta } from './log-parse.js';

export type { ChangedFile, CommitMeta };

/** Where to read, and how the blobs are read (see cat-file.ts; readHistory makes the body pool). */
export interface HistoryOptions extends ReadOptions {
  /** Revision arguments for git log; default every ref (`--all`). */
  revisions?: string[];
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
}

const SKIP_MODES = new Set(['160000', '120000']);

/**
 * Stream `git log` fields (NUL-separated) into a callback. Its output comes through a socket read into reused
 * memory where one can be made (receive.ts), else a pipe: callbacks either way, with no stream between.
 */
async function streamLog(options: HistoryOptions, onField: (f: string) => void): Promise<void> {
  const args = [
    '-c', 'core.quotePath=false', '-c', 'log.showSignature=false',
    'log', ...(options.revisions ?? ['--all']),
    '--root', '--raw', '-c', '--combined-all-paths', '--no-abbrev', '-z', '-M', '--no-color', '--no-ext-diff', '--no-textconv',
    `--format=${COMMIT_FORMAT}`,
  ];
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let failure: { error: unknown } | undefined;
  const fields = (text: string): void => {
    let at = 0;
    for (;;) {
      const nul = text.indexOf('\0', at);
      if (nul < 0) break;
      onField(text.slice(at, nul));
      at = nul + 1;
    }
    carry = text.slice(at);
  };
  const take = (chunk: Buffer): void => {
    if (failure) return;
    try {
      fields(carry + decoder.write(chunk));
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
  const rest = carry + decoder.end();
  if (rest) onField(rest);
  if (code !== 0) {
    const why = Buffer.concat(err).toString('utf8').trim().split('\n')[0] ?? '';
    throw new GitError(`git log failed: ${why}`, code, why);
  }
}

/** What the log lists, as it lists it: each commit, each file a commit changed, and each distinct blob once. */
export interface HistorySink {
  commit(c: CommitMeta): void;
  file(f: ChangedFile): void;
  blob(oid: string, path: string): void;
}

/** Run git log over the revisions asked and hand what it lists to `sink`; resolves once the log is read. */
export function listHistory(options: HistoryOptions, sink: HistorySink): Promise<void> {
  const seen = new Set<string>();
  const parse = createLogParser(
    (c) => sink.commit(c),
    (f) => {
      if (SKIP_MODES.has(f.mode)) return;
      sink.file(f);
      if (f.deleted || seen.has(f.oid)) return;
      seen.add(f.oid);
      sink.blob(f.oid, f.path);
    },
  );
  return streamLog(options, parse);
}

/** Start reading history: the log and the blob reads run together. */
export function readHistory(options: HistoryOptions): HistoryRead {
  const bodies = options.bodies ?? createBodyPool();
  const commits: CommitMeta[] = [];
  const files: ChangedFile[] = [];
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
