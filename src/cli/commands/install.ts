import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { VERSION } from '../run-io.js';
import { requireWorkTree, type Run } from '../run-state.js';
import type { Command } from './command.js';
import { detectManager, readHookPlace, writeHuskyLine, writeLefthookConfig, writePlainHook } from '../../hook/install.js';
import { HUSKY_LINE, LEFTHOOK_SNIPPET, renderPreCommitSnippet } from '../../hook/snippets.js';

interface InstallArgs {
  husky: boolean;
  lefthook: boolean;
  preCommit: boolean;
  force: boolean;
  print: boolean;
}

/** Turn a file-system or git failure while installing into one line that names it. */
function attempt<T>(what: () => T): T {
  try {
    return what();
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

function managerAdvice(manager: 'husky' | 'lefthook' | 'pre-commit'): string {
  switch (manager) {
    case 'husky':
      return `husky runs this repository's hooks (core.hooksPath), so nothing was written there. Run keyguard install --husky, which adds this line to .husky/pre-commit:\n\n  ${HUSKY_LINE}\n`;
    case 'lefthook':
      return `lefthook manages the pre-commit hook here, so nothing was written. Run keyguard install --lefthook, which adds this to lefthook.yml:\n\n${LEFTHOOK_SNIPPET}`;
    case 'pre-commit':
      return `the pre-commit framework manages the pre-commit hook here, so nothing was written. Add this to .pre-commit-config.yaml (keyguard install --pre-commit prints it):\n\n${renderPreCommitSnippet(undefined, VERSION)}`;
  }
}

export const installCommand: Command<InstallArgs> = {
  name: 'install',
  usage: 'install',
  describe: 'Install the pre-commit hook (plain git hooks, or --husky, --lefthook, --pre-commit)',
  async handler(args, run: Run) {
    const chosen = [args.husky && '--husky', args.lefthook && '--lefthook', args.preCommit && '--pre-commit'].filter(Boolean);
    if (chosen.length > 1) throw new UsageError(`${chosen.join(' and ')}: choose one hook manager`);
    if (args.preCommit) {
      run.out.stdout += `Add this to .pre-commit-config.yaml, then run pre-commit install:\n\n${renderPreCommitSnippet(undefined, VERSION)}`;
      return 0;
    }
    const root = await requireWorkTree(run, 'keyguard install');
    if (args.husky) {
      if (args.print) {
        run.out.stdout += `Add this line to .husky/pre-commit:\n\n  ${HUSKY_LINE}\n`;
        return 0;
      }
      const r = attempt(() => writeHuskyLine(root));
      run.out.stdout += r.changed ? `keyguard: added "${HUSKY_LINE}" to ${r.file}\n` : `keyguard: ${r.file} already runs keyguard; nothing to do\n`;
      return 0;
    }
    if (args.lefthook) {
      if (args.print) {
        run.out.stdout += `Add this to lefthook.yml, then run npx lefthook install:\n\n${LEFTHOOK_SNIPPET}`;
        return 0;
      }
      const r = attempt(() => writeLefthookConfig(root));
      run.out.stdout += r.changed ? `keyguard: added a keyguard job to ${r.file}; run npx lefthook install if lefthook's hooks are not installed yet\n` : `keyguard: ${r.file} already runs keyguard; nothing to do\n`;
      return 0;
    }
    const place = await readHookPlace(root, run.io.env);
    const manager = detectManager(place);
    if (manager && !args.force) {
      run.out.stdout += `keyguard: ${managerAdvice(manager)}`;
      return 0;
    }
    const self = run.io.self ?? { node: 'node', cli: fileURLToPath(new URL(import.meta.url)) };
    const cli = existsSync(self.cli) ? self.cli : join(root, 'node_modules', '.bin', 'keyguard');
    const outcome = attempt(() => writePlainHook(place, { node: self.node, cli }, args.force));
    if (outcome.action === 'already') {
      run.out.stdout += `keyguard: the pre-commit hook is already installed (${outcome.hook})\n`;
      return 0;
    }
    run.out.stdout += `keyguard: installed the pre-commit hook in ${outcome.hook}\n`;
    if (outcome.chained) run.out.stdout += `keyguard: your existing hook was kept as ${outcome.chained} and still runs after keyguard\n`;
    if (outcome.backup) run.out.stdout += `keyguard: your existing hook was replaced; it is kept as ${outcome.backup}\n`;
    run.out.stdout += 'Every commit is now scanned; a commit that adds a Google or Gemini credential is refused.\n';
    return 0;
  },
};
