// Rule files as YAML: the parser is loaded only where this module is (the CLI reads its built-in rules from what the
// build parsed, see loadRuleDir in rules.ts, and loads this only for a rule file the build did not see).
import { parseDocument, LineCounter, isMap } from 'yaml';
import { locateInDocument } from './yaml-lines.js';
import type { Rule, Result } from '../types.js';
import { readRuleDirWith, validateRule, type RuleError } from './rules.js';
import { maskSecrets } from '../mask/secret-like.js';

export { locateInDocument };

/** Parse the text of one rule file. Pure. */
export function parseRuleFile(text: string, source: string): Result<Rule, RuleError> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const line = lines.linePos(err.pos[0]).line;
    return { ok: false, errors: [{ source, line, field: '', message: `not valid YAML: ${maskSecrets(err.message.split('\n')[0] ?? '')}` }] };
  }
  const data: unknown = doc.toJS();
  if (!isMap(doc.contents)) {
    return { ok: false, errors: [{ source, field: '', message: 'must be a YAML mapping with id, title, pattern…' }] };
  }
  return validateRule(data, source, (path) => locateInDocument(doc, lines, path));
}

/** Read and validate every rules/*.yaml. */
export function readRuleDir(dir: string, displayPrefix = 'rules/'): Result<Rule[], RuleError> {
  return readRuleDirWith(dir, displayPrefix, parseRuleFile);
}
