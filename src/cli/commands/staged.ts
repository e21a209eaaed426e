import type { Argv } from 'yargs';
import { readStaged } from '../../sources/staged.js';
import { scanEvents } from '../../scan.js';
import type { CommonArgs, Context } from '../context.js';
import type { Command } from './command.js';

interface StagedArgs extends CommonArgs {
  allLines: boolean;
}

export const stagedCommand: Command<StagedArgs> = {
  name: 'staged',
  describe: 'Scan what `git commit` would record (the index, never the working tree): the pre-commit hook',
  builder: (y: Argv) =>
    y.option('all-lines', { type: 'boolean', default: false, describe: 'Scan whole staged files, not only the lines added or changed against HEAD' }),
  async handler(args, ctx: Context) {
    const root = await ctx.requireWorkTree('keyguard staged');
    ctx.checkOutput(args, []);
    const ruleSet = ctx.loadRuleSet();
    const io = ctx.io;
    const result = await scanEvents(readStaged({ root, env: io.env, allLines: args.allLines }), {
      mode: 'staged',
      ruleSet,
      showSecrets: args.showSecrets,
      now: io.now,
    });
    return ctx.report(result, args);
  },
};
