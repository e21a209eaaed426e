// The excerpt a report shows for a finding: a bounded window of its line, with the finding's secret, every other
// span a rule recognised on the line and every secret-looking value masked. Pure.
import { redactSecret } from './redact.js';
import { findSecretSpans, mergeSpans, type Span } from './secret-like.js';

/** Characters of context shown on each side of the finding's secret. */
export const EXCERPT_CONTEXT = 60;
/** No excerpt is longer than this, whatever the line. */
export const EXCERPT_MAX = 200;
/**
 * How far beyond the window the line is searched for secrets (a name before its value), and then on to the end of
 * the word there (at most WORD_MAX further), so a secret the window's edge cuts is searched whole.
 */
const MARGIN = 64;
const WORD_MAX = 2048;
const DELIMITER = /[\s"'`,;(){}[\]<>]/;
/** A finding's own span longer than this is not searched (it is masked whole anyway): its two sides are. */
const SEARCH_WHOLE = 1024;

/** A span in line coordinates (it may run past the line's end: a multi-line secret), with how to show it. */
export interface ShownSpan extends Span {
  /** The text shown in its place (default: the head and tail of the masked text). */
  shown?: string;
}

export interface MaskLineInput {
  /** The whole line, without its terminator. */
  line: string;
  /** The finding's secret. */
  focus: ShownSpan;
  /** Spans the rules recognised on the line (findings or not): each is masked too. */
  spans?: ShownSpan[];
}

/** The bounded, masked excerpt of a finding's line. */
export function maskLine({ line, focus, spans = [] }: MaskLineInput): string {
  const len = line.length;
  const clip = (s: ShownSpan): ShownSpan => ({ ...s, start: Math.max(0, Math.min(len, s.start)), end: Math.max(0, Math.min(len, s.end)) });
  const f = clip(focus);
  let from = Math.max(0, f.start - EXCERPT_CONTEXT);
  let to = Math.min(len, Math.max(f.end, f.start) + EXCERPT_CONTEXT);

  // Secret-looking values near the window, found in the line itself (not the cut window) so none is half seen.
  const found: Span[] = [];
  const search = (a: number, b: number): void => {
    if (b > a) for (const s of findSecretSpans(line.slice(a, b))) found.push({ start: s.start + a, end: s.end + a });
  };
  let lo = Math.max(0, from - MARGIN);
  for (const stop = Math.max(0, lo - WORD_MAX); lo > stop && !DELIMITER.test(line[lo - 1]!); ) lo--;
  let hi = Math.min(len, to + MARGIN);
  for (const stop = Math.min(len, hi + WORD_MAX); hi < stop && !DELIMITER.test(line[hi]!); ) hi++;
  if (f.end - f.start <= SEARCH_WHOLE) search(lo, hi);
  else {
    search(lo, f.start);
    search(f.end, hi);
  }

  const all: ShownSpan[] = [f, ...spans.map(clip), ...found].filter((s) => s.end > s.start);
  const merged = mergeSpans(all).filter((m) => m.end > from && m.start < to);
  // A masked span the window's edge would cut is taken whole: it shows as a few characters anyway.
  for (const m of merged) {
    if (m.start < from) from = m.start;
    if (m.end > to) to = m.end;
  }

  let out = '';
  let cursor = from;
  for (const m of merged) {
    out += line.slice(cursor, m.start);
    // One span alone keeps the face its rule gave it (a decoded secret in place of its base64, say).
    const alone = all.filter((s) => s.start === m.start && s.end === m.end && s.shown !== undefined);
    out += alone[0]?.shown ?? redactSecret(line.slice(m.start, m.end));
    cursor = m.end;
  }
  out += line.slice(cursor, to);
  let text = out.trim();
  let tail = to < len;
  if (text.length > EXCERPT_MAX) {
    // Only unmasked text is cut here: masks are short, so the window's plain context is what overflows.
    text = text.slice(0, EXCERPT_MAX);
    tail = true;
  }
  return `${from > 0 ? '…' : ''}${text}${tail ? '…' : ''}`;
}
