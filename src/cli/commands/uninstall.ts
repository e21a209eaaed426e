import { requireWorkTree, type Run } from '../run-state.js';
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
  async handler(args, run: Run) {
    const root = await requireWorkTree(run, 'keyguard uninstall');
    const hooks: HookName[] = args.prePush ? ['pre-push'] : ['pre-commit', 'pre-merge-commit', 'pre-push'];
    if (args.husky) {
      for (const hook of hooks) {
        const r = removeHuskyFromFile(root, hook);
        if (r.changed) run.out.stdout += `keyguard: removed keyguard from ${r.file}\n`;
        else if (hook === 'pre-commit' || args.prePush) run.out.stdout += `keyguard: ${r.file} has no keyguard line; nothing to do\n`;
      }
      return 0;
    }
    const place = await readHookPlace(root, run.io.env);
    for (const hook of hooks) {
      const outcome = removePlainHook(place, hook);
      switch (outcome.action) {
        case 'removed':
          run.out.stdout += `keyguard: removed the ${hook} hook ${outcome.hook}${outcome.restored ? '; the hook that was there before is back in place' : ''}\n`;
          break;
        case 'absent':
          // Only the hook asked about is worth a line; the others may never have been installed.
          if (hook === 'pre-commit' || args.prePush) run.out.stdout += `keyguard: no ${hook} hook in ${outcome.hook}; nothing to do\n`;
          break;
        case 'foreign':
          run.out.stdout += `keyguard: ${outcome.hook} was not written by keyguard; left alone\n`;
          break;
      }
    }
    return 0;
  },
};
