// Errors of data files (rules, kind files, the configuration) in words a user can act on: one line naming the file,
// the line when known, and the field. Pure.
import type { ErrorObject } from 'ajv';

export interface RuleError {
  source: string;
  line?: number;
  field: string;
  message: string;
}

export function formatRuleError(e: RuleError): string {
  return `${e.source}${e.line ? `:${e.line}` : ''}: ${e.field ? `field '${e.field}': ` : ''}${e.message}`;
}

/** An Ajv instancePath (`/rules/0/pattern`) as path segments (`['rules', 0, 'pattern']`). */
export function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

/** Turn one Ajv error into words a user can act on. */
export function describeSchemaError(e: ErrorObject, oneOf = 'needs exactly one of pattern, structure, decode or paths (a path rule has no pattern and no keywords)'): { field: string; message: string } {
  const path = pointerToPath(e.instancePath).join('.');
  switch (e.keyword) {
    case 'required':
      return { field: path ? `${path}.${String(e.params['missingProperty'])}` : String(e.params['missingProperty']), message: 'is required' };
    case 'additionalProperties':
      return { field: path ? `${path}.${String(e.params['additionalProperty'])}` : String(e.params['additionalProperty']), message: 'is not a known field (check the spelling)' };
    case 'enum':
      return { field: path, message: `must be one of ${(e.params['allowedValues'] as unknown[]).map(String).join(', ')}` };
    case 'type':
      return { field: path, message: `must be ${String(e.params['type'])}` };
    case 'oneOf':
      return { field: path, message: oneOf };
    default:
      return { field: path, message: e.message ?? e.keyword };
  }
}
