// .keyguard.yaml: pure parse and validate (schema/config.schema.json, then what a schema cannot say: regexes compile
// and cannot backtrack catastrophically, rule ids exist, user rules find their examples). Reading it is read-config.ts.
import type { ErrorObject } from 'ajv';
import picomatch from 'picomatch';
import { parseDocument, LineCounter, isMap, isScalar, isSeq, type Document } from 'yaml';
import type { Result, Rule } from '../types.js';
import { configValidator } from './config-validator.js';
import { compileRegex, pointerToPath, validateRule } from './rules.js';
import { locateInDocument } from './rule-file.js';
import { regexRisk } from './regex-safety.js';
import { checkRuleExamples } from './rule-check.js';
import { createRuleSet } from '../detect/engine.js';
import { parseSize } from './size.js';
import { maskSecrets } from '../mask/secret-like.js';

export { DEFAULT_CONFIG, formatConfigError, type Allowlist, type AllowlistSpec, type ConfigError, type ProjectConfig } from './config-types.js';
import { DEFAULT_CONFIG, type Allowlist, type AllowlistSpec, type ConfigError, type ProjectConfig } from './config-types.js';

type Path = (string | number)[];

function fieldName(path: Path): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

function describe(e: ErrorObject): { path: Path; message: string } {
  const path = pointerToPath(e.instancePath);
  switch (e.keyword) {
    case 'required':
      return { path: [...path, String(e.params['missingProperty'])], message: 'is required' };
    case 'additionalProperties':
      return { path: [...path, String(e.params['additionalProperty'])], message: 'is not a known field (check the spelling; see schema/config.schema.json)' };
    case 'enum':
      return { path, message: `must be one of ${(e.params['allowedValues'] as unknown[]).map(String).join(', ')}` };
    case 'type':
      return { path, message: `must be ${String(e.params['type']).replace(',', ' or ')}` };
    case 'oneOf':
      return { path, message: 'needs exactly one of pattern, structure, decode or paths' };
    case 'propertyNames':
      return { path, message: 'keys must be rule ids (lower-case words joined by -)' };
    case 'pattern': {
      const pattern = String(e.params['pattern']);
      if (pattern.startsWith('^[0-9a-fA-F]')) return { path, message: 'must be a commit id of 7 to 64 hex digits' };
      if (pattern.startsWith('^[a-z0-9]+(-')) return { path, message: 'must be a rule id (lower-case words joined by -)' };
      return { path, message: `must match ${pattern}` };
    }
    default:
      return { path, message: e.message ?? e.keyword };
  }
}

