// Files on disk: walked with fast-glob, or listed by git inside a work tree so .gitignore means exactly what git says.
import { closeSync, createReadStream, lstatSync, openSync, readFileSync, readSync, promises as fs, type Stats } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { GitStatus, SourceEvent } from '../types.js';
import { contentToEvents, type ContentGate } from './content.js';
import { CHUNK_BYTES, chunkFragments } from './chunks.js';
import { isBinaryFormatName } from './decode.js';
import { findWorkTree, gitOk, runGit, splitNul } from './git.js';
import type { Scope } from '../scope.js';

export interface TreeOptions {
  paths: string[];
  cwd: string;
  gitignore: boolean;
  maxFileSize?: number;
  /** Files never scanned (the report being written). */
  exclude?: string[];
  /** Skips decoding files that hold no rule keyword. */
  gate?: ContentGate;
  /** Told how many files were found so far (all at once inside a git work tree), for progress. */
  onListed?: (more: number) => void;
  env?: NodeJS.ProcessEnv;
  /** The work tree around a folder (default: ask git each time); the CLI passes the one it already asked for its config. */
  workTree?: (dir: string) => Promise<string | undefined>;
  /** Git's lists of each folder's files (default: asked when the folder is listed); see createGitLists. */
  gitLists?: GitLists;
  /** Owns the git processes (see src/scope.ts). */
  scope?: Scope;
}

export { CHUNK_BYTES, CHUNK_OVERLAP } from './chunks.js';
const READ_CONCURRENCY = 16;

interface Entry {
  abs: string;
  display: string;
  git?: GitStatus;
  /** The path relative to the work tree root, with `/` separators (inside a work tree). */
  inRepo?: string;
}

/**
 * `abs` relative to `base`, both absolute: a slice when it lies inside (path.relative resolves both paths again, which
 * is most of the listing's time on a big tree), else path.relative.
 */
function relativeTo(base: string, abs: string): string {
  const prefix = base.endsWith(sep) ? base : base + sep;
  return abs.startsWith(prefix) ? abs.slice(prefix.length) : relative(base, abs);
}

function toDisplay(cwd: string, abs: string): string {
  const rel = relativeTo(cwd, abs);
  const shown = rel === '' ? '.' : rel.startsWith('..') ? abs : rel;
  return sep === '/' ? shown : shown.split(sep).join('/');
}

async function gitSets(root: string, env?: NodeJS.ProcessEnv, scope?: Scope): Promise<{ tracked: Set<string>; visible: Set<string> }> {
  const opts = { cwd: root, ...(env ? { env } : {}), ...(scope ? { scope } : {}) };
  const [tracked, others] = await Promise.all([
    gitOk(['ls-files', '-z', '--cached', '--full-name'], opts),
    gitOk(['ls-files', '-z', '--others', '--exclude-standard', '--full-name'], opts),
  ]);
  const t = new Set(splitNul(tracked).map((p) => join(root, p)));
  const v = new Set(t);
  for (const p of splitNul(others)) v.add(join(root, p));
  return { tracked: t, visible: v };
}

/** A folder's work tree root and git's lists of its files, or no root outside a work tree. */
export type GitLists = (dir: string) => Promise<{ root?: string; sets?: { tracked: Set<string>; visible: Set<string> } }>;

/**
 * Git's lists for each folder, asked once per folder: a caller can start them (see prefetchGitLists) before the scan
 * needs them, and readTree uses the same answers through TreeOptions.gitLists.
 */
export function createGitLists(options: Pick<TreeOptions, 'env' | 'workTree' | 'scope'>): GitLists {
  const asked = new Map<string, ReturnType<GitLists>>();
  const workTree = options.workTree ?? ((d: string) => findWorkTree(d, options.env, options.scope));
  return (dir) => {
    let lists = asked.get(dir);
    if (!lists) {
      lists = (async () => {
        const root = await workTree(dir);
        return root ? { root, sets: await gitSets(root, options.env, options.scope) } : {};
      })();
      asked.set(dir, lists);
    }
    return lists;
  };
}

/** Start git's lists for the folders among `paths` now (git runs while the caller loads its config and rules). */
export function prefetchGitLists(lists: GitLists, paths: string[], cwd: string): void {
  for (const p of paths) {
    const abs = resolve(cwd, p);
    let dir = false;
    try {
      dir = lstatSync(abs).isDirectory();
    } catch {
      // The scan reports it.
    }
    // A failure is reported when readTree asks again (the same promise), not here.
    if (dir) lists(abs).catch(() => undefined);
  }
}

