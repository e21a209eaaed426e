import { checkRuleExamples } from '../../config/rule-check.js';
import { createRuleSet } from '../../detect/engine.js';
import type { CommonArgs, Context } from '../context.js';
import type { Command } from './command.js';

interface RulesArgs extends CommonArgs {
  check: boolean;
}

export const rulesCommand: Command<RulesArgs> = {
  name: 'rules',
  usage: 'rules',
  describe: 'List the rules; --check validates the rule files and runs their examples',
  async handler(args, ctx: Context) {
    // The project's own rules (.keyguard.yaml) are listed and checked too; a bad configuration is exit 2.
    await ctx.loadConfig(args, {});
    const rules = await ctx.loadRules();
    if (args.format === 'json') {
      ctx.stdout += `${JSON.stringify(rules.map((r) => ({ id: r.id, title: r.title, severity: r.severity, kind: r.kind, keywords: r.keywords, examples: r.examples.length, negativeExamples: r.negativeExamples.length })), null, 2)}\n`;
    } else if (!args.check) {
      const width = Math.max(...rules.map((r) => r.id.length));
      for (const r of rules) ctx.stdout += `${r.id.padEnd(width)}  ${r.severity.padEnd(8)}  ${r.kind.padEnd(19)}  ${r.title}\n`;
      ctx.stdout += `${rules.length} rules\n`;
    }
    if (!args.check) return 0;
    const failures = checkRuleExamples(rules, createRuleSet(rules));
    for (const f of failures) {
      ctx.stdout += `${f.source}: ${f.problem === 'missed' ? `example ${f.index + 1} is not found by ${f.ruleId}` : `negative example ${f.index + 1} is reported by ${f.ruleId}`}\n`;
    }
    const examples = rules.reduce((n, r) => n + r.examples.length + r.negativeExamples.length, 0);
    ctx.stdout += failures.length === 0 ? `${rules.length} rules valid; ${examples} examples pass\n` : `${failures.length} of ${examples} examples fail\n`;
    return failures.length === 0 ? 0 : 1;
  },
};
