import { startStagedDiff } from '../../sources/staged.js';
import { GitError } from '../../sources/git.js';
import { isFailOpen, renderBlockedAdvice, renderFailClosed, renderFailOpen } from '../../hook/guidance.js';
import { UsageError } from '../errors.js';
import type { CommonArgs } from '../run-io.js';
import type { ProjectConfig } from '../../config/config-types.js';
import { requireWorkTree, scanDeps, warn, type Run } from '../run-state.js';
import { readSetup } from '../setup.js';
import { checkOutput, finishBaseline, settle, writeReport } from '../output.js';
import { scan } from '../../scan/index.js';
import type { Command } from './command.js';
import { withLayout } from '../../report/layout.js';

interface StagedArgs extends CommonArgs {
  allLines: boolean;
  /** --brief: one line per finding; --checklist: the leak-response checklist too (text). */
  brief?: boolean;
  checklist?: boolean;
}

async function scanStaged(args: StagedArgs, run: Run, loaded: { config?: ProjectConfig }): Promise<number> {
  const root = await requireWorkTree(run, 'keyguard staged');
  // git diffs the index while the configuration and the rules load.
  const diff = startStagedDiff({ root, env: run.io.env, allLines: args.allLines, scope: run.scope });
  checkOutput(run, args, []);
  // The staged .keyguard.yaml, never the disk's: an unstaged edit cannot switch the hook off. --verify only when
  // asked (or set in that configuration): the hook never touches the network on its own.
  const setup = await readSetup(run, args, { root, from: { type: 'index' } });
  loaded.config = setup.config;
  const scanned = await scan(
    { source: { kind: 'staged', root, allLines: args.allLines, diff }, ruleSet: setup.ruleSet, suppression: setup.suppression, showSecrets: args.showSecrets, verify: setup.verify },
    scanDeps(run),
  );
  // A staged scan sees only what this commit adds: --baseline-update only adds to the baseline.
  finishBaseline(run, setup, scanned, args, true);
  // A `.env` file with no credential in it only warns (rules with `warnOnly`); everything else blocks.
  const result = settle(run, setup, scanned, args);
  const code = writeReport(run, withLayout(result, args), args, setup.rules);
  if (result.findings.length > 0) warn(run, renderBlockedAdvice(result.findings, { checklist: Boolean(args.checklist) }));
  return code;
}

export const stagedCommand: Command<StagedArgs> = {
  name: 'staged',
  usage: 'staged',
  describe: 'Scan what `git commit` would record (the index, never the working tree): the pre-commit hook',
  async handler(args, run: Run) {
    const loaded: { config?: ProjectConfig } = {};
    try {
      return await scanStaged(args, run, loaded);
    } catch (e) {
      // The hook fails closed: an error blocks the commit, unless the team chose otherwise.
      if (!(e instanceof UsageError || e instanceof GitError)) throw e;
      if (isFailOpen(run.io.env)) {
        warn(run, renderFailOpen(e.message));
        return 0;
      }
      // failOpen in a configuration that loaded (a broken configuration always blocks).
      if (loaded.config?.failOpen) {
        warn(run, renderFailOpen(e.message).replace('KEYGUARD_HOOK_FAIL_OPEN=1', `${loaded.config.source ?? '.keyguard.yaml'} sets failOpen: true`));
        return 0;
      }
      throw new UsageError(renderFailClosed(e.message));
    }
  },
};
