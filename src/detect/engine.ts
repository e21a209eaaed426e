// The detection engine: keyword prefilter → pattern → entropy, placeholder and allowlist checks.
// Pure: text in, findings out. No file system, git, clock or process.
import type { Fragment, Kind, KindTable, RawFinding, Rule, Severity } from '../types.js';
import { shannonEntropy } from './entropy.js';
import { placeholderReason } from './placeholder.js';
import { LineIndex } from './location.js';
import { CLAIMED_KINDS, matchStructure } from './structure.js';
import { base64Signatures, base64ValueEnd, decodeRunAt } from './base64.js';
import { classifyExposure } from './exposure.js';
import { findInlineMarker } from './inline-marker.js';
import { createPathFilter, type PathFilter } from './paths.js';
import { compilePrefixes, type KindPrefixes } from './prefixes.js';
import { BUILTIN_KINDS } from '../config/builtin-kinds-data.js';
import { redactSecret } from '../mask/redact.js';
import { maskLine, EXCERPT_CONTEXT } from '../mask/line.js';

interface KeywordOwner {
  keyword: string;
  ignoreCase: boolean;
  rules: Rule[];
}

/** Rules prepared for scanning: one combined prefilter, keyword → rules, base64 signatures. */
export interface RuleSet {
  rules: Rule[];
  prefilter: RegExp | undefined;
  owners: Map<string, KeywordOwner[]>;
  /** Rules without keywords run on every fragment. */
  always: Rule[];
  decodeRules: Rule[];
  /** Rules that match file paths, not content (see paths.ts): never run on text. */
  pathRules: Rule[];
  /** Their globs combined, to turn most paths away with one test. */
  pathFilter: PathFilter;
  /** The credential kinds' prefixes (rules/kinds/). */
  prefixes: KindPrefixes;
}

const ESCAPE = /[.*+?^${}()|[\]\\]/g;

/** `kinds`: the kind data whose prefixes the checks use (the built-in kind files unless a test passes others). */
export function createRuleSet(rules: Rule[], kinds: KindTable = BUILTIN_KINDS): RuleSet {
  const owners = new Map<string, KeywordOwner[]>();
  const always: Rule[] = [];
  const pathRules = rules.filter((r) => r.paths);
  const decodeRules = rules.filter((r) => r.decode);
  const addKeyword = (keyword: string, ignoreCase: boolean, rule: Rule): void => {
    const key = keyword.toLowerCase();
    const list = owners.get(key) ?? [];
    let owner = list.find((o) => o.keyword === keyword && o.ignoreCase === ignoreCase);
    if (!owner) {
      owner = { keyword, ignoreCase, rules: [] };
      list.push(owner);
      owners.set(key, list);
    }
    if (!owner.rules.includes(rule)) owner.rules.push(rule);
  };
  for (const rule of rules) {
    if (rule.decode || rule.paths) continue;
    if (rule.keywords.length === 0) always.push(rule);
    for (const k of rule.keywords) addKeyword(k, rule.keywordsIgnoreCase, rule);
  }
  // A decode rule listens for the encoded forms of every case-sensitive keyword of the other rules.
  for (const rule of decodeRules) {
    for (const r of rules) {
      if (r.decode || r.keywordsIgnoreCase) continue;
      for (const k of r.keywords) {
        if (k.length < 4) continue;
        const sigs = base64Signatures(k);
        for (const sig of sigs) addKeyword(sig, false, rule);
        // Encoded twice (a Docker config.json with a _json_key auth inside a Kubernetes dockerconfigjson secret):
        // long keywords only, so the signatures stay long enough to mean something.
        if (k.length >= 8) for (const sig of sigs) for (const twice of base64Signatures(sig)) addKeyword(twice, false, rule);
      }
    }
  }
  const alternatives = [...owners.keys()].sort((a, b) => b.length - a.length).map((k) => k.replace(ESCAPE, '\\$&'));
  const prefilter = alternatives.length > 0 ? new RegExp(alternatives.join('|'), 'gi') : undefined;
  return { rules, prefilter, owners, always, decodeRules, pathRules, pathFilter: createPathFilter(pathRules), prefixes: compilePrefixes(kinds) };
}

