// Rule files: pure parse/validate, and a thin reader for the built-in rules/ folder.
import { readFileSync, readdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, basename } from 'node:path';
import { ruleValidator } from './rule-validator.js';
import { PRECOMPILED_RULES } from './builtin-rules-data.js';
import { BUILTIN_KINDS } from './builtin-kinds-data.js';
import type { PathGlob, Rule, Result, Severity, Kind, StructureName } from '../types.js';
import { compilePathGlob } from '../detect/paths.js';
import { describeSchemaError, pointerToPath, type RuleError } from './schema-errors.js';
import { maskSecrets } from '../mask/secret-like.js';

/** The rule as written in YAML, after schema validation. */
export interface RuleSpec {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  kind: Kind;
  keywords?: string[];
  keywordsIgnoreCase?: boolean;
  pattern?: string;
  ignoreCase?: boolean;
  structure?: StructureName;
  decode?: 'base64';
  entropy?: number;
  placeholders?: boolean;
  requires?: { pattern: string; within?: number };
  context?: { pattern: string; within?: number; severity: Severity; note?: string; situation?: 'firebase' }[];
  allowlist?: { regexes?: string[]; stopwords?: string[]; paths?: string[] };
  paths?: string[];
  warnOnly?: boolean;
  priority?: number;
  references?: string[];
  examples: string[];
  negativeExamples: string[];
}

export { describeSchemaError, formatRuleError, pointerToPath, type RuleError } from './schema-errors.js';

/** Compile a user-supplied regex, naming the field when it is invalid. */
export function compileRegex(source: string, flags: string): { ok: true; regex: RegExp } | { ok: false; message: string } {
  try {
    return { ok: true, regex: new RegExp(source, flags) };
  } catch (err) {
    // V8 quotes the pattern: one that holds a literal key must not print it.
    return { ok: false, message: `invalid regular expression: ${maskSecrets((err as Error).message.replace(/^Invalid regular expression: /, ''))}` };
  }
}

/**
 * Validate an already-parsed rule object and compile it. Pure. `built`: what the build checked and compiled for a
 * built-in rule (scripts/build.mjs): the schema check is skipped, and its path globs' regexes are taken as they are.
 */