async function* listDirectory(dir: string, options: TreeOptions): AsyncGenerator<Entry> {
  const { root, sets } = await (options.gitLists ?? createGitLists(options))(dir);
  const status = (abs: string): GitStatus | undefined =>
    sets ? (sets.tracked.has(abs) ? 'tracked' : sets.visible.has(abs) ? 'untracked' : 'ignored') : undefined;
  const inRepo = (abs: string): { inRepo?: string } => (root ? { inRepo: relativeTo(root, abs).split(sep).join('/') } : {});
  if (sets && options.gitignore) {
    const prefix = dir.endsWith(sep) ? dir : dir + sep;
    const files = [...sets.visible].filter((p) => p.startsWith(prefix) || p === dir).sort();
    options.onListed?.(files.length);
    for (const abs of files) {
      const git = status(abs);
      yield { abs, display: toDisplay(options.cwd, abs), ...(git ? { git } : {}), ...inRepo(abs) };
    }
    return;
  }
  // fast-glob is loaded only here: a scan inside a work tree (git lists the files) never needs it.
  const { default: fg } = await import('fast-glob');
  const stream = fg.stream(['**'], {
    cwd: dir,
    dot: true,
    onlyFiles: false,
    followSymbolicLinks: false,
    ignore: ['**/.git', '**/.git/**'],
    suppressErrors: true,
    absolute: true,
    objectMode: true,
  });
  for await (const item of stream as AsyncIterable<{ path: string; dirent: { isDirectory(): boolean } }>) {
    if (item.dirent.isDirectory()) continue;
    options.onListed?.(1);
    const abs = resolve(item.path);
    const git = status(abs);
    yield { abs, display: toDisplay(options.cwd, abs), ...(git ? { git } : {}), ...inRepo(abs) };
  }
}

/**
 * Where files named on the command line sit in git: per work tree, one `git ls-files` for the tracked ones and one
 * `git check-ignore` for the rest (a few calls, however many files are named).
 */
async function namedFileStatus(files: string[], options: TreeOptions): Promise<Map<string, { git: GitStatus; inRepo: string }>> {
  const env = options.env;
  const workTree = options.workTree ?? ((d: string) => findWorkTree(d, env, options.scope));
  const out = new Map<string, { git: GitStatus; inRepo: string }>();
  const rootOf = new Map<string, string | undefined>();
  const byRoot = new Map<string, string[]>();
  for (const abs of files) {
    const dir = dirname(abs);
    if (!rootOf.has(dir)) rootOf.set(dir, await workTree(dir));
    const root = rootOf.get(dir);
    if (root) byRoot.set(root, [...(byRoot.get(root) ?? []), abs]);
  }
  for (const [root, list] of byRoot) {
    const rel = new Map(list.map((abs) => [relative(root, abs).split(sep).join('/'), abs]));
    const inside = [...rel.keys()].filter((r) => r !== '' && !r.startsWith('../'));
    if (inside.length === 0) continue;
    const opts = { cwd: root, ...(env ? { env } : {}), ...(options.scope ? { scope: options.scope } : {}) };
    const tracked = new Set(splitNul(await gitOk(['-c', 'core.quotePath=false', 'ls-files', '-z', '--cached', '--full-name', '--', ...inside.map((r) => `:(literal)${r}`)], opts)));
    const rest = inside.filter((r) => !tracked.has(r));
    const ignored = new Set<string>();
    if (rest.length > 0) {
      const r = await runGit(['check-ignore', '--stdin', '-z'], { ...opts, input: `${rest.join('\0')}\0` });
      if (r.code === 0) for (const p of splitNul(r.stdout)) ignored.add(p);
    }
    for (const r of inside) out.set(rel.get(r)!, { git: tracked.has(r) ? 'tracked' : ignored.has(r) ? 'ignored' : 'untracked', inRepo: r });
  }
  return out;
}

/** Every file the paths name, in a stable order; a path that does not exist is the caller's error to report first. */
async function* listEntries(options: TreeOptions): AsyncGenerator<Entry> {
  const excluded = new Set((options.exclude ?? []).map((p) => resolve(options.cwd, p)));
  const seen = new Set<string>();
  const named: string[] = [];
  for (const p of options.paths) {
    const abs = resolve(options.cwd, p);
    if (!(await fs.lstat(abs)).isDirectory()) named.push(abs);
  }
  const status = named.length > 0 ? await namedFileStatus(named, options) : new Map<string, { git: GitStatus; inRepo: string }>();
  for (const p of options.paths) {
    const abs = resolve(options.cwd, p);
    const st = await fs.lstat(abs);
    const entries: AsyncIterable<Entry> | Entry[] = st.isDirectory() ? listDirectory(abs, options) : [{ abs, display: toDisplay(options.cwd, abs), ...status.get(abs) }];
    for await (const e of entries) {
      if (seen.has(e.abs) || excluded.has(e.abs)) continue;
      seen.add(e.abs);
      yield e;
    }
  }
}

function describeFileType(st: Stats): string | undefined {
  if (st.isSymbolicLink()) return 'symbolic link, not followed';
  if (st.isFIFO()) return 'named pipe (FIFO), not read';
  if (st.isSocket()) return 'socket, not read';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'device file, not read';
  if (!st.isFile()) return 'not a regular file';
  return undefined;
}

function describeError(err: NodeJS.ErrnoException): string {
  switch (err.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'removed while scanning';
    case 'EISDIR':
      return 'is a directory';
    default:
      return err.message;
  }
}

