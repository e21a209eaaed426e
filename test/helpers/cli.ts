// Run the CLI in-process, as the bin would, with a fixed clock.
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run, type RunResult } from '../../src/cli/run.js';
import { runArgv } from '../../src/cli/entry.js';

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  stdin?: string;
  /** The node binary and CLI a hook should call (default: this checkout's dist/cli.js). */
  self?: { node: string; cli: string };
  /** Always through yargs (run.ts), never the fast paths the bin takes when it can. */
  full?: boolean;
}

/** The CLI as built by the test set-up (test/global-setup.ts). */
export const BUILT_CLI = { node: process.execPath, cli: fileURLToPath(new URL('../../dist/cli.js', import.meta.url)) };

/** The CLI as the bin runs it (entry.ts: the fast paths when they can take the arguments), or `full`: yargs only. */
export function runCli(argv: string[], options: RunOptions): Promise<RunResult> {
  return (options.full ? run : runArgv)(argv, {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...(options.env ?? {}) },
    stdin: Readable.from([Buffer.from(options.stdin ?? '')]),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    now: () => 0,
    today: () => '2026-11-25',
    self: options.self ?? BUILT_CLI,
  });
}
