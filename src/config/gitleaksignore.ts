// `.gitleaksignore` → .keyguard.yaml. gitleaks fingerprints are `commit:path:rule-id:line` (history scans) or
// `path:rule-id:line` (directory scans). They carry no secret, so they cannot become keyguard fingerprints (which
// hash the secret); what they can become is a per-rule path allowlist (`ruleAllowlists.<rule>.paths`). The commit
// and line are dropped: keyguard's allowlist is by path, so it also covers later commits of that file. Pure.
import { isMap, isSeq, parseDocument, type Document } from 'yaml';

/** gitleaks rule ids with a keyguard equivalent. Any keyguard rule id is taken as it is. */
export const GITLEAKS_RULES: Readonly<Record<string, string>> = {
  'gcp-api-key': 'google-api-key',
  'gcp-service-account': 'google-service-account-key',
};

export interface IgnoreEntry {
  line: number;
  commit?: string;
  path: string;
  ruleId: string;
  findingLine: number;
}

export interface Unconverted {
  line: number;
  text: string;
  reason: string;
}

export interface Conversion {
  /** keyguard rule id → paths. */
  allow: Map<string, string[]>;
  unconverted: Unconverted[];
  /** Entries converted. */
  converted: number;
}

/** Parse one line (without its newline); undefined for blank lines and comments. */
export function parseIgnoreLine(text: string, line: number): IgnoreEntry | Unconverted | undefined {
  const t = text.trim();
  if (!t || t.startsWith('#')) return undefined;
  // From the right: the line number, then the rule id; what is left is [commit:]path (a path may hold colons).
  const m = /^(?:([0-9a-f]{7,64}):)?(.+):([A-Za-z0-9][A-Za-z0-9_.-]*):(\d+)$/.exec(t);
  if (!m) return { line, text: t, reason: 'not a gitleaks fingerprint (expected [commit:]path:rule-id:line)' };
  const [, commit, path, ruleId, findingLine] = m;
  return { line, ...(commit ? { commit } : {}), path: path!, ruleId: ruleId!, findingLine: Number(findingLine) };
}

/** Convert a .gitleaksignore's text. `known`: keyguard's rule ids. */
export function convertGitleaksIgnore(text: string, known: ReadonlySet<string>): Conversion {
  const allow = new Map<string, string[]>();
  const unconverted: Unconverted[] = [];
  let converted = 0;
  text.split(/\r?\n/).forEach((raw, i) => {
    const entry = parseIgnoreLine(raw, i + 1);
    if (!entry) return;
    if ('reason' in entry) {
      unconverted.push(entry);
      return;
    }
    const rule = known.has(entry.ruleId) ? entry.ruleId : GITLEAKS_RULES[entry.ruleId];
    if (!rule || !known.has(rule)) {
      unconverted.push({ line: entry.line, text: raw.trim(), reason: `gitleaks rule ${entry.ruleId} has no keyguard equivalent (keyguard rules lists its rules; add a ruleAllowlists entry by hand if one of them reports this file)` });
      return;
    }
    const paths = allow.get(rule) ?? [];
    if (!paths.includes(entry.path)) paths.push(entry.path);
    allow.set(rule, paths);
    converted++;
  });
  for (const paths of allow.values()) paths.sort();
  return { allow: new Map([...allow].sort(([a], [b]) => (a < b ? -1 : 1))), unconverted, converted };
}

/** The YAML to add to .keyguard.yaml, for printing. */
export function renderAllowYaml(allow: Map<string, string[]>): string {
  if (allow.size === 0) return '';
  let out = '# From .gitleaksignore (keyguard import-gitleaksignore): these files are not reported by these rules.\nruleAllowlists:\n';
  for (const [rule, paths] of allow) {
    out += `  ${rule}:\n    paths:\n`;
    for (const p of paths) out += `      - ${JSON.stringify(p)}\n`;
  }
  return out;
}

/** Merge the allow entries into an existing configuration's text, keeping its comments and layout. */
export function mergeIntoConfig(existing: string, allow: Map<string, string[]>): { text: string; added: number } {
  const doc: Document = parseDocument(existing);
  if (doc.contents === null) {
    const text = renderAllowYaml(allow);
    return { text: existing.trim() ? `${existing.replace(/\n*$/, '\n')}${text}` : text, added: [...allow.values()].reduce((n, p) => n + p.length, 0) };
  }
  if (!isMap(doc.contents)) return { text: existing, added: 0 };
  let added = 0;
  for (const [rule, paths] of allow) {
    const at = ['ruleAllowlists', rule, 'paths'];
    const seq = doc.getIn(at, true);
    const have = isSeq(seq) ? (seq.toJSON() as unknown[]).map(String) : [];
    const missing = paths.filter((p) => !have.includes(p));
    if (missing.length === 0) continue;
    if (isSeq(seq)) for (const p of missing) seq.add(doc.createNode(p));
    else doc.setIn(at, doc.createNode(missing));
    added += missing.length;
  }
  return { text: doc.toString(), added };
}
