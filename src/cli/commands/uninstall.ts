import { requireWorkTree, type Run } from '../run-state.js';
import type { Command } from './command.js';
import { readHookPlace, removeHuskyFromFile, removePlainHook } from '../../hook/install.js';

interface UninstallArgs {
  husky: boolean;
}

export const uninstallCommand: Command<UninstallArgs> = {
  name: 'uninstall',
  usage: 'uninstall',
  describe: 'Remove what keyguard install added (the hook it wrote, or the husky line)',
  async handler(args, run: Run) {
    const root = await requireWorkTree(run, 'keyguard uninstall');
    if (args.husky) {
      const r = removeHuskyFromFile(root);
      run.out.stdout += r.changed ? `keyguard: removed the keyguard line from ${r.file}\n` : `keyguard: ${r.file} has no keyguard line; nothing to do\n`;
      return 0;
    }
    const outcome = removePlainHook(await readHookPlace(root, run.io.env));
    switch (outcome.action) {
      case 'removed':
        run.out.stdout += `keyguard: removed the pre-commit hook ${outcome.hook}${outcome.restored ? '; the hook that was there before is back in place' : ''}\n`;
        break;
      case 'absent':
        run.out.stdout += `keyguard: no pre-commit hook in ${outcome.hook}; nothing to do\n`;
        break;
      case 'foreign':
        run.out.stdout += `keyguard: ${outcome.hook} was not written by keyguard; left alone\n`;
        break;
    }
    return 0;
  },
};
