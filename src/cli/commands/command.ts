import type { Argv } from 'yargs';
import type { Context } from '../context.js';

/** One subcommand: its yargs options and a handler that returns the exit code. */
export interface Command<A> {
  name: string;
  describe: string;
  builder: (y: Argv) => Argv;
  handler: (args: A, ctx: Context) => Promise<number>;
}
