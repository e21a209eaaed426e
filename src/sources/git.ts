// Every git call goes through here. Streams for content, small buffered calls for queries.
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams, type StdioOptions } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ownProcess, type Scope } from '../scope.js';

export class GitError extends Error {
  constructor(
    message: string,
    readonly code: number | null,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

export interface GitOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  input?: string | Buffer;
  /** Ends git when the run ends (see src/scope.ts), should it still be running then. */
  scope?: Scope;
}

/** What git's failure to start means, as one line. */
export function spawnError(e: NodeJS.ErrnoException): GitError {
  return new GitError(e.code === 'ENOENT' ? 'git is not installed or not on PATH: install git and try again' : `cannot run git: ${e.message}`, null, '');
}

/**
 * Start git: the one place a git process is spawned. It never prompts or fetches a missing object, and it is owned by
 * `scope`, which ends it if the run ends first (a failure elsewhere, a signal).
 */
export function spawnGit<C extends ChildProcess>(args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv | undefined; stdio: StdioOptions; scope?: Scope | undefined }): C {
  // spawn says ENOENT for a missing folder as for a missing git: tell them apart (a folder deleted during the run).
  if (!existsSync(options.cwd)) throw new GitError(`${options.cwd}: this folder no longer exists (deleted or moved while keyguard ran); run keyguard again from a folder that exists`, null, '');
  const child = spawn('git', args, {
    cwd: options.cwd,
    env: { ...(options.env ?? process.env), GIT_TERMINAL_PROMPT: '0', GIT_NO_LAZY_FETCH: '1' },
    stdio: options.stdio,
  });
  ownProcess(options.scope, child);
  return child as C;
}

export interface GitOutput {
  code: number | null;
  stdout: Buffer;
  stderr: string;
}

/** Run git and collect its output (for small queries only: ref lists, rev-parse, ls-files). */
export function runGit(args: string[], options: GitOptions): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    const child = spawnGit<ChildProcessWithoutNullStreams>(args, { ...options, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e: NodeJS.ErrnoException) => reject(spawnError(e)));
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Run git and return stdout, or throw a GitError naming the command. */
export async function gitOk(args: string[], options: GitOptions): Promise<Buffer> {
  const r = await runGit(args, options);
  if (r.code !== 0) throw new GitError(`git ${args[0]} failed: ${r.stderr.trim().split('\n')[0] ?? ''}`, r.code, r.stderr);
  return r.stdout;
}

/** NUL-separated list output to strings. */
export function splitNul(buf: Buffer): string[] {
  const s = buf.toString('utf8');
  return s.split('\0').filter((x) => x.length > 0);
}

/** The work tree root holding `dir`, or undefined outside a git work tree. */
export async function findWorkTree(dir: string, env?: NodeJS.ProcessEnv, scope?: Scope): Promise<string | undefined> {
  try {
    const r = await runGit(['rev-parse', '--show-toplevel'], { cwd: dir, ...(env ? { env } : {}), ...(scope ? { scope } : {}) });
    if (r.code !== 0) return undefined;
    const top = r.stdout.toString('utf8').trim();
    return top || undefined;
  } catch (e) {
    if (e instanceof GitError && e.code === null && /not installed/.test(e.message)) return undefined;
    throw e;
  }
}

/** The repository around a folder: its git directory, and its work tree unless it is bare (or `cwd` is in the git directory). */
export interface Repository {
  /** Absolute path of the git directory (`.git`, a linked worktree's `.git/worktrees/<name>`, or the bare repository). */
  gitDir: string;
  /** The work tree root, when `cwd` is inside one. */
  workTree?: string;
  /** A bare repository (or a `git clone --mirror`). */
  bare: boolean;
  /** `cwd` is inside the git directory itself (a bare repository, or a `.git` folder). */
  insideGitDir: boolean;
}

/**
 * The repository around `cwd` (one `git rev-parse`), or undefined outside any. Where git commands should run: the
 * work tree root when there is one, else the git directory (bare repositories and mirrors).
 */
