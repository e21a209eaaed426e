// Path rules: credential files recognised by name (`.env`, `*.p12`, `client_secret*.json`), not content, like
// gitleaks' `path` rules. Pure: a path in, findings out.
import picomatch from 'picomatch';
import type { FileFacts, PathGlob, RawFinding, Rule } from '../types.js';

/**
 * Compile one glob (picomatch syntax, dot files included, case-insensitive). A glob without `/` matches the file
 * name at any depth, as a .gitignore line does; one with `/` matches the whole path.
 */
export function compilePathGlob(glob: string, built?: [source: string, flags: string]): { ok: true; value: PathGlob } | { ok: false; message: string } {
  const trimmed = glob.replace(/^\.\//, '');
  try {
    // `built`: the regex the build compiled for a built-in rule's glob (the same call, made once).
    const regex = built ? new RegExp(built[0], built[1]) : picomatch.makeRe(trimmed, { dot: true, nocase: true });
    return { ok: true, value: { glob, regex, base: !trimmed.includes('/') } };
  } catch (err) {
    return { ok: false, message: `invalid glob: ${(err as Error).message}` };
  }
}

/** A path as the globs see it: forward slashes, no leading `./`. */
function normalise(path: string): string {
  const slashes = path.includes('\\') ? path.replace(/\\/g, '/') : path;
  return slashes.startsWith('./') ? slashes.replace(/^(?:\.\/)+/, '') : slashes;
}

/**
 * Every path rule's globs in two combined regexes (file names, whole paths): most paths match none, and one test
 * each says so, instead of one per glob per rule.
 */
export interface PathFilter {
  names?: RegExp;
  paths?: RegExp;
}

/** Path rules ready to match: the rules and their combined filter (a RuleSet is one). */
export interface PathRules {
  pathRules: readonly Rule[];
  pathFilter?: PathFilter;
}

export function createPathFilter(rules: readonly Rule[]): PathFilter {
  const globs = rules.flatMap((r) => r.paths ?? []);
  const combine = (list: PathGlob[]): RegExp | undefined => (list.length > 0 ? new RegExp(list.map((g) => `(?:${g.regex.source})`).join('|'), 'i') : undefined);
  const names = combine(globs.filter((g) => g.base));
  const paths = combine(globs.filter((g) => !g.base));
  return { ...(names ? { names } : {}), ...(paths ? { paths } : {}) };
}

function matchesGlob(g: PathGlob, path: string, name: string): boolean {
  g.regex.lastIndex = 0;
  return g.regex.test(g.base ? name : path);
}

/** Whether any of the globs matches the path. */
export function matchesAnyGlob(globs: readonly PathGlob[] | undefined, path: string): boolean {
  if (!globs || globs.length === 0) return false;
  const p = normalise(path);
  const name = p.slice(p.lastIndexOf('/') + 1);
  return globs.some((g) => matchesGlob(g, p, name));
}

/** Whether a path rule reports this path: one of its `paths` matches and none of its `allowlist.paths` does. */
export function pathRuleMatches(rule: Rule, path: string): boolean {
  return matchesAnyGlob(rule.paths, path) && !matchesAnyGlob(rule.allowlist.paths, path);
}

/** Every path rule that reports this file, as raw findings (line 1; the "secret" is the path itself). */
export function detectPath(file: FileFacts, set: PathRules): RawFinding[] {
  if (!mayMatch(file.path, set)) return [];
  const out: RawFinding[] = [];
  for (const rule of set.pathRules) {
    if (!pathRuleMatches(rule, file.path)) continue;
    const finding: RawFinding = {
      ruleId: rule.id,
      title: rule.title,
      description: rule.description,
      severity: rule.severity,
      kind: rule.kind,
      file: file.path,
      line: 1,
      column: 1,
      endLine: 1,
      endColumn: 1,
      start: 0,
      end: 0,
      // The credential id of a file found by name is the hash of its path: one checklist per file.
      rawSecret: file.path,
      entropy: 0,
      excerpt: `file name matches \`${rule.paths!.find((g) => matchesAnyGlob([g], file.path))!.glob}\``,
      exposure: 'server',
    };
    if (file.git) finding.git = file.git;
    if (file.commit) finding.commit = file.commit;
    if (file.blobId) finding.blobId = file.blobId;
    out.push(finding);
  }
  return out;
}

/** The combined filter's quick answer: false when no path rule's glob can match this path. */
function mayMatch(path: string, set: PathRules): boolean {
  const filter = set.pathFilter;
  if (!filter) return true;
  const p = normalise(path);
  const name = p.slice(p.lastIndexOf('/') + 1);
  return Boolean(filter.names?.test(name) || filter.paths?.test(p));
}

/** Whether some path rule reports this path (a credential file by its name). */
export function isCredentialFileName(path: string, set: PathRules): boolean {
  return set.pathRules.length > 0 && mayMatch(path, set) && set.pathRules.some((rule) => pathRuleMatches(rule, path));
}

/**
 * A template, not a credential: the text of a file named like a credential file holds a placeholder where the secret
 * would be (`"private_key": "YOUR_PRIVATE_KEY"`, `client_secret: <CLIENT_SECRET>`, `REPLACE_ME`, `changeme`, `xxxx`).
 * Only a file whose content produced no finding gets this far, so a real key beside such a word is still reported.
 */
const TEMPLATE = /(?:\b|(?<=\\[nrt]))(?:YOUR|ENTER|INSERT|PUT)[_ -](?:[A-Z0-9]+[_ -]){0,4}(?:KEY|SECRET|TOKEN|ID|HERE|VALUE|CREDENTIALS?)\b|(?:\b|(?<=\\[nrt]))REPLACE[_ -]?(?:ME|WITH|THIS)\b|\bchange[_-]?me\b|<(?:[A-Za-z0-9]+[_ -]){0,5}[A-Za-z0-9]+>|\{\{\s*[\w.-]+\s*\}\}|\$\{[A-Z0-9_]+\}|x{8,}|X{8,}|\.\.\.(?=")/i;

export function looksLikeTemplate(text: string): boolean {
  return TEMPLATE.test(text);
}

/** Path findings of files whose content is a template leave; every other finding stays. */
export function dropTemplateFiles(raw: RawFinding[], pathRules: readonly Rule[], isTemplate: (f: RawFinding) => boolean): RawFinding[] {
  if (pathRules.length === 0) return raw;
  const ids = new Set(pathRules.map((r) => r.id));
  return raw.filter((f) => !ids.has(f.ruleId) || !isTemplate(f));
}

/** Whether a raw finding came from a path rule (it carries no content position). */
export function isPathFinding(f: Pick<RawFinding, 'ruleId'>, pathRules: readonly Rule[]): boolean {
  return pathRules.some((r) => r.id === f.ruleId);
}

/**
 * One report per file: a file whose content already produced a finding (a service-account JSON found by
 * structure, a `.env` holding a key) needs no separate finding for its name. Content findings stay; path findings
 * for the same file (and commit) go.
 */
export function foldPathFindings(raw: RawFinding[], pathRules: readonly Rule[]): RawFinding[] {
  if (pathRules.length === 0) return raw;
  const ids = new Set(pathRules.map((r) => r.id));
  const withContent = new Set<string>();
  for (const f of raw) if (!ids.has(f.ruleId)) withContent.add(`${f.commit ?? ''}\0${f.file}`);
  if (withContent.size === 0) return raw;
  return raw.filter((f) => !ids.has(f.ruleId) || !withContent.has(`${f.commit ?? ''}\0${f.file}`));
}