export function validateRule(
  data: unknown,
  source: string,
  locate: (path: (string | number)[]) => number | undefined = () => undefined,
  built?: { globs: Record<string, [string, string]> },
): Result<Rule, RuleError> {
  const validate = built ? undefined : ruleValidator();
  if (validate && !validate(data)) {
    const errors = (validate.errors ?? [])
      // oneOf/if noise follows from the precise errors; keep it only when it is all there is.
      .filter((e, _i, all) => !(e.keyword === 'if' || e.keyword === 'not') || all.length === 1)
      // A context entry's note-or-situation: the oneOf error says it; its missing alternatives are noise.
      .filter((e, _i, all) => !(e.keyword === 'required' && e.schemaPath.includes('/context/items/oneOf/') && all.some((o) => o.keyword === 'oneOf' && o.instancePath === e.instancePath)))
      .map((e) => {
        const { field, message } = describeSchemaError(e, e.schemaPath.includes('/context/') ? 'needs exactly one of note or situation' : undefined);
        const line = locate(pointerToPath(e.instancePath));
        return { source, field, message, ...(line ? { line } : {}) };
      });
    return { ok: false, errors: dedupeErrors(errors) };
  }
  const spec = data as RuleSpec;
  const errors: RuleError[] = [];
  const at = (path: (string | number)[]) => {
    const line = locate(path);
    return line ? { line } : {};
  };
  const expectedId = basename(source).replace(/\.ya?ml$/, '');
  if (/\.ya?ml$/.test(source) && expectedId !== spec.id && !source.includes('#')) {
    errors.push({ source, field: 'id', message: `'${spec.id}' must equal the file name '${expectedId}'`, ...at(['id']) });
  }
  // A situation's note is the kind's (rules/kinds/<kind>.yaml situations): the checklist knows the situation by it.
  const situationNote = (kind: Kind, situation: 'firebase', path: (string | number)[]): string => {
    const note = BUILTIN_KINDS.kinds[kind].situations?.[situation]?.note;
    if (note === undefined) errors.push({ source, field: path.join('.'), message: `kind ${kind} has no ${situation} situation (rules/kinds/${kind}.yaml situations); write a note instead`, ...at(path) });
    return note ?? '';
  };
  const regex = (text: string, flags: string, path: (string | number)[]): RegExp | undefined => {
    const compiled = compileRegex(text, flags);
    if (compiled.ok) return compiled.regex;
    errors.push({ source, field: path.join('.'), message: compiled.message, ...at(path) });
    return undefined;
  };
  const pattern = spec.pattern !== undefined ? regex(spec.pattern, spec.ignoreCase ? 'gid' : 'gd', ['pattern']) : undefined;
  const requires = spec.requires ? regex(spec.requires.pattern, 'g', ['requires', 'pattern']) : undefined;
  const context = (spec.context ?? []).map((c, i) => ({
    pattern: regex(c.pattern, 'g', ['context', i, 'pattern']) ?? /$^/g,
    within: c.within ?? 600,
    severity: c.severity,
    note: c.situation ? situationNote(spec.kind, c.situation, ['context', i, 'situation']) : (c.note ?? ''),
  }));
  const allowRegexes = (spec.allowlist?.regexes ?? []).map((r, i) => regex(r, '', ['allowlist', 'regexes', i]) ?? /$^/);
  const globs = (list: string[] | undefined, path: (string | number)[]): PathGlob[] | undefined =>
    list?.flatMap((g, i) => {
      const compiled = compilePathGlob(g, built?.globs[g]);
      if (compiled.ok) return [compiled.value];
      errors.push({ source, field: [...path, i].join('.'), message: compiled.message, ...at([...path, i]) });
      return [];
    });
  const paths = globs(spec.paths, ['paths']);
  const allowPaths = globs(spec.allowlist?.paths, ['allowlist', 'paths']);
  if (errors.length > 0) return { ok: false, errors };

  const rule: Rule = {
    id: spec.id,
    title: spec.title,
    description: spec.description,
    severity: spec.severity,
    kind: spec.kind,
    keywords: spec.keywords ?? [],
    keywordsIgnoreCase: spec.keywordsIgnoreCase ?? false,
    placeholders: spec.placeholders ?? true,
    context,
    allowlist: { regexes: allowRegexes, stopwords: (spec.allowlist?.stopwords ?? []).map((s) => s.toLowerCase()) },
    priority: spec.priority ?? 50,
    references: spec.references ?? [],
    examples: spec.examples,
    negativeExamples: spec.negativeExamples,
    source,
  };
  if (pattern) rule.pattern = pattern;
  if (spec.structure) rule.structure = spec.structure;
  if (spec.decode) rule.decode = spec.decode;
  if (spec.entropy !== undefined) rule.entropy = spec.entropy;
  if (requires) rule.requires = { pattern: requires, within: spec.requires?.within ?? 300 };
  if (paths) rule.paths = paths;
  if (allowPaths && allowPaths.length > 0) rule.allowlist.paths = allowPaths;
  if (spec.warnOnly) rule.warnOnly = true;
  return { ok: true, value: rule };
}