/** Which rules have a keyword in the text, and where each base64 signature sits. */
function prefilterText(text: string, set: RuleSet): { active: Set<Rule>; signatureHits: number[] } {
  const active = new Set<Rule>(set.always);
  const signatureHits: number[] = [];
  const re = set.prefilter;
  if (!re) return { active, signatureHits };
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const list = set.owners.get(m[0].toLowerCase());
    if (!list) continue;
    for (const owner of list) {
      if (!owner.ignoreCase && !text.startsWith(owner.keyword, m.index)) continue;
      for (const rule of owner.rules) {
        if (rule.decode) signatureHits.push(m.index);
        else active.add(rule);
      }
    }
  }
  return { active, signatureHits };
}

interface Candidate {
  rule: Rule;
  start: number;
  end: number;
  secret: string;
  entropy: number;
  severity: Severity;
  note?: string;
  claim?: [number, number];
  /** Other kinds that are parts of this credential inside its claim (a service account's private key). */
  claimsKinds?: readonly Kind[];
  encoding?: 'base64' | 'json-escaped';
  titleSuffix?: string;
  kindFrom?: Rule;
}

/** Why a candidate secret is not reported, or undefined when it stands. `prefixes`: the kinds' (rules/kinds/). */
export function rejectSecret(rule: Rule, secret: string, text: string, start: number, end: number, prefixes: KindPrefixes): string | undefined {
  // The specific rule already judged this value (found it, or rejected it as a filler, a published sample or a
  // key inside a longer token); a name-based rule must not report it again.
  if (rule.kind === 'google-secret' && prefixes.owned?.test(secret)) return 'left to the rule for its prefix';
  const entropy = shannonEntropy(secret);
  if (rule.entropy !== undefined && entropy < rule.entropy) return `entropy ${entropy.toFixed(2)} below ${rule.entropy}`;
  if (rule.placeholders) {
    const reason = placeholderReason(prefixes.known ? secret.replace(prefixes.known, '') : secret);
    if (reason) return `placeholder: ${reason}`;
  }
  const lower = secret.toLowerCase();
  for (const word of rule.allowlist.stopwords) if (lower.includes(word)) return `stopword ${word}`;
  for (const re of rule.allowlist.regexes) if (re.test(secret)) return `allowlisted by ${re.source}`;
  if (rule.requires && !near(rule.requires.pattern, text, start, end, rule.requires.within)) return 'required context missing';
  return undefined;
}

function near(pattern: RegExp, text: string, start: number, end: number, within: number): boolean {
  const from = Math.max(0, start - within);
  const to = Math.min(text.length, end + within);
  pattern.lastIndex = 0;
  const window = text.slice(from, to);
  const hit = pattern.test(window);
  pattern.lastIndex = 0;
  return hit;
}

function runPattern(rule: Rule, text: string, prefixes: KindPrefixes, out: Candidate[]): void {
  const re = rule.pattern!;
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const span = m.indices?.groups?.['secret'] ?? m.indices?.[0];
    if (!span) continue;
    const [start, end] = span;
    const secret = text.slice(start, end);
    if (rejectSecret(rule, secret, text, start, end, prefixes)) continue;
    let severity = rule.severity;
    let note: string | undefined;
    for (const c of rule.context) {
      if (near(c.pattern, text, start, end, c.within)) {
        severity = c.severity;
        note = c.note;
        break;
      }
    }
    out.push({ rule, start, end, secret, entropy: shannonEntropy(secret), severity, ...(note ? { note } : {}) });
  }
}

function runStructure(rule: Rule, text: string, out: Candidate[]): void {
  for (const m of matchStructure(rule.structure!, text)) {
    const lower = m.secret.toLowerCase();
    if (rule.allowlist.stopwords.some((w) => lower.includes(w))) continue;
    if (rule.allowlist.regexes.some((re) => re.test(m.secret))) continue;
    out.push({
      rule,
      start: m.start,
      end: m.end,
      secret: m.secret,
      entropy: shannonEntropy(m.secret),
      severity: rule.severity,
      claim: [m.claimStart, m.claimEnd],
      claimsKinds: CLAIMED_KINDS[rule.structure!],
      ...(m.escaped ? { encoding: 'json-escaped' as const } : {}),
    });
  }
}

