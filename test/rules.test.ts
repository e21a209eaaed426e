// Every rule in rules/ proves itself: each example must produce a finding of that rule through the real
// engine (also wrapped in .env, JSON, YAML and JS contexts), and no negative example may.
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { detect } from '../src/detect/engine.js';
import { detectPath } from '../src/detect/paths.js';
import type { Rule } from '../src/types.js';
import { builtinRuleSet, loadBuiltinRules, RULES_DIR } from './helpers/rules.js';

const rules = loadBuiltinRules();
const set = builtinRuleSet();

/** One-line examples in the contexts keys are committed in, like gitleaks' GenerateSampleSecrets. */
function contexts(example: string): string[] {
  if (example.includes('\n')) return [example, example.replace(/\n/g, '\r\n'), `\uFEFF${example}`];
  return [
    example,
    `# config\n${example}\n`,
    `first line\r\n${example}\r\nlast line`,
    `{"cells":[{"source":[${JSON.stringify(example)}]}]}`,
    `settings:\n  value: ${JSON.stringify(example)}\n`,
    `const x = ${JSON.stringify(example)};`,
  ];
}

/** A path rule's examples are paths: as given, with ./, with Windows separators, and deeper in a tree. */
function pathContexts(rule: Rule, example: string): string[] {
  const byName = rule.paths!.every((g) => g.base);
  return [example, `./${example}`, example.replace(/\//g, '\\'), ...(byName ? [`deep/er/${example}`] : [])];
}

/** The rule ids one example (in one context) produces through the real engine: paths for path rules, text otherwise. */
function idsFor(rule: Rule, text: string): string[] {
  return rule.paths ? detectPath({ path: text }, set).map((f) => f.ruleId) : detect({ text, path: 'example.txt' }, set).map((f) => f.ruleId);
}

describe('rules/', () => {
  it('has one file per rule, named after its id', () => {
    const files = readdirSync(RULES_DIR).filter((n) => n.endsWith('.yaml')).map((n) => n.replace(/\.yaml$/, ''));
    expect(files.sort()).toEqual(rules.map((r) => r.id).sort());
  });

  for (const rule of rules) {
    describe(rule.id, () => {
      it('carries positive and negative examples', () => {
        expect(rule.examples.length).toBeGreaterThan(0);
        expect(rule.negativeExamples.length).toBeGreaterThan(0);
      });
      rule.examples.forEach((example, i) => {
        it(`finds example ${i + 1} in every context`, () => {
          for (const text of rule.paths ? pathContexts(rule, example) : contexts(example)) {
            const ids = idsFor(rule, text);
            expect(ids, `${rule.id} example ${i + 1} in ${JSON.stringify(text.slice(0, 60))}`).toContain(rule.id);
          }
        });
      });
      rule.negativeExamples.forEach((example, i) => {
        it(`ignores negative example ${i + 1}`, () => {
          for (const text of rule.paths ? pathContexts(rule, example) : [example]) {
            expect(idsFor(rule, text).filter((id) => id === rule.id), JSON.stringify(text.slice(0, 60))).toEqual([]);
          }
        });
      });
    });
  }
});
