import type { Argv } from 'yargs';
import type { Run } from '../run-state.js';
import type { CommandName } from '../flags.js';

/** One subcommand: its name (its flags are in ../flags.ts), its positional arguments and a handler that returns the exit code. */
export interface Command<A> {
  name: CommandName;
  /** The name with its positionals, as yargs and --help show it: `scan [paths..]`. */
  usage: string;
  describe: string;
  positionals?: (y: Argv) => Argv;
  handler: (args: A, run: Run) => Promise<number>;
}
