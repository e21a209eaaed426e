// How any command's failure becomes a result: one line on stderr and exit 2.
import type { Context, RunIO, RunResult } from './context.js';
import { UsageError } from './errors.js';
import { GitError } from '../sources/git.js';

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim();
}

export function failureResult(ctx: Context, err: unknown, io: RunIO): RunResult {
  if (err instanceof UsageError || err instanceof GitError) {
    return { exitCode: 2, stdout: ctx.stdout, stderr: `${ctx.stderr}keyguard: ${oneLine(err.message)}\n` };
  }
  const e = err as Error;
  return {
    exitCode: 2,
    stdout: ctx.stdout,
    stderr: `${ctx.stderr}keyguard: internal error: ${oneLine(e.message)} (please report it with the command you ran)\n${io.env['KEYGUARD_DEBUG'] ? `${e.stack}\n` : ''}`,
  };
}
