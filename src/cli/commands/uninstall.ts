import type { Context } from '../context.js';
import type { Command } from './command.js';
import { readHookPlace, removeHuskyFromFile, removePlainHook } from '../../hook/install.js';
import type { HookName } from '../../hook/snippets.js';

interface UninstallArgs {
  husky: boolean;
  prePush: boolean;
}

export const uninstallCommand: Command<UninstallArgs> = {
  name: 'uninstall',
  usage: 'uninstall',
  describe: 'Remove what keyguard install added (the hooks it wrote, or the husky lines); --pre-push removes only the pre-push check',
  async handler(args, ctx: Context) {
    const root = await ctx.requireWorkTree('keyguard uninstall');
    const hooks: HookName[] = args.prePush ? ['pre-push'] : ['pre-commit', 'pre-merge-commit', 'pre-push'];
    if (args.husky) {
      for (const hook of hooks) {
        const r = removeHuskyFromFile(root, hook);
        if (r.changed) ctx.stdout += `keyguard: removed keyguard from ${r.file}\n`;
        else if (hook === 'pre-commit' || args.prePush) ctx.stdout += `keyguard: ${r.file} has no keyguard line; nothing to do\n`;
      }
      return 0;
    }
    const place = await readHookPlace(root, ctx.io.env);
    for (const hook of hooks) {
      const outcome = removePlainHook(place, hook);
      switch (outcome.action) {
        case 'removed':
          ctx.stdout += `keyguard: removed the ${hook} hook ${outcome.hook}${outcome.restored ? '; the hook that was there before is back in place' : ''}\n`;
          break;
        case 'absent':
          // Only the hook asked about is worth a line; the others may never have been installed.
          if (hook === 'pre-commit' || args.prePush) ctx.stdout += `keyguard: no ${hook} hook in ${outcome.hook}; nothing to do\n`;
          break;
        case 'foreign':
          ctx.stdout += `keyguard: ${outcome.hook} was not written by keyguard; left alone\n`;
          break;
      }
    }
    return 0;
  },
};