export async function findRepository(cwd: string, env?: NodeJS.ProcessEnv, scope?: Scope): Promise<Repository | undefined> {
  let r: GitOutput;
  try {
    // --show-toplevel fails outside a work tree, after the lines before it.
    r = await runGit(['rev-parse', '--is-bare-repository', '--is-inside-git-dir', '--absolute-git-dir', '--show-toplevel'], { cwd, ...(env ? { env } : {}), ...(scope ? { scope } : {}) });
  } catch (e) {
    if (e instanceof GitError && e.code === null && /not installed/.test(e.message)) return undefined;
    throw e;
  }
  const [bare, inside, gitDir, top] = r.stdout.toString('utf8').split('\n');
  if ((bare !== 'true' && bare !== 'false') || !gitDir) return undefined;
  return { gitDir, bare: bare === 'true', insideGitDir: inside === 'true', ...(r.code === 0 && top ? { workTree: top } : {}) };
}

/** Where git runs for a repository: its work tree root, else its git directory. */
export function repositoryRoot(repo: Repository): string {
  return repo.workTree ?? repo.gitDir;
}

/** A partial clone's promisor remote (`remote.<name>.promisor`, or extensions.partialClone), with its filter. */
export interface PartialClone {
  remote: string;
  filter?: string;
}

/** Whether the repository is a partial clone, and from which remote its missing objects come (one git call). */
export async function readPartialClone(options: GitOptions): Promise<PartialClone | undefined> {
  const r = await runGit(['config', '-z', '--get-regexp', '^(remote\\..*\\.(promisor|partialclonefilter)|extensions\\.partialclone)$'], options);
  if (r.code !== 0) return undefined;
  let remote: string | undefined;
  const filters = new Map<string, string>();
  for (const entry of r.stdout.toString('utf8').split('\0')) {
    const nl = entry.indexOf('\n');
    if (nl < 0) continue;
    const key = entry.slice(0, nl).toLowerCase();
    const value = entry.slice(nl + 1);
    if (key === 'extensions.partialclone') remote ??= value;
    const m = /^remote\.(.*)\.(promisor|partialclonefilter)$/.exec(key);
    // Remote names keep their case in the value of the key; the regexp above matched case-insensitively.
    const name = m ? entry.slice('remote.'.length, 'remote.'.length + m[1]!.length) : undefined;
    if (m && name !== undefined && m[2] === 'promisor' && /^(true|yes|on|1)$/i.test(value)) remote ??= name;
    if (m && name !== undefined && m[2] === 'partialclonefilter') filters.set(name, value);
  }
  if (remote === undefined) return undefined;
  const filter = filters.get(remote);
  return { remote, ...(filter ? { filter } : {}) };
}

/**
 * Every object id present in the repository (packs, loose objects, alternates), from `git cat-file
 * --batch-all-objects`, which never fetches: a partial clone's reads ask only for these.
 */
export async function readPresentObjects(options: GitOptions): Promise<Set<string>> {
  const out = await gitOk(['cat-file', '--batch-all-objects', '--batch-check=%(objectname)', '--unordered'], options);
  const present = new Set<string>();
  const text = out.toString('latin1');
  let at = 0;
  for (;;) {
    const nl = text.indexOf('\n', at);
    if (nl < 0) break;
    if (nl > at) present.add(text.slice(at, nl));
    at = nl + 1;
  }
  return present;
}

/** Whether git failed because an object is missing from the repository (a partial clone, a damaged one). */
export function isMissingObjectError(stderr: string): boolean {
  return /unable to read|could not fetch|lazy fetching disabled|missing (blob|tree|object)|bad object|did not receive expected object|Could not read|object .* is missing|promisor remote/i.test(stderr);
}

/**
 * The git directory (a `.git` folder or a bare repository) that `path` is or lies inside, found as git finds one (a
 * HEAD file, and objects and refs folders, or a commondir file), without starting git; undefined for anything else.
 */
export function gitDirectoryAround(path: string): string | undefined {
  for (let dir = resolve(path); ; ) {
    if (isGitDirectory(dir)) return dir;
    const up = dirname(dir);
    if (up === dir) return undefined;
    dir = up;
  }
}

function isGitDirectory(dir: string): boolean {
  try {
    if (!statSync(join(dir, 'HEAD')).isFile()) return false;
    if (existsSync(join(dir, 'commondir'))) return true;
    return statSync(join(dir, 'objects')).isDirectory() && statSync(join(dir, 'refs')).isDirectory();
  } catch {
    return false;
  }
}