/** What path rules and git advice need to know about a regular file: its path, git status and, when git does not track it, its mode. */
function fileEvent(e: Entry, st: Stats): SourceEvent {
  // Windows has no group/other permission bits to advise on (every file reads as 0o666 there).
  const notTracked = (e.git === 'untracked' || e.git === 'ignored') && process.platform !== 'win32';
  return {
    type: 'file',
    path: e.display,
    ...(e.git ? { git: e.git } : {}),
    ...(notTracked ? { mode: st.mode & 0o777 } : {}),
    ...(e.git === 'untracked' && e.inRepo ? { ignoreLine: `/${e.inRepo}` } : {}),
  };
}

// One buffer for every small file: a file's bytes are screened and decoded (into a string) before the next file is
// read, so nothing keeps them, and a tree of small files no longer pays for a fresh allocation per file.
let readBuffer = Buffer.allocUnsafeSlow(1024 * 1024);

/** A small file's bytes, in readBuffer (valid until the next call); read whole, as readFileSync would, if it grew. */
function readSmallFile(path: string, size: number): Buffer {
  if (readBuffer.length <= size) readBuffer = Buffer.allocUnsafeSlow(Math.min(Math.max(size + 1, readBuffer.length * 2), CHUNK_BYTES + 1));
  const fd = openSync(path, 'r');
  let n = 0;
  try {
    for (let r; n < readBuffer.length && (r = readSync(fd, readBuffer, n, readBuffer.length - n, null)) > 0; ) n += r;
  } finally {
    closeSync(fd);
  }
  // Full: the file grew since lstat (the buffer has room for one byte more than it had then).
  return n < readBuffer.length ? readBuffer.subarray(0, n) : readFileSync(path);
}

/** Read one small file into events; a big one is left to readChunks (after the events given). */
// Small files are read synchronously: the promise API costs a thread-pool round trip for each of lstat, open, fstat,
// read and close, about three times the time of the whole read on a tree of small files.
async function readEntry(e: Entry, options: TreeOptions): Promise<{ events: SourceEvent[]; chunked?: true }> {
  let st: Stats;
  try {
    st = lstatSync(e.abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // A tracked file deleted from the work tree is not content; anything else is worth a word.
    return { events: code === 'ENOENT' ? [] : [{ type: 'skipped', path: e.display, reason: describeError(err as NodeJS.ErrnoException) }] };
  }
  const odd = describeFileType(st);
  if (odd) return { events: [{ type: 'skipped', path: e.display, reason: odd }] };
  // A regular file: path rules see its name even when its content is skipped, binary or unreadable.
  const file = fileEvent(e, st);
  if (options.maxFileSize !== undefined && st.size > options.maxFileSize) {
    return { events: [file, { type: 'skipped', path: e.display, reason: `larger than --max-file-size (${st.size} bytes)` }] };
  }
  // A format that is binary by its specification is binary without being read (as in a history scan).
  if (isBinaryFormatName(e.display)) return { events: [file, { type: 'binary', path: e.display, bytes: 0 }] };
  if (st.size > CHUNK_BYTES) return { events: [file], chunked: true };
  try {
    const bytes = readSmallFile(e.abs, st.size);
    const events = contentToEvents(bytes, { path: e.display, ...(e.git ? { git: e.git } : {}) }, options.gate);
    // Files up to CHUNK_BYTES always come back as a list.
    return Array.isArray(events) ? { events: [file, ...events] } : { events: [file], chunked: true };
  } catch (err) {
    return { events: [file, { type: 'skipped', path: e.display, reason: describeError(err as NodeJS.ErrnoException) }] };
  }
}

/** A big file in overlapping chunks (see chunks.ts). */
async function* readChunks(e: Entry): AsyncGenerator<SourceEvent> {
  const stream = createReadStream(e.abs, { highWaterMark: CHUNK_BYTES });
  try {
    yield* chunkFragments(stream as AsyncIterable<Buffer>, { path: e.display, ...(e.git ? { git: e.git } : {}) }, async () => (await fs.stat(e.abs)).size);
  } catch (err) {
    yield { type: 'skipped', path: e.display, reason: describeError(err as NodeJS.ErrnoException) };
  } finally {
    stream.destroy();
  }
}

/** The tree source: an async iterable of fragments and skips, reading several small files at a time. */
export async function* readTree(options: TreeOptions): AsyncGenerator<SourceEvent> {
  const pending: { entry: Entry; read: Promise<{ events: SourceEvent[]; chunked?: true }> }[] = [];
  const drainOne = async function* (): AsyncGenerator<SourceEvent> {
    const next = pending.shift()!;
    const { events, chunked } = await next.read;
    yield* events;
    if (chunked) yield* readChunks(next.entry);
  };
  for await (const entry of listEntries(options)) {
    pending.push({ entry, read: readEntry(entry, options) });
    if (pending.length >= READ_CONCURRENCY) yield* drainOne();
  }
  while (pending.length > 0) yield* drainOne();
}
