// Commits: one `git log` stream lists what every commit changed, one `git cat-file --batch` streams each distinct
// blob once, while the log is still running. Provenance (commit, path) stays apart from content; the composition
// root attaches it afterwards.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { GitError, gitOk, runGit } from './git.js';
import { createBatchParser, createBodyPool, spawnCatFile, type BodyPool, type CatFileProcess } from './cat-file.js';
import { COMMIT_FORMAT, createLogParser, type ChangedFile, type CommitMeta } from './log-parse.js';

export type { ChangedFile, CommitMeta };

export interface HistoryOptions {
  root: string;
  env?: NodeJS.ProcessEnv;
  /** Revision arguments for git log; default every ref (`--all`). */
  revisions?: string[];
  /** `git cat-file` processes reading blobs side by side (default: 2 when the machine has 2 cores or more). */
  readers?: number;
  /** Memory to read blobs into (see cat-file.ts); readHistory makes one. */
  bodies?: BodyPool;
  /** Blob bytes read and not yet taken by the consumer, at most (default 16 MiB): the readers pause above it. */
  readAheadBytes?: number;
}

/** One blob's bytes, or undefined when the object is missing from the repository. */
export interface BlobContent {
  oid: string;
  path: string;
  content: Buffer | undefined;
}

export interface HistoryRead {
  commits: CommitMeta[];
  files: ChangedFile[];
  /** Each distinct blob that a commit wrote, once, in the order the log found them. */
  blobs: AsyncIterable<BlobContent>;
  /** How many blobs there are, once the log has been read (for progress). */
  total: () => number | undefined;
  /** Hand back a blob's content once nothing refers to it (its memory is reused for the next blobs). */
  release: (content: Buffer) => void;
  /** End the git processes reading blobs (for a caller that stops before it has read them all). */
  stop: () => void;
}

const SKIP_MODES = new Set(['160000', '120000']);

/** A tiny unbounded queue: the log parser pushes blob ids, cat-file pulls them. */
function createQueue<T>(): { push(v: T): void; end(err?: unknown): void; [Symbol.asyncIterator](): AsyncIterator<T> } {
  const items: T[] = [];
  let done = false;
  let error: unknown;
  let wake: (() => void) | undefined;
  return {
    push(v) {
      items.push(v);
      wake?.();
    },
    end(err) {
      done = true;
      error = err;
      wake?.();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        while (items.length > 0) yield items.shift()!;
        if (error) throw error;
        if (done) return;
        await new Promise<void>((r) => (wake = r));
        wake = undefined;
      }
    },
  };
}

