// One run of the CLI: the outside world, what the run started (its scope), and what it has to say so far. A record,
// not an object with steps: the functions in setup.ts and output.ts read and write it.
import { findWorkTree } from '../sources/git.js';
import { createScope, type Scope } from '../scope.js';
import { UsageError } from './errors.js';
import type { RunIO, RunResult } from './run-io.js';
import type { ScanDeps } from '../scan/index.js';

export interface Run {
  readonly io: RunIO;
  /** What this run started and must end, whichever way it ends (see src/scope.ts). */
  readonly scope: Scope;
  /** Standard output and standard error, written when the run is over. */
  readonly out: { stdout: string; stderr: string };
  /** Work tree roots asked of git in this run, by folder: the configuration lookup and the tree source share them. */
  readonly workTrees: Map<string, Promise<string | undefined>>;
}

export function createRun(io: RunIO): Run {
  return { io, scope: io.scope ?? createScope(), out: { stdout: '', stderr: '' }, workTrees: new Map() };
}

/** A line for standard error. */
export function warn(run: Run, line: string): void {
  run.out.stderr += `${line}\n`;
}

/** The run's result with this exit code. */
export function resultOf(run: Run, exitCode: number): RunResult {
  return { exitCode, stdout: run.out.stdout, stderr: run.out.stderr };
}

/**
 * The run is over (done, failed or interrupted): end every git process, socket and thread it started and stop the
 * progress bar, and wait (a few seconds at most) until they are gone. Every entry point calls it in a `finally`.
 */
export function endRun(run: Run): Promise<void> {
  return run.scope.close();
}

/** The git work tree around `dir` (git rev-parse once per folder in this run). */
export function workTreeOf(run: Run, dir: string): Promise<string | undefined> {
  let root = run.workTrees.get(dir);
  if (!root) run.workTrees.set(dir, (root = findWorkTree(dir, run.io.env, run.scope)));
  return root;
}

/** The git work tree around the current folder, or a usage error naming the command that needs one. */
export async function requireWorkTree(run: Run, command: string): Promise<string> {
  const root = await workTreeOf(run, run.io.cwd);
  if (!root) throw new UsageError(`${run.io.cwd}: not inside a git work tree; run ${command} in a git repository`);
  return root;
}

/** What the composition root needs from this run (src/scan/index.ts). */
export function scanDeps(run: Run): ScanDeps {
  const io = run.io;
  return { cwd: io.cwd, env: io.env, now: io.now, stdin: io.stdin, scope: run.scope, workTreeOf: (dir) => workTreeOf(run, dir), debug: (line) => warn(run, line) };
}
