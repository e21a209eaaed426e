// `keyguard rules --check`: every example must be found by its rule, no negative example may be.
import type { Rule } from '../types.js';
import { detect, type RuleSet } from '../detect/engine.js';

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
      if (!detect({ text, path: 'example.txt' }, set).some((f) => f.ruleId === rule.id)) {
        failures.push({ ruleId: rule.id, source: rule.source, index, problem: 'missed' });
      }
    });
    rule.negativeExamples.forEach((text, index) => {
      if (detect({ text, path: 'example.txt' }, set).some((f) => f.ruleId === rule.id)) {
        failures.push({ ruleId: rule.id, source: rule.source, index, problem: 'false-positive' });
      }
    });
  }
  return failures;
}
