// Run the CLI in-process, as the bin would, with a fixed clock.
import { Readable } from 'node:stream';
import { run, type RunResult } from '../../src/cli/run.js';

export interface RunOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  stdin?: string;
}

export function runCli(argv: string[], options: RunOptions): Promise<RunResult> {
  return run(argv, {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...(options.env ?? {}) },
    stdin: Readable.from([Buffer.from(options.stdin ?? '')]),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    now: () => 0,
    today: () => '2026-11-25',
  });
}
