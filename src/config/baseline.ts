// Baseline files: pure parse/render/update, thin read/write. A baseline lists known findings by fingerprint
// (credential hash + root-relative path: no secret, no line number), sorted, so it diffs well and moving a line
// changes nothing.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Finding, Result } from '../types.js';
import { baselineKey } from '../filter/baseline.js';
import { maskSecrets } from '../mask/secret-like.js';

/** What keyguard baseline writes when no file is named. */
export const DEFAULT_BASELINE = '.keyguard-baseline.json';

export interface BaselineEntry {
  fingerprint: string;
  ruleId: string;
  file: string;
}

export interface Baseline {
  entries: BaselineEntry[];
}

const FINGERPRINT = /^[0-9a-f]{16}:.+$/;

/** Parse a baseline file's text. Pure. Errors are one line each, naming the entry at fault. */
export function parseBaseline(text: string): Result<Baseline> {
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    // V8 quotes the text's first characters: a file passed as a baseline by mistake (a .env) must not print them.
    return { ok: false, errors: [`not valid JSON (${maskSecrets((e as Error).message.split('\n')[0] ?? '')})`] };
  }
  const doc = data as { version?: unknown; entries?: unknown } | null;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return { ok: false, errors: ['must be a JSON object with "version": 1 and "entries"'] };
  if (doc.version !== 1) return { ok: false, errors: [`"version" must be 1 (found ${maskSecrets(JSON.stringify(doc.version) ?? 'none').slice(0, 40)})`] };
  if (!Array.isArray(doc.entries)) return { ok: false, errors: ['"entries" must be an array'] };
  const entries: BaselineEntry[] = [];
  for (const [i, raw] of doc.entries.entries()) {
    const e = raw as Partial<BaselineEntry> | null;
    if (!e || typeof e !== 'object' || typeof e.fingerprint !== 'string' || !FINGERPRINT.test(e.fingerprint)) {
      return { ok: false, errors: [`entries[${i}]: "fingerprint" must be CREDENTIAL:PATH as keyguard writes it (16 hex digits, a colon, the path)`] };
    }
    entries.push({ fingerprint: e.fingerprint, ruleId: typeof e.ruleId === 'string' ? e.ruleId : '', file: typeof e.file === 'string' ? e.file : e.fingerprint.slice(17) });
  }
  return { ok: true, value: { entries } };
}

/** One entry per fingerprint, sorted by file, rule and fingerprint. */
export function normaliseEntries(entries: BaselineEntry[]): BaselineEntry[] {
  const byFingerprint = new Map<string, BaselineEntry>();
  for (const e of entries) {
    const seen = byFingerprint.get(e.fingerprint);
    if (!seen || e.ruleId < seen.ruleId) byFingerprint.set(e.fingerprint, e);
  }
  const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
  return [...byFingerprint.values()].sort((a, b) => cmp(a.file, b.file) || cmp(a.ruleId, b.ruleId) || cmp(a.fingerprint, b.fingerprint));
}

/** Entries for findings, with root-relative paths. */
export function entriesFor(findings: Finding[], prefix = '', root?: string): BaselineEntry[] {
  return findings.map((f) => {
    const fingerprint = baselineKey(f, prefix, root);
    return { fingerprint, ruleId: f.ruleId, file: fingerprint.slice(17) };
  });
}

/** The file's text: stable (no dates, sorted), two-space JSON, a newline at the end. */
export function renderBaseline(entries: BaselineEntry[]): string {
  const doc = {
    version: 1,
    description: 'Known findings that keyguard does not report (keyguard baseline). Fingerprints are a hash of the credential plus its path; no secret is stored.',
    entries: normaliseEntries(entries).map((e) => ({ fingerprint: e.fingerprint, ruleId: e.ruleId, file: e.file })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/**
 * The baseline after a scan with --baseline-update: a full scan replaces it with what it found (fixed findings drop
 * out); a partial one (staged, a history range) can only add, since it did not look everywhere.
 */
export function updateBaseline(old: BaselineEntry[], found: BaselineEntry[], partial: boolean): { entries: BaselineEntry[]; added: number; removed: number } {
  const before = new Set(old.map((e) => e.fingerprint));
  const entries = normaliseEntries(partial ? [...old, ...found] : found);
  const after = new Set(entries.map((e) => e.fingerprint));
  return { entries, added: [...after].filter((f) => !before.has(f)).length, removed: [...before].filter((f) => !after.has(f)).length };
}

/** Read a baseline file: its entries, 'missing' when there is no such file, or an error line. */
export function readBaseline(path: string): Result<Baseline> | { ok: 'missing' } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { ok: 'missing' };
    return { ok: false, errors: [`cannot read it (${(e as Error).message})`] };
  }
  return parseBaseline(text);
}

export function writeBaseline(path: string, entries: BaselineEntry[]): void {
  writeFileSync(path, renderBaseline(entries));
}
