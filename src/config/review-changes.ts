// What a range's change to a file keyguard trusts (.keyguard.yaml, the baseline, .gitleaksignore) would do once
// merged, in short phrases for a reviewer. Only what loosens the check is described: a widened allowlist, disabled
// rules, new baseline entries. Pure: the two versions come in as text.
import { parse as parseYaml } from 'yaml';
import type { ReviewItem } from '../types.js';
import { redactSecret } from '../mask/redact.js';
import { parseBaseline } from './baseline.js';

export type TrustedRole = Extract<ReviewItem, { type: 'config-change' }>['role'];

/** At most this many entries are quoted per field; the rest are counted. */
const SHOWN = 5;
const ALLOWLIST_FIELDS = ['paths', 'regexes', 'lineRegexes', 'stopwords', 'commits'] as const;
/** Fields whose entries may hold a secret (a regex or a stopword can be the key itself): shown redacted. */
const SECRET_LIKE = new Set<string>(['regexes', 'lineRegexes', 'stopwords']);

type Doc = Record<string, unknown>;

function asDoc(v: unknown): Doc {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Doc) : {};
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

function added(before: string[], after: string[]): string[] {
  const had = new Set(before);
  return [...new Set(after)].filter((x) => !had.has(x));
}

function quote(values: string[], field: string): string {
  const shown = values.slice(0, SHOWN).map((v) => {
    const text = SECRET_LIKE.has(field) ? redactSecret(v) : v;
    return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);
  });
  return `${shown.join(', ')}${values.length > SHOWN ? ` and ${values.length - SHOWN} more` : ''}`;
}

function readYaml(text: string | undefined): { doc: Doc; ok: boolean } {
  if (text === undefined) return { doc: {}, ok: true };
  try {
    return { doc: asDoc(parseYaml(text.replace(/^\uFEFF/, ''))), ok: true };
  } catch {
    return { doc: {}, ok: false };
  }
}

/** What a change to the configuration loosens: widened allowlists, disabled or removed rules, built-ins off. */
export function describeConfigChange(before: string | undefined, after: string | undefined): string[] {
  const a = readYaml(before);
  const b = readYaml(after);
  const out: string[] = [];
  if (!b.ok) out.push('the new version is not valid YAML (keyguard stops with an error once it is merged)');
  const widen = (label: string, was: unknown, now: unknown): void => {
    for (const field of ALLOWLIST_FIELDS) {
      const extra = added(strings(asDoc(was)[field]), strings(asDoc(now)[field]));
      if (extra.length > 0) out.push(`widens ${label}.${field}: ${quote(extra, field)}`);
    }
  };
  widen('allowlist', a.doc['allowlist'], b.doc['allowlist']);
  const rulesBefore = asDoc(a.doc['ruleAllowlists']);
  const rulesAfter = asDoc(b.doc['ruleAllowlists']);
  for (const rule of Object.keys(rulesAfter).sort()) widen(`ruleAllowlists.${rule}`, rulesBefore[rule], rulesAfter[rule]);
  const disabled = added(strings(a.doc['disable']), strings(b.doc['disable']));
  if (disabled.length > 0) out.push(`disables ${disabled.length === 1 ? 'rule' : 'rules'} ${disabled.join(', ')}`);
  if (a.doc['extends'] !== false && b.doc['extends'] === false) out.push('turns the built-in rules off (extends: false)');
  const ids = (d: Doc): string[] => (Array.isArray(d['rules']) ? d['rules'].map((r) => asDoc(r)['id']).filter((x): x is string => typeof x === 'string') : []);
  const removed = added(ids(b.doc), ids(a.doc));
  if (removed.length > 0) out.push(`removes user ${removed.length === 1 ? 'rule' : 'rules'} ${removed.join(', ')}`);
  if (a.doc['failOpen'] !== true && b.doc['failOpen'] === true) out.push('lets commits through when the hook fails (failOpen: true)');
  return out;
}

/**
 * What a change to a baseline adds: its new entries (file and rule; a baseline holds no secret), and how many of
 * them would hide a finding of this range. `found`: the baseline fingerprints of the range's findings.
 */
export function describeBaselineChange(before: string | undefined, after: string | undefined, found: ReadonlySet<string>): string[] {
  if (after === undefined) return [];
  const b = parseBaseline(after);
  if (!b.ok) return [`the new version is not a valid baseline (${b.errors[0]})`];
  const a = before === undefined ? undefined : parseBaseline(before);
  const had = new Set(a?.ok ? a.value.entries.map((e) => e.fingerprint) : []);
  const extra = b.value.entries.filter((e) => !had.has(e.fingerprint));
  if (extra.length === 0) return [];
  const shown = extra.slice(0, SHOWN).map((e) => `${e.file}${e.ruleId ? ` (${e.ruleId})` : ''}`);
  const more = extra.length > SHOWN ? ` and ${extra.length - SHOWN} more` : '';
  const own = extra.filter((e) => found.has(e.fingerprint)).length;
  return [
    `adds ${extra.length} ${extra.length === 1 ? 'entry' : 'entries'}: ${shown.join(', ')}${more}`,
    ...(own > 0 ? [own === 1 && extra.length === 1 ? 'it hides a credential this range adds' : `${own} of them ${own === 1 ? 'hides' : 'hide'} a credential this range adds`] : []),
  ];
}

/** What a change to .gitleaksignore adds (keyguard does not read it when scanning). */
export function describeGitleaksIgnoreChange(before: string | undefined, after: string | undefined): string[] {
  const lines = (t: string | undefined): string[] => (t ?? '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const extra = added(lines(before), lines(after));
  return [
    ...(extra.length > 0 ? [`adds ${extra.length} ${extra.length === 1 ? 'entry' : 'entries'}`] : []),
    'keyguard does not read it when scanning, but gitleaks does and keyguard import-gitleaksignore turns it into allowlist entries',
  ];
}

/** The review item for one changed file. */
export function reviewConfigChange(
  file: string,
  role: TrustedRole,
  before: string | undefined,
  after: string | undefined,
  found: ReadonlySet<string>,
): ReviewItem {
  const change = before === undefined ? 'added' : after === undefined ? 'deleted' : 'changed';
  const details = role === 'config' ? describeConfigChange(before, after) : role === 'baseline' ? describeBaselineChange(before, after, found) : describeGitleaksIgnoreChange(before, after);
  return { type: 'config-change', file, role, change, details };
}
