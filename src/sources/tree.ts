// Files on disk: walked folder by folder, or listed by git inside a work tree so .gitignore means exactly what git
// says. Names are bytes from start to end: paths are held one character per byte (names.ts), given to the file system
// as bytes and shown plain or C-quoted, so a name with a newline or a byte that is not UTF-8 is read like any other.
import { closeSync, createReadStream, existsSync, lstatSync, openSync, readFileSync, readSync, promises as fs, type Stats } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { GitStatus, SourceEvent } from '../types.js';
import { contentToEvents, type ContentGate } from './content.js';
import { CHUNK_BYTES, chunkFragments } from './chunks.js';
import { isBinaryFormatName } from './decode.js';
import { findWorkTree, GitError, gitOk, runGit, splitNul } from './git.js';
import { binaryPathBytes, showBinaryPath, splitNulBytes, toBinaryPath } from './names.js';
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
  /** The absolute path, one character per byte (names.ts). */
  abs: string;
  /** Why it cannot be read (a folder that could not be listed), instead of reading it. */
  unreadable?: string;
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

/** How a path (one character per byte) is shown: relative to `cwd` (also one per byte) when inside it, plain or C-quoted. */
function toDisplay(cwd: string, abs: string): string {
  const rel = relativeTo(cwd, abs);
  const shown = rel === '' ? '.' : rel.startsWith('..') ? abs : rel;
  return showBinaryPath(sep === '/' ? shown : shown.split(sep).join('/'));
}

/** git's lists of a work tree's files, paths one character per byte; `unlisted`: folders git could not open (their reason). */
interface GitSets {
  tracked: Set<string>;
  visible: Set<string>;
  unlisted?: Map<string, string>;
  /** Submodule folders (from .gitmodules): git lists each as one entry; their own files are listed by their own git. */
  submodules?: Set<string>;
}

async function gitSets(root: string, env?: NodeJS.ProcessEnv, scope?: Scope): Promise<GitSets> {
  const opts = { cwd: root, ...(env ? { env } : {}), ...(scope ? { scope } : {}) };
  const [tracked, others, modules] = await Promise.all([
    gitOk(['ls-files', '-z', '--cached', '--full-name'], opts),
    runGit(['ls-files', '-z', '--others', '--exclude-standard', '--full-name'], opts),
    existsSync(join(root, '.gitmodules')) ? runGit(['config', '-z', '--file', '.gitmodules', '--get-regexp', '\\.path$'], opts) : undefined,
  ]);
  if (others.code !== 0) throw new GitError(`git ls-files failed: ${others.stderr.trim().split('\n')[0] ?? ''}`, others.code, others.stderr);
  // A folder git cannot open (a path over the system's limit, no permission) is a warning, and its files are not
  // listed: each such folder is reported as skipped instead.
  const unlisted = new Map<string, string>();
  // git cuts a warning at 4 KB: a folder whose name was cut short is named as far as git named it.
  for (const m of others.stderr.matchAll(/^warning: could not open directory '(.*?)(?:': (.*))?$/gm)) {
    const why = m[2] ?? 'File name too long';
    unlisted.set(join(toBinaryPath(root), toBinaryPath(m[2] === undefined ? `${m[1]!}…` : m[1]!)), why);
  }
  // Paths one character per byte: every name git lists, whatever its bytes.
  const base = toBinaryPath(root);
  const t = new Set(splitNulBytes(tracked).map((p) => join(base, p.toString('latin1'))));
  const v = new Set(t);
  for (const p of splitNulBytes(others.stdout)) v.add(join(base, p.toString('latin1')));
  const submodules = new Set<string>();
  for (const entry of modules?.code === 0 ? splitNulBytes(modules.stdout) : []) {
    const nl = entry.indexOf(10);
    if (nl >= 0) submodules.add(join(base, entry.subarray(nl + 1).toString('latin1')));
  }
  return { tracked: t, visible: v, ...(unlisted.size > 0 ? { unlisted } : {}), ...(submodules.size > 0 ? { submodules } : {}) };
}

