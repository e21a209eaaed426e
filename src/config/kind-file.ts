// Kind files as YAML: read rules/kinds/*.yaml, parse each with its lines, validate them together (kinds.ts).
// The CLI bundle never runs this at start: the build runs it once and bundles the result (builtin-kinds-data.ts);
// `keyguard rules --check` runs it on the files as they are.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, LineCounter, isMap } from 'yaml';
import type { KindTable, Result } from '../types.js';
import { builtinRulesDir } from './builtin-dir.js';
import { locateInDocument } from './yaml-lines.js';
import { validateKindFiles, type KindFileInput } from './kinds.js';
import type { RuleError } from './schema-errors.js';

/** The built-in kind files' folder: rules/kinds/ beside the rules. */
export function builtinKindsDir(): string {
  return join(builtinRulesDir(), 'kinds');
}

/** Parse one kind file's text. Pure. */
export function parseKindText(name: string, text: string, source: string): Result<KindFileInput, RuleError> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    return { ok: false, errors: [{ source, line: lines.linePos(err.pos[0]).line, field: '', message: `not valid YAML: ${err.message.split('\n')[0]}` }] };
  }
  if (!isMap(doc.contents)) return { ok: false, errors: [{ source, field: '', message: 'must be a YAML mapping with label and steps' }] };
  return { ok: true, value: { name, source, data: doc.toJS(), locate: (path) => locateInDocument(doc, lines, path) } };
}

/** Validate parsed kind files together. Pure. */
export function parseKindTexts(files: { name: string; text: string }[], displayPrefix = 'rules/kinds/'): Result<KindTable, RuleError> {
  const inputs: KindFileInput[] = [];
  const errors: RuleError[] = [];
  for (const f of files) {
    const parsed = parseKindText(f.name, f.text, `${displayPrefix}${f.name}`);
    if (parsed.ok) inputs.push(parsed.value);
    else errors.push(...parsed.errors);
  }
  const table = validateKindFiles(inputs, displayPrefix);
  if (errors.length === 0) return table;
  return { ok: false, errors: [...errors, ...(table.ok ? [] : table.errors.filter((e) => !errors.some((p) => p.source === e.source)))] };
}

/** Read and validate every *.yaml of a kind folder. */
export function readKindDir(dir: string, displayPrefix = 'rules/kinds/'): Result<KindTable, RuleError> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (err) {
    return { ok: false, errors: [{ source: displayPrefix, field: '', message: `cannot read the kind files' folder: ${(err as Error).message}` }] };
  }
  const files: { name: string; text: string }[] = [];
  const errors: RuleError[] = [];
  for (const name of names) {
    try {
      files.push({ name, text: readFileSync(join(dir, name), 'utf8') });
    } catch (err) {
      errors.push({ source: `${displayPrefix}${name}`, field: '', message: `cannot read: ${(err as Error).message}` });
    }
  }
  const table = parseKindTexts(files, displayPrefix);
  return errors.length === 0 ? table : { ok: false, errors: [...errors, ...(table.ok ? [] : table.errors)] };
}
