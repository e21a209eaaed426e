// The JSON-schema check of a rule. From the sources it is compiled by ajv on first use; the bundle replaces this
// module with ajv's standalone code generated at build time (scripts/build.mjs), so start-up compiles nothing.
import { Ajv, type ErrorObject } from 'ajv';
import ruleSchema from '../../rules/rule.schema.json' with { type: 'json' };

export type RuleValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

let compiled: RuleValidator | undefined;

export function ruleValidator(): RuleValidator {
  compiled ??= new Ajv({ allErrors: true, strict: false, useDefaults: false }).compile(ruleSchema) as RuleValidator;
  return compiled;
}
