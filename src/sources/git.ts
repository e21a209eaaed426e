// Every git call goes through here. Streams for content, small buffered calls for queries.
import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams, type StdioOptions } from 'node:child_process';
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