/** Globs on repository-relative paths; a glob also covers what is under a folder it names, and one without a slash matches at any depth. */
export function compilePathGlobs(globs: string[]): (path: string) => boolean {
  const expanded: string[] = [];
  for (const raw of globs) {
    const g = raw.replace(/^\.\//, '').replace(/\/+$/, '');
    expanded.push(g, `${g}/**`);
    if (!g.includes('/')) expanded.push(`**/${g}`, `**/${g}/**`);
  }
  return picomatch(expanded, { dot: true });
}

interface Context {
  source: string;
  locate: (path: Path) => number | undefined;
  errors: ConfigError[];
}

function error(ctx: Context, path: Path, message: string, rule?: string): void {
  const line = ctx.locate(path);
  ctx.errors.push({ source: ctx.source, field: fieldName(path), message, ...(line ? { line } : {}), ...(rule ? { rule } : {}) });
}

function userRegex(ctx: Context, text: string, flags: string, path: Path, rule?: string): RegExp | undefined {
  const compiled = compileRegex(text, flags);
  if (!compiled.ok) {
    error(ctx, path, compiled.message, rule);
    return undefined;
  }
  const risk = regexRisk(text, flags);
  if (risk) {
    error(ctx, path, `pattern ${risk}`, rule);
    return undefined;
  }
  return compiled.regex;
}

function validateAllowlist(ctx: Context, spec: AllowlistSpec, at: Path): Allowlist {
  const regexes = (spec.regexes ?? []).map((r, i) => userRegex(ctx, r, '', [...at, 'regexes', i])).filter((r): r is RegExp => r !== undefined);
  const lineRegexes = (spec.lineRegexes ?? []).map((r, i) => userRegex(ctx, r, '', [...at, 'lineRegexes', i])).filter((r): r is RegExp => r !== undefined);
  const globs = spec.paths ?? [];
  let path: ((p: string) => boolean) | undefined;
  try {
    path = globs.length > 0 ? compilePathGlobs(globs) : undefined;
  } catch (e) {
    error(ctx, [...at, 'paths'], `not a valid glob: ${(e as Error).message}`);
  }
  return { path, regexes, lineRegexes, stopwords: (spec.stopwords ?? []).map((s) => s.toLowerCase()), commits: (spec.commits ?? []).map((c) => c.toLowerCase()) };
}

/** The rule patterns a user wrote, each checked for catastrophic backtracking. */
function checkRulePatterns(ctx: Context, rule: Rule, at: Path): void {
  const check = (re: RegExp | undefined, path: Path): void => {
    if (!re) return;
    const risk = regexRisk(re.source, re.flags);
    if (risk) error(ctx, [...at, ...path], `pattern ${risk}`, rule.id);
  };
  check(rule.pattern, ['pattern']);
  check(rule.requires?.pattern, ['requires', 'pattern']);
  rule.context.forEach((c, i) => check(c.pattern, ['context', i, 'pattern']));
  rule.allowlist.regexes.forEach((r, i) => check(r, ['allowlist', 'regexes', i]));
}

/**
 * Validate a parsed configuration. Pure. `builtins` are the built-in rules (for `disable`, id clashes and for running
 * the user rules' examples against the rule set they will really run in).
 */
export function validateConfig(data: unknown, source: string, builtins: Rule[], locate: (path: Path) => number | undefined = () => undefined): Result<ProjectConfig, ConfigError> {
  const ctx: Context = { source, locate, errors: [] };
  const validate = configValidator();
  if (!validate(data)) {
    const all = validate.errors ?? [];
    // if/not/oneOf noise follows from the precise errors; keep it only when it is all there is.
    const precise = all.filter((e) => !['if', 'not', 'oneOf', 'anyOf', 'allOf'].includes(e.keyword));
    // A misspelt key explains the rest (a required field "missing", a wrong type), so it comes first.
    // Errors from inside oneOf/allOf branches (the pattern | structure | decode choice) come after the plain ones.
    const rank = (e: ErrorObject): number => (e.keyword === 'additionalProperties' ? 0 : e.keyword === 'required' ? 2 : 1) + (/\/(oneOf|allOf|anyOf)\//.test(e.schemaPath) ? 3 : 0);
    const ordered = (precise.length > 0 ? precise : all).map((e, i) => ({ e, i })).sort((a, b) => rank(a.e) - rank(b.e) || a.i - b.i).map((x) => x.e);
    // Only the branches of a choice failed: say what the choice is rather than one branch's missing field.
    const choice = ordered[0] && /\/oneOf\//.test(ordered[0].schemaPath) ? all.find((e) => e.keyword === 'oneOf' && e.instancePath === ordered[0]!.instancePath) : undefined;
    if (choice) ordered.unshift(choice);
    for (const e of ordered) {
      const { path, message } = describe(e);
      const rule = path[0] === 'rules' && typeof path[1] === 'number' ? ruleIdAt(data, path[1]) : undefined;
      const line = locate(path);
      ctx.errors.push({ source, field: fieldName(path), message, ...(line ? { line } : {}), ...(rule ? { rule } : {}) });
    }
    return { ok: false, errors: ctx.errors };
  }
  const spec = data as {
    extends?: boolean;
    rules?: unknown[];
    disable?: string[];
    allowlist?: AllowlistSpec;
    ruleAllowlists?: Record<string, AllowlistSpec>;
    maxFileSize?: number | string;
    failOpen?: boolean;
    verify?: boolean;
  };
  const useBuiltins = spec.extends ?? true;
  const builtinIds = new Set(builtins.map((r) => r.id));

  const rules: Rule[] = [];
  (spec.rules ?? []).forEach((raw, i) => {
    const id = ruleIdAt(data, i);
    const parsed = validateRule(raw, `${source}#${id ?? `rules[${i}]`}`, (p) => locate(['rules', i, ...p]));
    if (!parsed.ok) {
      for (const e of parsed.errors) {
        const line = e.line ?? locate(['rules', i]);
        ctx.errors.push({ source, field: `rules[${i}]${e.field ? `.${e.field}` : ''}`, message: e.message, ...(line ? { line } : {}), ...(id ? { rule: id } : {}) });
      }
      return;
    }
    const rule = parsed.value;
    checkRulePatterns(ctx, rule, ['rules', i]);
    if (useBuiltins && builtinIds.has(rule.id)) error(ctx, ['rules', i, 'id'], `'${rule.id}' is a built-in rule id; choose another id (or disable the built-in rule and use another id)`, rule.id);
    else if (rules.some((r) => r.id === rule.id)) error(ctx, ['rules', i, 'id'], `'${rule.id}' is defined twice`, rule.id);
    rules.push(rule);
  });
  const knownIds = new Set([...builtinIds, ...rules.map((r) => r.id)]);
  const disable = spec.disable ?? [];
  disable.forEach((id, i) => {
    if (!knownIds.has(id)) error(ctx, ['disable', i], `'${id}' is not a rule id; keyguard rules lists them`);
  });
  const allowlist = spec.allowlist ? validateAllowlist(ctx, spec.allowlist, ['allowlist']) : undefined;
  const ruleAllowlists = new Map<string, Allowlist>();
  for (const [id, list] of Object.entries(spec.ruleAllowlists ?? {})) {
    if (!knownIds.has(id)) error(ctx, ['ruleAllowlists', id], `'${id}' is not a rule id; keyguard rules lists them`);
    ruleAllowlists.set(id, validateAllowlist(ctx, list, ['ruleAllowlists', id]));
  }
  let maxFileSize: number | undefined;
  if (spec.maxFileSize !== undefined) {
    maxFileSize = typeof spec.maxFileSize === 'number' ? spec.maxFileSize : parseSize(spec.maxFileSize);
    if (maxFileSize === undefined || maxFileSize < 1) error(ctx, ['maxFileSize'], 'must be a size: bytes, or units like 10MiB');
  }
  if (ctx.errors.length > 0) return { ok: false, errors: ctx.errors };

  // User rules must find their examples in the rule set they will run in (a built-in rule may win the same text).
  if (rules.length > 0) {
    const active = [...(useBuiltins ? builtins : []), ...rules].filter((r) => !disable.includes(r.id));
    const userActive = rules.filter((r) => !disable.includes(r.id));
    for (const f of checkRuleExamples(userActive, createRuleSet(active))) {
      const i = rules.findIndex((r) => r.id === f.ruleId);
      const field = f.problem === 'missed' ? 'examples' : 'negativeExamples';
      error(
        ctx,
        ['rules', i, field, f.index],
        f.problem === 'missed' ? `example ${f.index + 1} is not found by the rule; fix the pattern (keywords, entropy) or the example` : `negative example ${f.index + 1} is reported by the rule; tighten the pattern or add an allowlist`,
        f.ruleId,
      );
    }
    if (ctx.errors.length > 0) return { ok: false, errors: ctx.errors };
  }

  const config: ProjectConfig = { source, extends: useBuiltins, rules, disable, allowlist, ruleAllowlists, failOpen: spec.failOpen ?? false };
  if (maxFileSize !== undefined) config.maxFileSize = maxFileSize;
  if (spec.verify !== undefined) config.verify = spec.verify;
  return { ok: true, value: config };
}

function ruleIdAt(data: unknown, i: number): string | undefined {
  const rules = (data as { rules?: unknown } | null)?.rules;
  const rule = Array.isArray(rules) ? (rules[i] as { id?: unknown } | undefined) : undefined;
  return typeof rule?.id === 'string' && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(rule.id) ? rule.id : undefined;
}

/** Line of the YAML node for a path: for a mapping entry, its key's line (where a misspelt key or a wrong value starts). */
function locator(doc: Document, lines: LineCounter): (path: Path) => number | undefined {
  return (path) => {
    let node: unknown = doc.contents;
    let line: number | undefined;
    for (const step of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => (isScalar(p.key) ? p.key.value : p.key) === step);
        if (!pair) break;
        const range = (pair.key as { range?: [number, number, number] } | null)?.range;
        if (range) line = lines.linePos(range[0]).line;
        node = pair.value;
      } else if (isSeq(node) && typeof step === 'number') {
        const item = node.items[step] as { range?: [number, number, number] } | undefined;
        if (!item) break;
        if (item.range) line = lines.linePos(item.range[0]).line;
        node = item;
      } else break;
    }
    return line ?? locateInDocument(doc, lines, path);
  };
}

/** Parse the text of a .keyguard.yaml. Pure. An empty file is the defaults. */
export function parseConfig(text: string, source: string, builtins: Rule[]): Result<ProjectConfig, ConfigError> {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!;
    const line = lines.linePos(err.pos[0]).line;
    // yaml's messages end with the offending line quoted; keep only the words before it (the line may hold a secret).
    const message = (err.message.split('\n')[0] ?? '').replace(/\s*at line \d+, column \d+:?\s*$/, '');
    return { ok: false, errors: [{ source, line, field: '', message: `not valid YAML: ${maskSecrets(message)}` }] };
  }
  if (doc.contents === null) return { ok: true, value: { ...DEFAULT_CONFIG, source } };
  if (!isMap(doc.contents)) return { ok: false, errors: [{ source, line: 1, field: '', message: 'must be a YAML mapping (keys like rules, allowlist, disable)' }] };
  return validateConfig(doc.toJS(), source, builtins, locator(doc, lines));
}
