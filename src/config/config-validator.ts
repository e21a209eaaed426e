// The JSON-schema check of .keyguard.yaml (schema/config.schema.json, which refers to the rule schema for `rules`).
// From the sources it is compiled by ajv on first use; the bundle replaces this module with ajv's standalone code
// generated at build time (scripts/build.mjs), so loading a configuration compiles nothing.
import { Ajv, type ErrorObject } from 'ajv';
import configSchema from '../../schema/config.schema.json' with { type: 'json' };
import ruleSchema from '../../rules/rule.schema.json' with { type: 'json' };

export type ConfigValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

let compiled: ConfigValidator | undefined;

export function configValidator(): ConfigValidator {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false });
    ajv.addSchema(ruleSchema);
    compiled = ajv.compile(configSchema) as ConfigValidator;
  }
  return compiled;
}