function dedupeErrors(errors: RuleError[]): RuleError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.field}\0${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Check a set of rules as a whole (unique ids). Pure. */
export function validateRuleSet(rules: Rule[]): RuleError[] {
  const seen = new Map<string, string>();
  const errors: RuleError[] = [];
  for (const rule of rules) {
    const first = seen.get(rule.id);
    if (first) errors.push({ source: rule.source, field: 'id', message: `'${rule.id}' is already defined in ${first}` });
    else seen.set(rule.id, rule.source);
  }
  return errors;
}

export { builtinRulesDir } from './builtin-dir.js';

/** A rule file the build parsed already (same name, same text), validated as parseRuleFile would; else undefined. */
function parsePrecompiled(name: string, text: string, source: string): Result<Rule, RuleError> | undefined {
  const pre = PRECOMPILED_RULES[name];
  if (!pre || pre.sha256 !== createHash('sha256').update(text).digest('hex')) return undefined;
  const result = validateRule(JSON.parse(pre.json), source, undefined, { globs: pre.globs });
  // Errors come from parseRuleFile, with their lines.
  return result.ok ? result : undefined;
}

/** Parses the text of one rule file (rule-file.ts, which loads the YAML parser). */
export type RuleFileParser = (text: string, source: string) => Result<Rule, RuleError>;

/** One rules/*.yaml as read: its text, or why it could not be read. */
type RuleFileText = { name: string; source: string; text: string } | { name: string; source: string; error: string };

function readRuleTexts(dir: string, displayPrefix: string): Result<RuleFileText[], RuleError> {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (err) {
    return { ok: false, errors: [{ source: dir, field: '', message: `cannot read the rules folder: ${(err as Error).message}` }] };
  }
  return {
    ok: true,
    value: names.map((name) => {
      const source = `${displayPrefix}${name}`;
      try {
        return { name, source, text: readFileSync(join(dir, name), 'utf8') };
      } catch (err) {
        return { name, source, error: `cannot read: ${(err as Error).message}` };
      }
    }),
  };
}

/** Each file's rule from what the build parsed where it can be; the others keep their text for the YAML parser. */
type PreparedRuleFile = { source: string; error: string } | { source: string; parsed: Result<Rule, RuleError> } | { source: string; text: string };

function prepareRuleFiles(files: RuleFileText[]): PreparedRuleFile[] {
  return files.map((f) => {
    if ('error' in f) return f;
    const parsed = parsePrecompiled(f.name, f.text, f.source);
    return parsed ? { source: f.source, parsed } : { source: f.source, text: f.text };
  });
}

/** The rules, or every error; `parse` is given whenever a file was not parsed by the build. */
function finishRuleFiles(files: PreparedRuleFile[], parse: RuleFileParser | undefined): Result<Rule[], RuleError> {
  const rules: Rule[] = [];
  const errors: RuleError[] = [];
  for (const f of files) {
    if ('error' in f) {
      errors.push({ source: f.source, field: '', message: f.error });
      continue;
    }
    const parsed = 'parsed' in f ? f.parsed : parse!(f.text, f.source);
    if (parsed.ok) rules.push(parsed.value);
    else errors.push(...parsed.errors);
  }
  errors.push(...validateRuleSet(rules));
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: rules };
}

/** Read and validate every rules/*.yaml of a folder, with this YAML parser for the files the build did not parse. */
export function readRuleDirWith(dir: string, displayPrefix: string, parse: RuleFileParser): Result<Rule[], RuleError> {
  const files = readRuleTexts(dir, displayPrefix);
  return files.ok ? finishRuleFiles(prepareRuleFiles(files.value), parse) : files;
}

/**
 * readRuleDir (rule-file.ts) that loads the YAML parser only when a file needs it: the built-in rules, unedited, are
 * read from what the build parsed (and a rule with errors is parsed again, for its lines). The CLI's way to read rules/.
 */
export async function loadRuleDir(dir: string, displayPrefix = 'rules/'): Promise<Result<Rule[], RuleError>> {
  const files = readRuleTexts(dir, displayPrefix);
  if (!files.ok) return files;
  const prepared = prepareRuleFiles(files.value);
  const parse = prepared.some((f) => 'text' in f) ? (await import('./rule-file.js')).parseRuleFile : undefined;
  return finishRuleFiles(prepared, parse);
}
