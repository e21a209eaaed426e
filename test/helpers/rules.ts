import { readRuleDir } from '../../src/config/rule-file.js';
import { createRuleSet, type RuleSet } from '../../src/detect/engine.js';
import type { Rule } from '../../src/types.js';

export const RULES_DIR = new URL('../../rules/', import.meta.url).pathname;

export function loadBuiltinRules(): Rule[] {
  const result = readRuleDir(RULES_DIR);
  if (!result.ok) throw new Error(result.errors.map((e) => `${e.source}: ${e.field} ${e.message}`).join('\n'));
  return result.value;
}

let cached: RuleSet | undefined;
export function builtinRuleSet(): RuleSet {
  cached ??= createRuleSet(loadBuiltinRules());
  return cached;
}
