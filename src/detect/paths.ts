// Path rules: credential files recognised by name (`.env`, `*.p12`, `client_secret*.json`), not content, like
// gitleaks' `path` rules. Pure: a path in, findings out.
import picomatch from 'picomatch';
import type { FileFacts, PathGlob, RawFinding, Rule } from '../types.js';

/**
 * Compile one glob (picomatch syntax, dot files included, case-insensitive). A glob without `/` matches the file
 * name at any depth, as a .gitignore line does; one with `/` matches the whole path.
 */
export function compilePathGlob(glob: string): { ok: true; value: PathGlob } | { ok: false; message: string } {
  const trimmed = glob.replace(/^\.\//, '');
  try {
    const regex = picomatch.makeRe(trimmed, { dot: true, nocase: true });
    return { ok: true, value: { glob, regex, base: !trimmed.includes('/') } };
  } catch (err) {
    return { ok: false, message: `invalid glob: ${(err as Error).message}` };
  }
}

/** A path as the globs see it: forward slashes, no leading `./`. */
function normalise(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(?:\.\/)+/, '');
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
export function detectPath(file: FileFacts, pathRules: readonly Rule[]): RawFinding[] {
  const out: RawFinding[] = [];
  for (const rule of pathRules) {
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
