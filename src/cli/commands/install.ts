import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.js';
import { VERSION } from '../run-io.js';
import { requireWorkTree, type Run } from '../run-state.js';
import type { Command } from './command.js';
import { detectManager, readHasTestScript, readHookPlace, writeHuskyLine, writeInstalledPath, writeLefthookConfig, writePlainHook } from '../../hook/install.js';
import { COMMIT_HOOKS, HUSKY_LINE, LEFTHOOK_PRE_PUSH_SNIPPET, LEFTHOOK_SNIPPET, renderPreCommitSnippet, type HookName } from '../../hook/snippets.js';

interface InstallArgs {
  husky: boolean;
  lefthook: boolean;
  preCommit: boolean;
  prePush: boolean;
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
      return `husky runs this repository's hooks (core.hooksPath), so nothing was written there. Run keyguard install --husky, which puts this line first in .husky/pre-commit and .husky/pre-merge-commit:\n\n  ${HUSKY_LINE}\n`;
    case 'lefthook':
      return `lefthook manages the hooks here, so nothing was written. Run keyguard install --lefthook, which adds this to lefthook.yml:\n\n${LEFTHOOK_SNIPPET}`;
    case 'pre-commit':
      return `the pre-commit framework manages the pre-commit hook here, so nothing was written. Add this to .pre-commit-config.yaml (keyguard install --pre-commit prints it):\n\n${renderPreCommitSnippet(undefined, VERSION)}`;
  }
}

/** What husky init's `npm test` line means for a project, said once after the keyguard line is written. */
function huskyTestAdvice(file: string, line: string, hasTests: boolean): string {
  return hasTests
    ? `keyguard: ${file} also runs "${line}" (written by husky init); keyguard runs first, then your whole test suite on every commit: move "${line}" to .husky/pre-push if commits feel slow\n`
    : `keyguard: ${file} also runs "${line}" (husky init's placeholder), and this project has no test script, so every commit that passes keyguard fails there: delete that line from ${file}, or add a test script\n`;
}

export const installCommand: Command<InstallArgs> = {
  name: 'install',
  usage: 'install',
  describe: 'Install the pre-commit and pre-merge-commit hooks (plain git hooks, or --husky, --lefthook, --pre-commit); --pre-push adds a pre-push hook',
  async handler(args, run: Run) {
    const chosen = [args.husky && '--husky', args.lefthook && '--lefthook', args.preCommit && '--pre-commit'].filter(Boolean);
    if (chosen.length > 1) throw new UsageError(`${chosen.join(' and ')}: choose one hook manager`);
    const self = run.io.self ?? { node: 'node', cli: fileURLToPath(new URL(import.meta.url)) };
    const hooks: HookName[] = [...COMMIT_HOOKS, ...(args.prePush ? (['pre-push'] as const) : [])];
    if (args.preCommit) {
      if (args.prePush) throw new UsageError('--pre-push with --pre-commit: the pre-commit framework runs keyguard at commit time only; run keyguard install --pre-push for a plain pre-push hook beside it');
      run.out.stdout += `Add this to .pre-commit-config.yaml, then run pre-commit install --hook-type pre-commit --hook-type pre-merge-commit:\n\n${renderPreCommitSnippet(undefined, VERSION)}`;
      // In a repository, remember this keyguard as the last place the block looks (not in a shared file: git config).
      const here = await requireWorkTree(run, 'keyguard install').catch(() => undefined);
      if (here) await writeInstalledPath(here, run.io.env, self).catch(() => undefined);
      return 0;
    }
    const root = await requireWorkTree(run, 'keyguard install');
    if (args.husky) {
      if (args.print) {
        run.out.stdout += `Put this line first in .husky/pre-commit and .husky/pre-merge-commit:\n\n  ${HUSKY_LINE}\n`;
        return 0;
      }
      for (const hook of hooks) {
        const r = attempt(() => writeHuskyLine(root, hook));
        run.out.stdout += r.changed ? `keyguard: ${hook === 'pre-push' ? 'added the pre-push check to' : `put "${HUSKY_LINE}" first in`} ${r.file}\n` : `keyguard: ${r.file} already runs keyguard; nothing to do\n`;
        if (r.testLine && hook !== 'pre-push') run.out.stdout += huskyTestAdvice(r.file, r.testLine, readHasTestScript(root));
      }
      return 0;
    }
    if (args.lefthook) {
      if (args.print) {
        run.out.stdout += `Add this to lefthook.yml, then run npx lefthook install:\n\n${LEFTHOOK_SNIPPET}${args.prePush ? LEFTHOOK_PRE_PUSH_SNIPPET : ''}`;
        return 0;
      }
      const r = attempt(() => writeLefthookConfig(root, args.prePush));
      await writeInstalledPath(root, run.io.env, self).catch(() => undefined);
      run.out.stdout += r.changed
        ? `keyguard: added keyguard jobs (${hooks.join(', ')}) to ${r.file}; run lefthook install if lefthook's hooks are not installed yet\n`
        : `keyguard: ${r.file} already runs keyguard; nothing to do\n`;
      return 0;
    }
    const place = await readHookPlace(root, run.io.env);
    const manager = detectManager(place);
    if (manager && !args.force) {
      run.out.stdout += `keyguard: ${managerAdvice(manager)}`;
      return 0;
    }
    const cli = existsSync(self.cli) ? self.cli : join(root, 'node_modules', '.bin', 'keyguard');
    for (const hook of hooks) {
      const outcome = attempt(() => writePlainHook(place, { node: self.node, cli }, args.force, hook));
      if (outcome.action === 'already') {
        run.out.stdout += `keyguard: the ${hook} hook is already installed (${outcome.hook})\n`;
        continue;
      }
      run.out.stdout += `keyguard: installed the ${hook} hook in ${outcome.hook}\n`;
      if (outcome.chained) run.out.stdout += `keyguard: your existing hook was kept as ${outcome.chained} and still runs after keyguard\n`;
      if (outcome.backup) run.out.stdout += `keyguard: your existing hook was replaced; it is kept as ${outcome.backup}\n`;
    }
    run.out.stdout += args.prePush
      ? 'Every commit, merge commit and push is now scanned; a credential in any of them is refused.\n'
      : 'Every commit and merge commit is now scanned; a commit that adds a Google or Gemini credential is refused. keyguard install --pre-push also checks what you push (commits made with --no-verify, by a rebase).\n';
    return 0;
  },
};
