import { createKeywordGate } from '../../detect/gate.js';
import { readStaged, startStagedDiff } from '../../sources/staged.js';
import { GitError } from '../../sources/git.js';
import { scanEvents } from '../../scan/scan.js';
import { isFailOpen, renderBlockedAdvice, renderFailClosed, renderFailOpen } from '../../hook/guidance.js';
import { UsageError } from '../errors.js';
import { withLayout } from '../../report/layout.js';
import type { CommonArgs, Context } from '../context.js';
import type { Command } from './command.js';

interface StagedArgs extends CommonArgs {
  allLines: boolean;
  /** --brief: one line per finding; --checklist: the leak-response checklist too (text). */
  brief?: boolean;
  checklist?: boolean;
}

async function scanStaged(args: StagedArgs, ctx: Context): Promise<number> {
  const root = await ctx.requireWorkTree('keyguard staged');
  // git diffs the index while the configuration and the rules load.
  const diff = startStagedDiff({ root, env: ctx.io.env, allLines: args.allLines, scope: ctx.scope });
  ctx.checkOutput(args, []);
  // The staged .keyguard.yaml, never the disk's: an unstaged edit cannot switch the hook off.
  await ctx.loadConfig(args, { root, fromIndex: true });
  const suppression = await ctx.suppression(args, { fromIndex: true });
  const ruleSet = await ctx.loadRuleSet();
  // The JavaScript gate: on a commit's few files, compiling the WebAssembly one at start-up would cost more than it saves.
  const gate = createKeywordGate(ruleSet, { engine: 'js' });
  const io = ctx.io;
  // Only with an explicit --verify: the hook never touches the network on its own.
  const verify = ctx.prepareVerify(args);
  const scanned = await scanEvents(readStaged({ root, env: io.env, allLines: args.allLines, diff, scope: ctx.scope, ...(gate ? { gate } : {}) }), {
    mode: 'staged',
    ruleSet,
    showSecrets: args.showSecrets,
    now: io.now,
    ...verify,
    ...suppression,
  });
  // A staged scan sees only what this commit adds: --baseline-update only adds to the baseline.
  ctx.finishBaseline(scanned, args, true);
  // A `.env` file with no credential in it only warns (rules with `warnOnly`); everything else blocks.
  const result = ctx.separateWarnings(await ctx.verify(scanned, args), ruleSet.rules, args);
  const code = ctx.report(withLayout(result, args), args);
  if (result.findings.length > 0) ctx.warn(renderBlockedAdvice(result.findings, { checklist: Boolean(args.checklist) }));
  return code;
}

export const stagedCommand: Command<StagedArgs> = {
  name: 'staged',
  usage: 'staged',
  describe: 'Scan what `git commit` would record (the index, never the working tree): the pre-commit hook',
  async handler(args, ctx: Context) {
    try {
      return await scanStaged(args, ctx);
    } catch (e) {
      // The hook fails closed: an error blocks the commit, unless the team chose otherwise.
      if (!(e instanceof UsageError || e instanceof GitError)) throw e;
      if (isFailOpen(ctx.io.env)) {
        ctx.warn(renderFailOpen(e.message));
        return 0;
      }
      // failOpen in a configuration that loaded (a broken configuration always blocks).
      if (ctx.config.failOpen) {
        ctx.warn(renderFailOpen(e.message).replace('KEYGUARD_HOOK_FAIL_OPEN=1', `${ctx.config.source ?? '.keyguard.yaml'} sets failOpen: true`));
        return 0;
      }
      throw new UsageError(renderFailClosed(e.message));
    }
  },
};