/** A folder's work tree root and git's lists of its files, or no root outside a work tree. */
export type GitLists = (dir: string) => Promise<{ root?: string; sets?: GitSets }>;

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
  const base = root === undefined ? undefined : toBinaryPath(root);
  // The line for .gitignore: the name's text (a .gitignore cannot hold a byte that is not UTF-8 any better).
  const inRepo = (abs: string): { inRepo?: string } => (base !== undefined ? { inRepo: binaryPathBytes(relativeTo(base, abs).split(sep).join('/')).toString('utf8') } : {});
  const cwd = toBinaryPath(options.cwd);
  const top = toBinaryPath(dir);
  if (sets && options.gitignore) {
    const prefix = top.endsWith(sep) ? top : top + sep;
    const files = [...sets.visible].filter((p) => p.startsWith(prefix) || p === top).sort();
    options.onListed?.(files.length);
    for (const abs of files) {
      if (sets.submodules?.has(abs) && abs !== top) {
        // A submodule checked out here is a work tree of its own: its files, as its git lists them (an empty folder
        // when it is not checked out: nothing to scan).
        const folder = binaryPathBytes(abs).toString('utf8');
        const own = await (options.gitLists ?? createGitLists(options))(folder);
        if (own.root === folder) yield* listDirectory(folder, options);
        continue;
      }
      const git = status(abs);
      yield { abs, display: toDisplay(cwd, abs), ...(git ? { git } : {}), ...inRepo(abs) };
    }
    for (const [abs, why] of sets.unlisted ?? []) {
      if (abs.startsWith(prefix)) yield { abs, display: toDisplay(cwd, abs), unreadable: `folder not read: ${/too long/i.test(why) ? 'path longer than the system allows (4096 bytes), not read' : why}` };
    }
    return;
  }
  for await (const item of walk(top)) {
    options.onListed?.(1);
    const git = status(item.abs);
    yield { ...item, display: toDisplay(cwd, item.abs), ...(git ? { git } : {}), ...inRepo(item.abs) };
  }
}

/**
 * Every entry under a folder that is not a folder, names as bytes (one character per byte), without following
 * symbolic links and without `.git` folders; a folder that cannot be listed comes back as an entry that says why.
 */
async function* walk(top: string): AsyncGenerator<{ abs: string; unreadable?: string }> {
  const stack = [top];
  while (stack.length > 0) {
    const dir = stack.pop()!;
    let entries: { name: Buffer; isDirectory(): boolean }[];
    try {
      entries = await fs.readdir(binaryPathBytes(dir), { withFileTypes: true, encoding: 'buffer' });
    } catch (err) {
      yield { abs: dir, unreadable: `folder not read: ${describeError(err as NodeJS.ErrnoException)}` };
      continue;
    }
    const folders: string[] = [];
    for (const e of entries) {
      const abs = join(dir, e.name.toString('latin1'));
      if (e.isDirectory()) {
        if (e.name.length !== 4 || e.name.toString('latin1') !== '.git') folders.push(abs);
        continue;
      }
      yield { abs };
    }
    // Depth first, in name order.
    stack.push(...folders.sort().reverse());
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
  const excluded = new Set((options.exclude ?? []).map((p) => toBinaryPath(resolve(options.cwd, p))));
  const seen = new Set<string>();
  const named: string[] = [];
  for (const p of options.paths) {
    const abs = resolve(options.cwd, p);
    if (!(await fs.lstat(abs)).isDirectory()) named.push(abs);
  }
  const status = named.length > 0 ? await namedFileStatus(named, options) : new Map<string, { git: GitStatus; inRepo: string }>();
  const cwd = toBinaryPath(options.cwd);
  for (const p of options.paths) {
    const abs = resolve(options.cwd, p);
    const st = await fs.lstat(abs);
    const entries: AsyncIterable<Entry> | Entry[] = st.isDirectory() ? listDirectory(abs, options) : [{ abs: toBinaryPath(abs), display: toDisplay(cwd, toBinaryPath(abs)), ...status.get(abs) }];
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
    case 'ENAMETOOLONG':
      return 'path longer than the system allows (4096 bytes), not read';
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
function readSmallFile(path: Buffer, size: number): Buffer {
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
  if (e.unreadable) return { events: [{ type: 'skipped', path: e.display, reason: e.unreadable }] };
  const path = binaryPathBytes(e.abs);
  let st: Stats;
  try {
    st = lstatSync(path);
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
    const bytes = readSmallFile(path, st.size);
    const events = contentToEvents(bytes, { path: e.display, ...(e.git ? { git: e.git } : {}) }, options.gate);
    // Files up to CHUNK_BYTES always come back as a list.
    return Array.isArray(events) ? { events: [file, ...events] } : { events: [file], chunked: true };
  } catch (err) {
    return { events: [file, { type: 'skipped', path: e.display, reason: describeError(err as NodeJS.ErrnoException) }] };
  }
}

/** A big file in overlapping chunks (see chunks.ts). */
async function* readChunks(e: Entry): AsyncGenerator<SourceEvent> {
  const path = binaryPathBytes(e.abs);
  const stream = createReadStream(path, { highWaterMark: CHUNK_BYTES });
  try {
    yield* chunkFragments(stream as AsyncIterable<Buffer>, { path: e.display, ...(e.git ? { git: e.git } : {}) }, async () => (await fs.stat(path)).size);
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
