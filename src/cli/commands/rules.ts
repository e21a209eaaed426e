import { checkRuleExamples, staleKindFiles } from '../../config/rule-check.js';
import { formatRuleError } from '../../config/schema-errors.js';
import { BUILTIN_KINDS } from '../../config/builtin-kinds-data.js';
import { createRuleSet } from '../../detect/engine.js';
import type { CommonArgs } from '../run-io.js';
import { warn, type Run } from '../run-state.js';
import { readRules } from '../setup.js';
import type { Command } from './command.js';

interface RulesArgs extends CommonArgs {
  check: boolean;
}

export const rulesCommand: Command<RulesArgs> = {
  name: 'rules',
  usage: 'rules',
  describe: 'List the rules; --check validates the rule and kind files and runs the examples',
  async handler(args, run: Run) {
    // The project's own rules (.keyguard.yaml) are listed and checked too; a bad configuration is exit 2.
    const { rules } = await readRules(run, args);
    if (args.format === 'json') {
      run.out.stdout += `${JSON.stringify(rules.map((r) => ({ id: r.id, title: r.title, severity: r.severity, kind: r.kind, keywords: r.keywords, examples: r.examples.length, negativeExamples: r.negativeExamples.length })), null, 2)}\n`;
    } else if (!args.check) {
      const width = Math.max(...rules.map((r) => r.id.length));
      for (const r of rules) run.out.stdout += `${r.id.padEnd(width)}  ${r.severity.padEnd(8)}  ${r.kind.padEnd(19)}  ${r.title}\n`;
      run.out.stdout += `${rules.length} rules\n`;
    }
    if (!args.check) return 0;
    // The kind files as they are (a start reads none: the bundle holds what the build read). Broken: exit 2, every error.
    const { builtinKindsDir, readKindDir } = await import('../../config/kind-file.js');
    const kinds = readKindDir(builtinKindsDir());
    if (!kinds.ok) {
      for (const e of kinds.errors) warn(run, `keyguard: ${formatRuleError(e)}`);
      warn(run, 'keyguard: fix the kind files (docs/credential-kinds.md)');
      return 2;
    }
    const stale = staleKindFiles(kinds.value, BUILTIN_KINDS);
    for (const name of stale) run.out.stdout += `rules/kinds/${name}: differs from the kind data keyguard was built with; rebuild it (npm run build) for the change to count\n`;
    const failures = checkRuleExamples(rules, createRuleSet(rules));
    for (const f of failures) {
      run.out.stdout += `${f.source}: ${f.problem === 'missed' ? `example ${f.index + 1} is not found by ${f.ruleId}` : `negative example ${f.index + 1} is reported by ${f.ruleId}`}\n`;
    }
    const examples = rules.reduce((n, r) => n + r.examples.length + r.negativeExamples.length, 0);
    run.out.stdout += failures.length === 0 ? `${rules.length} rules valid; ${examples} examples pass\n` : `${failures.length} of ${examples} examples fail\n`;
    run.out.stdout += stale.length === 0 ? `${Object.keys(kinds.value.kinds).length} kind files valid\n` : `${stale.length} kind file${stale.length === 1 ? '' : 's'} differ${stale.length === 1 ? 's' : ''} from the built data\n`;
    return failures.length === 0 && stale.length === 0 ? 0 : 1;
  },
};