function runDecode(rule: Rule, text: string, hits: number[], set: RuleSet, fragment: Fragment, out: Candidate[], depth: number): void {
  const seen = new Set<number>();
  let decodedTo = -1;
  for (const offset of hits) {
    // Hits come in text order: one inside a run already decoded (a wrapped block holds many) is that run again.
    if (offset < decodedTo) continue;
    const run = decodeRunAt(text, offset);
    if (!run) {
      // Not text (an image, random bytes): the value's other hits would decode the same bytes again.
      decodedTo = base64ValueEnd(text, offset);
      continue;
    }
    if (seen.has(run.start)) continue;
    seen.add(run.start);
    decodedTo = run.end;
    const inner = resolveOverlaps(collectCandidates({ ...fragment, text: run.decoded }, set, depth - 1));
    for (const c of inner) {
      out.push({
        rule,
        start: run.start,
        end: run.end,
        secret: c.secret,
        entropy: c.entropy,
        severity: c.severity,
        encoding: 'base64',
        titleSuffix: ' (base64-encoded)',
        kindFrom: c.kindFrom ?? c.rule,
        ...(c.note ? { note: c.note } : {}),
      });
    }
  }
}

/**
 * Every candidate the rules accept, before overlaps are resolved (what excerpts mask: a client secret inside an
 * authorized_user file is no finding of its own, but it is a secret). `depth`: how many base64 layers may still be
 * decoded (two: a value encoded twice is decoded twice).
 */
function collectCandidates(fragment: Fragment, set: RuleSet, depth: number): Candidate[] {
  const text = fragment.text;
  const { active, signatureHits } = prefilterText(text, set);
  const out: Candidate[] = [];
  for (const rule of active) {
    if (rule.pattern) runPattern(rule, text, set.prefixes, out);
    else if (rule.structure) runStructure(rule, text, out);
  }
  if (depth > 0 && signatureHits.length > 0) for (const rule of set.decodeRules) runDecode(rule, text, signatureHits, set, fragment, out, depth);
  return out;
}

/** Kinds that say only where a value sits (a secret-sounding name, a file name), not which credential it is. */
const NAME_ONLY_KINDS: ReadonlySet<Kind> = new Set<Kind>(['google-secret', 'generic-secret', 'credential-file']);

const kindOf = (c: Candidate): Kind => (c.kindFrom ?? c.rule).kind;

/**
 * Whether a credential object's claim swallows this candidate: a part of the same credential (its kind, or a value
 * a name-based rule picked up between its fields, like a private_key_id). Another credential inside it (the client
 * secret of an authorized_user file, an API key beside a service account's fields) has its own remedy and stays.
 */
function claims(k: Candidate, c: Candidate): boolean {
  if (k.claim === undefined || c.rule === k.rule || c.start < k.claim[0] || c.end > k.claim[1]) return false;
  const kind = kindOf(c);
  return kind === kindOf(k) || NAME_ONLY_KINDS.has(kind) || (k.claimsKinds?.includes(kind) ?? false);
}

/**
 * One finding per place: where spans overlap, the more specific rule (lower priority) wins; a credential object
 * claims its span, so its own parts are not reported again (see claims).
 */
function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  if (candidates.length < 2) return candidates;
  const ordered = [...candidates].sort((a, b) => a.rule.priority - b.rule.priority || a.start - b.start);
  const kept: Candidate[] = [];
  for (const c of ordered) {
    const clash = kept.some((k) => (c.start < k.end && k.start < c.end) || claims(k, c));
    if (!clash) kept.push(c);
  }
  return kept.sort((a, b) => a.start - b.start);
}

type SecretSpan = { start: number; end: number; secret: string };

/**
 * The spans touching each of the `wanted` lines (0-based, sorted), in one pass: a fragment with thousands of findings
 * would otherwise filter every span for every finding.
 */
function spansByLine<T extends SecretSpan>(lines: LineIndex, spans: T[], wanted: number[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const s of spans) {
    const first = lines.lineOf(s.start);
    const last = lines.lineOf(Math.max(s.start, s.end - 1));
    let lo = 0;
    let hi = wanted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (wanted[mid]! < first) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < wanted.length && wanted[i]! <= last; i++) {
      const list = out.get(wanted[i]!);
      if (list) list.push(s);
      else out.set(wanted[i]!, [s]);
    }
  }
  return out;
}

/**
 * What `lineRegexes` allowlists test (and exposure reads, for a history finding): the line around the findings on
 * it, up to 60 characters either side, with the findings' secrets masked and nothing else. Unchanged from before
 * excerpts masked every secret, so allowlists keep matching what they matched; never reported.
 */
