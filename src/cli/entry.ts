// argv → result, by the cheapest path that can take it: the hook's `keyguard staged` and a plain `scan` or
// `history` never load yargs (run-staged.ts, run-direct.ts); everything else goes through the full CLI (run.ts).
// Both read the same flag table (flags.ts).
import type { RunIO, RunResult } from './run-io.js';
import { parseStagedArgs } from './run-staged.js';
import { parseDirectArgs } from './run-direct.js';

export async function runArgv(argv: string[], io: RunIO): Promise<RunResult> {
  const staged = parseStagedArgs(argv);
  if (staged) return (await import('./run-staged.js')).runStaged(staged, io);
  const direct = parseDirectArgs(argv);
  if (direct) return (await import('./run-direct.js')).runDirect(direct, io);
  return (await import('./run.js')).run(argv, io);
}
