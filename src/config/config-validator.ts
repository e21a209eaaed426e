// The JSON-schema check of .keyguard.yaml (schema/config.schema.json, which refers to the rule schema for `rules`).
// From the sources it is compiled by ajv on first use; the bundle replaces this module with ajv's standalone code
// generated at build time (scripts/build.mjs), so loading a configuration compiles nothing.
import { Ajv, type ErrorObject } from 'ajv';
import configSchema from '../../schema/config.schema.json' with { type: 'json' };
import ruleSchema from '../../rules/rule.schema.json' with { type: 'json' };

export const RULE_SCHEMA_REF = '../rules/rule.schema.json';

export type ConfigValidator = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };

let compiled: ConfigValidator | undefined;

export function configValidator(): ConfigValidator {
  if (!compiled) {
    const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false });
    // `rules` refers to ../rules/rule.schema.json relative to this file (so editors find it next to the package's
    // schema folder): register the rule schema under that name.
    ajv.addSchema({ ...ruleSchema, $id: RULE_SCHEMA_REF });
    compiled = ajv.compile(configSchema) as ConfigValidator;
  }
  return compiled;
}