function lineContextFor(lines: LineIndex, text: string, line: number, spans: readonly SecretSpan[]): string {
  const lineStart = lines.lineStart(line);
  const lineText = lines.lineText(line);
  const lineEnd = lineStart + lineText.length;
  const onLine = spans.filter((s) => s.start < lineEnd && s.end > lineStart).sort((a, b) => a.start - b.start);
  const first = onLine[0];
  const from = Math.max(lineStart, (first?.start ?? lineStart) - EXCERPT_CONTEXT);
  const last = onLine[onLine.length - 1];
  const to = Math.min(lineEnd, (last ? Math.min(last.end, lineEnd) : lineEnd) + EXCERPT_CONTEXT);
  let out = '';
  let cursor = from;
  for (const s of onLine) {
    const a = Math.max(s.start, from);
    if (a > cursor) out += text.slice(cursor, a);
    out += redactSecret(s.secret);
    cursor = Math.max(cursor, Math.min(s.end, lineEnd));
  }
  if (cursor < to) out += text.slice(cursor, to);
  return `${from > lineStart ? '…' : ''}${out.trim()}${to < lineEnd ? '…' : ''}`;
}

/**
 * The excerpt reports show: a window around this finding's secret, with it, every span any rule recognised on the
 * line (kept as a finding or not) and every secret-looking value masked (mask/line.ts).
 */
function excerptFor(lines: LineIndex, line: number, finding: SecretSpan, recognised: readonly SecretSpan[]): string {
  const lineStart = lines.lineStart(line);
  const lineText = lines.lineText(line);
  const lineEnd = lineStart + lineText.length;
  const toLine = (s: SecretSpan) => ({ start: s.start - lineStart, end: s.end - lineStart, shown: redactSecret(s.secret) });
  const spans = recognised.filter((s) => s !== finding && s.start < lineEnd && s.end > lineStart).map(toLine);
  return maskLine({ line: lineText, focus: toLine(finding), spans });
}

/** Find every credential in a fragment. */
export function detect(fragment: Fragment, set: RuleSet): RawFinding[] {
  const recognised = collectCandidates(fragment, set, 2);
  if (recognised.length === 0) return [];
  const candidates = resolveOverlaps(recognised);
  const text = fragment.text;
  const lines = new LineIndex(text);
  const lineOffset = fragment.lineOffset ?? 0;
  const columnOffset = fragment.columnOffset ?? 0;
  const findingLines = [...new Set(candidates.map((c) => lines.lineOf(c.start)))].sort((a, b) => a - b);
  const keptOn = spansByLine(lines, candidates, findingLines);
  const recognisedOn = spansByLine(lines, recognised, findingLines);
  return candidates.map((c) => {
    const startPos = lines.position(c.start, lineOffset, columnOffset);
    const endPos = lines.position(c.end, lineOffset, columnOffset);
    const lineIdx = startPos.line - 1 - lineOffset;
    const lineText = lines.lineText(lineIdx);
    const marker = findInlineMarker(lineText, lines.lineText(lineIdx - 1));
    const kindRule = c.kindFrom ?? c.rule;
    const finding: RawFinding = {
      ruleId: c.rule.id,
      title: `${kindRule.title}${c.titleSuffix ?? ''}`,
      description: kindRule.description,
      severity: c.severity,
      kind: kindRule.kind,
      file: fragment.path,
      line: startPos.line,
      column: startPos.column,
      endLine: endPos.line,
      endColumn: endPos.column,
      start: c.start,
      end: c.end,
      rawSecret: c.secret,
      entropy: Math.round(c.entropy * 1000) / 1000,
      excerpt: excerptFor(lines, lineIdx, c, recognisedOn.get(lineIdx) ?? []),
      lineContext: lineContextFor(lines, text, lineIdx, keptOn.get(lineIdx) ?? []),
      exposure: classifyExposure(fragment.path, lineText.length > 4096 ? lineText.slice(Math.max(0, c.start - lines.lineStart(lineIdx) - 200), c.end - lines.lineStart(lineIdx) + 200) : lineText),
    };
    if (c.encoding) finding.encoding = c.encoding;
    if (c.note) finding.note = c.note;
    if (marker) finding.inlineMarker = marker;
    if (fragment.git) finding.git = fragment.git;
    if (fragment.commit) finding.commit = fragment.commit;
    if (fragment.blobId) finding.blobId = fragment.blobId;
    return finding;
  });
}
