// `keyguard rules --check`: every example must be found by its rule, no negative example may be; the kind files
// (rules/kinds/) as they are must be what keyguard runs with.
import { isDeepStrictEqual } from 'node:util';
import { KINDS, type KindTable, type Rule } from '../types.js';
import { SHARED_KIND_FILE } from './kinds.js';
import { detect, type RuleSet } from '../detect/engine.js';
import { detectPath } from '../detect/paths.js';

/** The rule ids an example produces: a path rule's examples are paths, every other rule's are text. */
export function exampleRuleIds(rule: Rule, example: string, set: RuleSet): string[] {
  if (rule.paths) return detectPath({ path: example }, set).map((f) => f.ruleId);
  return detect({ text: example, path: 'example.txt' }, set).map((f) => f.ruleId);
}

export interface ExampleFailure {
  ruleId: string;
  source: string;
  index: number;
  problem: 'missed' | 'false-positive';
}

export function checkRuleExamples(rules: Rule[], set: RuleSet): ExampleFailure[] {
  const failures: ExampleFailure[] = [];
  for (const rule of rules) {
    rule.examples.forEach((text, index) => {
      if (!exampleRuleIds(rule, text, set).includes(rule.id)) {
        failures.push({ ruleId: rule.id, source: rule.source, index, problem: 'missed' });
      }
    });
    rule.negativeExamples.forEach((text, index) => {
      if (exampleRuleIds(rule, text, set).includes(rule.id)) {
        failures.push({ ruleId: rule.id, source: rule.source, index, problem: 'false-positive' });
      }
    });
  }
  return failures;
}

/** The kind files whose data differs from the data keyguard runs with (the bundle's, made when it was built). */
export function staleKindFiles(onDisk: KindTable, built: KindTable): string[] {
  const stale = KINDS.filter((k) => !isDeepStrictEqual(onDisk.kinds[k], built.kinds[k])).map((k) => `${k}.yaml`);
  return isDeepStrictEqual(onDisk.shared, built.shared) ? stale : [SHARED_KIND_FILE, ...stale];
}
