// How any command's failure becomes a result: one line on stderr and exit 2.
import type { RunIO, RunResult } from './run-io.js';
import type { Run } from './run-state.js';
import { UsageError } from './errors.js';
import { GitError } from '../sources/git.js';

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

export function failureResult(run: Run, err: unknown, io: RunIO): RunResult {
  if (err instanceof UsageError || err instanceof GitError) {
    return { exitCode: 2, stdout: run.out.stdout, stderr: `${run.out.stderr}keyguard: ${oneLine(err.message)}\n` };
  }
  const e = err as Error;
  return {
    exitCode: 2,
    stdout: run.out.stdout,
    stderr: `${run.out.stderr}keyguard: internal error: ${oneLine(e.message)} (please report it with the command you ran)\n${io.env['KEYGUARD_DEBUG'] ? `${e.stack}\n` : ''}`,
  };
}
