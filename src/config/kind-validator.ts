// The JSON-schema check of a kind file (rules/kinds/<kind>.yaml) and of rules/kinds/_shared.yaml. From the sources it is
// compiled by ajv on first use; the bundle replaces this module with ajv's standalone code (scripts/build.mjs).
import { Ajv } from 'ajv';
import kindSchema from '../../rules/kind.schema.json' with { type: 'json' };
import type { RuleValidator } from './rule-validator.js';

let compiled: { kind: RuleValidator; shared: RuleValidator } | undefined;

export function kindValidators(): { kind: RuleValidator; shared: RuleValidator } {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false });
    ajv.addSchema(kindSchema);
    compiled = {
      kind: ajv.getSchema(kindSchema.$id) as RuleValidator,
      shared: ajv.getSchema(`${kindSchema.$id}#/$defs/shared`) as RuleValidator,
    };
  }
  return compiled;
}
