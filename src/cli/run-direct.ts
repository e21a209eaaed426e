// `keyguard scan` and `keyguard history` with plain flags, without loading yargs (as run-staged.ts does for the
// hook): a scan pays for Node's start, the scan and little else. Anything this parser does not know goes to the full
// CLI (run.ts), which parses it (or explains the error) as before. The command itself is loaded only when it runs.
import type { RunIO, RunResult } from './run-io.js';
import { createRun, endRun, resultOf } from './run-state.js';
import type { scanCommand } from './commands/scan.js';
import type { historyCommand } from './commands/history.js';
import { parseFlags } from './flags.js';
import { STDIN_PATH } from './stdin-path.js';
import { UsageError } from './errors.js';
import { failureResult } from './failure.js';

type ScanArgs = Parameters<typeof scanCommand.handler>[0];
type HistoryArgs = Parameters<typeof historyCommand.handler>[0];
export type DirectArgs = { command: 'scan'; args: ScanArgs } | { command: 'history'; args: HistoryArgs };
/**
 * The arguments of a plain scan or history from the flag table, a usage error, or undefined when the full CLI must
 * parse them (--help, a flag the command does not take: it words the error).
 */
export function parseDirectArgs(argv: string[]): DirectArgs | { error: string } | undefined {
  const command = argv[0];
  if (command !== 'scan' && command !== 'history') return undefined;
  const parsed = parseFlags(command, argv.slice(1));
  if (!parsed.ok) return 'error' in parsed ? { error: parsed.error } : undefined;
  if (command === 'history') {
    if (parsed.positionals.length > 0) return undefined;
    return { command, args: parsed.args as unknown as HistoryArgs };
  }
  // `-` is standard input (run.ts maps it the same way for yargs).
  const paths = parsed.positionals.map((p) => (p === '-' ? STDIN_PATH : p));
  if (paths.some((p) => p === '')) return undefined;
  return { command, args: { ...(parsed.args as unknown as ScanArgs), paths: paths.length > 0 ? paths : ['.'] } };
}

export async function runDirect(direct: DirectArgs | { error: string }, io: RunIO): Promise<RunResult> {
  const run = createRun(io);
  try {
    if ('error' in direct) throw new UsageError(direct.error);
    const exitCode =
      direct.command === 'scan'
        ? await (await import('./commands/scan.js')).scanCommand.handler(direct.args, run)
        : await (await import('./commands/history.js')).historyCommand.handler(direct.args, run);
    return resultOf(run, exitCode);
  } catch (err) {
    return failureResult(run, err, io);
  } finally {
    await endRun(run);
  }
}
