import type { Context } from '../context.js';
import type { Command } from './command.js';
import { readHookPlace, removeHuskyFromFile, removePlainHook } from '../../hook/install.js';

interface UninstallArgs {
  husky: boolean;
}

export const uninstallCommand: Command<UninstallArgs> = {
  name: 'uninstall',
  usage: 'uninstall',
  describe: 'Remove what keyguard install added (the hook it wrote, or the husky line)',
  async handler(args, ctx: Context) {
    const root = await ctx.requireWorkTree('keyguard uninstall');
    if (args.husky) {
      const r = removeHuskyFromFile(root);
      ctx.stdout += r.changed ? `keyguard: removed the keyguard line from ${r.file}\n` : `keyguard: ${r.file} has no keyguard line; nothing to do\n`;
      return 0;
    }
    const outcome = removePlainHook(await readHookPlace(root, ctx.io.env));
    switch (outcome.action) {
      case 'removed':
        ctx.stdout += `keyguard: removed the pre-commit hook ${outcome.hook}${outcome.restored ? '; the hook that was there before is back in place' : ''}\n`;
        break;
      case 'absent':
        ctx.stdout += `keyguard: no pre-commit hook in ${outcome.hook}; nothing to do\n`;
        break;
      case 'foreign':
        ctx.stdout += `keyguard: ${outcome.hook} was not written by keyguard; left alone\n`;
        break;
    }
    return 0;
  },
};