/** Stream `git log` fields (NUL-separated) into a callback. */
async function streamLog(options: HistoryOptions, onField: (f: string) => void): Promise<void> {
  const args = [
    '-c', 'core.quotePath=false', '-c', 'log.showSignature=false',
    'log', ...(options.revisions ?? ['--all']),
    '--root', '--raw', '-c', '--combined-all-paths', '--no-abbrev', '-z', '-M', '--no-color', '--no-ext-diff', '--no-textconv',
    `--format=${COMMIT_FORMAT}`,
  ];
  const child = spawn('git', args, {
    cwd: options.root,
    env: { ...(options.env ?? process.env), GIT_TERMINAL_PROMPT: '0', GIT_NO_LAZY_FETCH: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const err: Buffer[] = [];
  child.stderr.on('data', (d: Buffer) => err.push(d));
  const closed = new Promise<number | null>((resolve, reject) => {
    child.on('error', (e: NodeJS.ErrnoException) => reject(new GitError(e.code === 'ENOENT' ? 'git is not installed or not on PATH: install git and try again' : `cannot run git: ${e.message}`, null, '')));
    child.on('close', resolve);
  });
  let carry = '';
  child.stdout.setEncoding('utf8');
  for await (const chunk of child.stdout as AsyncIterable<string>) {
    const text = carry + chunk;
    let at = 0;
    for (;;) {
      const nul = text.indexOf('\0', at);
      if (nul < 0) break;
      onField(text.slice(at, nul));
      at = nul + 1;
    }
    carry = text.slice(at);
  }
  if (carry) onField(carry);
  const code = await closed;
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
  const logDone = listHistory(options, {
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
  const reading = startReading(queue, { ...options, bodies });
  return {
    commits,
    files,
    total: () => (listed ? blobCount : undefined),
    release: (content) => bodies.give(content),
    blobs: (async function* () {
      try {
        yield* reading.blobs;
      } finally {
        reading.stop();
      }
      await logDone;
    })(),
    stop: reading.stop,
  };
}

/** Read ahead of the scan by at most this much: the readers pause above it and go on below half of it. */
const READ_AHEAD_BYTES = 16 * 1024 * 1024;

/**
 * Read blobs by id (each with the path to show for it). Inflating and applying deltas is git's work and most of a
 * history scan's: with more than one reader the ids are dealt out to that many `git cat-file` processes (each to
 * the one with the fewest waiting), and blobs come back in the order they are ready, not the order asked.
 *
 * Everything here is callbacks on git's output, with one queue in front of the consumer: the pipes are drained at
 * every turn of the event loop, and a blob costs no promise on its way but the consumer's own.
 */
export async function* readBlobs(wanted: AsyncIterable<{ oid: string; path: string }> | Iterable<{ oid: string; path: string }>, options: HistoryOptions): AsyncGenerator<BlobContent> {
  const reading = startReading(wanted, options);
  try {
    yield* reading.blobs;
  } finally {
    reading.stop();
  }
}

/** readBlobs, started at once: git reads while the caller gets ready. `stop` ends every cat-file process. */
export function startReading(wanted: AsyncIterable<{ oid: string; path: string }> | Iterable<{ oid: string; path: string }>, options: HistoryOptions): { blobs: AsyncGenerator<BlobContent>; stop: () => void } {
  const count = Math.max(1, Math.floor(options.readers ?? Math.min(2, availableParallelism())));
  const bodies = options.bodies;
  const readAhead = options.readAheadBytes ?? READ_AHEAD_BYTES;
  const take = bodies ? (size: number) => bodies.take(size) : (size: number) => Buffer.allocUnsafeSlow(size);
  const ready: BlobContent[] = [];
  let head = 0;
  let readyBytes = 0;
  let paused = false;
  let failure: { error: unknown } | undefined;
  const failed = (): { error: unknown } | undefined => failure;
  let running = count;
  /** Every id was handed to a reader (the log ended without an error). */
  let dealt = false;
  let wake: (() => void) | undefined;
  const signal = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const fail = (error: unknown): void => {
    failure ??= { error };
    signal();
  };

  interface Lane {
    git: CatFileProcess;
    /** Ids asked and not yet answered, oldest first (cat-file answers in the order asked). */
    asked: { oid: string; path: string }[];
    next: number;
    requested: number;
    answered: number;
  }
  const lanes: Lane[] = Array.from({ length: count }, () => {
    const lane: Lane = { git: spawnCatFile(options.root, options.env), asked: [], next: 0, requested: 0, answered: 0 };
    const parse = createBatchParser(take, (obj) => {
      const w = lane.asked[lane.next]!;
      lane.asked[lane.next++] = undefined as never; // let the path go once used
      lane.answered++;
      if (lane.next >= 4096 && lane.next * 2 >= lane.asked.length) {
        lane.asked.splice(0, lane.next);
        lane.next = 0;
      }
      const content = 'missing' in obj ? undefined : obj.content;
      ready.push({ oid: w.oid, path: w.path, content });
      readyBytes += content?.length ?? 0;
      if (readyBytes > readAhead && !paused) {
        paused = true;
        for (const l of lanes) l.git.child.stdout.pause();
      }
      signal();
    });
    lane.git.child.stdout.on('data', (chunk: Buffer) => {
      try {
        parse(chunk);
      } catch (e) {
        fail(e);
      }
    });
    void lane.git.exited.then((code) => {
      try {
        lane.git.check(code, dealt && lane.answered < lane.requested);
      } catch (e) {
        fail(e);
      }
      running--;
      signal();
    });
    return lane;
  });

  // Deal the ids as they come (the log may still be running), waiting on a full pipe as git asks.
  const dealing = (async () => {
    try {
      for await (const w of wanted) {
        let lane = lanes[0]!;
        for (const l of lanes) if (l.asked.length - l.next < lane.asked.length - lane.next) lane = l;
        lane.asked.push(w);
        lane.requested++;
        // The ids that arrive together go in one write (a write per id is a system call, and a wake-up for git).
        const stdin = lane.git.child.stdin;
        if (stdin.writableCorked === 0) {
          stdin.cork();
          process.nextTick(() => stdin.uncork());
        }
        if (!stdin.write(`${w.oid}\n`)) await new Promise<void>((r) => stdin.once('drain', r));
      }
      dealt = true;
    } catch (e) {
      fail(e);
    } finally {
      for (const l of lanes) l.git.child.stdin.end();
    }
  })();

  const stop = (): void => {
    for (const l of lanes) if (l.git.child.exitCode === null) l.git.child.kill();
  };
  const blobs = (async function* (): AsyncGenerator<BlobContent> {
    try {
      for (;;) {
        if (failure) throw failure.error;
        if (head < ready.length) {
          const blob = ready[head]!;
          ready[head++] = undefined as never;
          if (head >= 4096 && head * 2 >= ready.length) {
            ready.splice(0, head);
            head = 0;
          }
          readyBytes -= blob.content?.length ?? 0;
          if (paused && readyBytes <= readAhead / 2) {
            paused = false;
            for (const l of lanes) l.git.child.stdout.resume();
          }
          yield blob;
          continue;
        }
        if (running === 0) break;
        await new Promise<void>((r) => (wake = r));
      }
      await dealing;
      const f = failed();
      if (f) throw f.error;
    } finally {
      stop();
    }
  })();
  return { blobs, stop };
}

/** Facts about the repository that change how a history report reads. */
export interface RepoFacts {
  shallow: boolean;
  hasCommits: boolean;
  /** Commits reachable only from refs/stash. */
  stashOnly: Set<string>;
}

export async function readRepoFacts(options: HistoryOptions): Promise<RepoFacts> {
  const git = { cwd: options.root, ...(options.env ? { env: options.env } : {}) };
  // Side by side: each is a git start, and these come before the scan can begin.
  const [shallow, refs, head, stash] = await Promise.all([
    gitOk(['rev-parse', '--is-shallow-repository'], git),
    gitOk(['for-each-ref', '--count=1', '--format=%(refname)'], git),
    runGit(['rev-parse', '--verify', '-q', 'HEAD'], git),
    runGit(['rev-parse', '--verify', '-q', 'refs/stash'], git),
  ]);
  const stashOnly = new Set<string>();
  if (stash.code === 0) {
    const only = await gitOk(['rev-list', 'refs/stash', '--not', '--exclude=refs/stash', '--all'], git);
    for (const sha of only.toString('utf8').split('\n')) if (sha) stashOnly.add(sha);
  }
  return {
    shallow: shallow.toString('utf8').trim() === 'true',
    hasCommits: refs.toString('utf8').trim() !== '' || head.code === 0,
    stashOnly,
  };
}

/** What git says for exposure windows: HEAD, its tree, the commit graph and every ref's commit. */
export interface WindowGit {
  head: { code: number | null; stdout: Buffer };
  tree: { code: number | null; stdout: Buffer };
  graph: Buffer;
  refs: Buffer;
}

/**
 * The git half of readWindowFacts (four git calls side by side). It needs nothing from the scan, so a caller can start
 * it while the scan runs and hand it to readWindowFacts after.
 */
export async function readWindowGit(options: HistoryOptions): Promise<WindowGit> {
  const git = { cwd: options.root, ...(options.env ? { env: options.env } : {}) };
  // The whole commit graph (every ref and HEAD) and every ref's commit, instead of one --contains query per commit;
  // HEAD's tree fails (and is empty) when there is no HEAD.
  const [head, tree, graph, refs] = await Promise.all([
    runGit(['rev-parse', '--verify', '-q', 'HEAD'], git),
    runGit(['ls-tree', '-r', '-z', '--full-tree', 'HEAD'], git),
    gitOk(['rev-list', '--all', '--parents'], git),
    gitOk(['for-each-ref', '--format=%(objectname) %(*objectname) %(refname)'], git),
  ]);
  return { head, tree, graph, refs };
}

/** HEAD's tree and history, and the refs that reach each commit: for exposure windows (`read`: readWindowGit's answer). */
export async function readWindowFacts(
  options: HistoryOptions,
  commits: string[],
  read: Promise<WindowGit> = readWindowGit(options),
): Promise<{ headBlobs: Set<string>; headCommits: Set<string>; refsOf: Map<string, string[]> }> {
  const headBlobs = new Set<string>();
  const { head, tree, graph, refs } = await read;
  for (const entry of (head.code === 0 && tree.code === 0 ? tree.stdout : Buffer.alloc(0)).toString('utf8').split('\0')) {
    // "<mode> blob <oid>\t<path>"
    const m = /^\d+ blob ([0-9a-f]+)\t/.exec(entry);
    if (m) headBlobs.add(m[1]!);
  }
  const parentsOf = new Map<string, string[]>();
  for (const line of graph.toString('utf8').split('\n')) {
    if (!line) continue;
    const [sha, ...parents] = line.split(' ');
    parentsOf.set(sha!, parents);
  }
  const headCommits = head.code === 0 ? reachableFrom([head.stdout.toString('utf8').trim()], parentsOf) : new Set<string>();
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
