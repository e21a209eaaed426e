// The pre-commit hook's fast path: `keyguard staged` with plain flags runs without loading yargs, so a commit pays
// for Node's start-up and little else. Anything this parser does not know goes to the full CLI (run.ts) instead.
import type { RunIO, RunResult } from './run-io.js';
import { createRun, endRun, resultOf } from './run-state.js';
import { stagedCommand } from './commands/staged.js';
import { parseFlags } from './flags.js';
import { failureResult } from './failure.js';
import { UsageError } from './errors.js';

type StagedArgs = Parameters<typeof stagedCommand.handler>[0];

/**
 * The staged command's arguments from the flag table, a usage error, or undefined when the full CLI must parse them
 * (--help, a flag the command does not take: it words the error).
 */
export function parseStagedArgs(argv: string[]): StagedArgs | { error: string } | undefined {
  if (argv[0] !== 'staged') return undefined;
  const parsed = parseFlags('staged', argv.slice(1));
  if (!parsed.ok) return 'error' in parsed ? { error: parsed.error } : undefined;
  if (parsed.positionals.length > 0) return undefined;
  return parsed.args as unknown as StagedArgs;
}

export async function runStaged(args: StagedArgs | { error: string }, io: RunIO): Promise<RunResult> {
  const run = createRun(io);
  try {
    if ('error' in args) throw new UsageError(args.error);
    const exitCode = await stagedCommand.handler(args, run);
    return resultOf(run, exitCode);
  } catch (err) {
    return failureResult(run, err, io);
  } finally {
    await endRun(run);
  }
}
