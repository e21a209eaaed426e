// Base64 values that hide a credential: find them by the encoded form of a keyword,
// so only runs that can hold a key are ever decoded.

const BASE64_CHAR = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_') BASE64_CHAR[c.charCodeAt(0)] = 1;

export function isBase64Char(code: number): boolean {
  return code < 128 && BASE64_CHAR[code] === 1;
}

/**
 * The encoded forms of a keyword at the three byte alignments, trimmed to the characters that depend
 * on the keyword alone. `AIza` gives `QUl6Y`, `FJem` and `BSXph`; url-safe variants are added when they differ.
 */
export function base64Signatures(keyword: string): string[] {
  const bytes = Buffer.from(keyword, 'utf8');
  const out = new Set<string>();
  for (let pad = 0; pad < 3; pad++) {
    const encoded = Buffer.concat([Buffer.alloc(pad), bytes]).toString('base64');
    const start = Math.ceil((pad * 8) / 6);
    const end = Math.floor(((pad + bytes.length) * 8) / 6);
    const signature = encoded.slice(start, end);
    if (signature.length >= 4) {
      out.add(signature);
      out.add(signature.replace(/\+/g, '-').replace(/\//g, '_'));
    }
  }
  return [...out];
}

export interface Base64Run {
  start: number;
  end: number;
  decoded: string;
}

const isSpace = (c: number): boolean => c === 32 || c === 9;

/** The base64 run filling line [from, to) after its indentation, or undefined when the line holds anything else. */
function lineRun(text: string, from: number, to: number): { start: number; end: number; body: number } | undefined {
  let start = from;
  while (start < to && isSpace(text.charCodeAt(start))) start++;
  let end = to;
  if (end > start && text.charCodeAt(end - 1) === 13) end--;
  let body = start;
  while (body < end && isBase64Char(text.charCodeAt(body))) body++;
  let pad = body;
  while (pad < end && text.charCodeAt(pad) === 61 && pad - body < 2) pad++;
  if (body === start || pad !== end) return undefined;
  return { start, end, body };
}

const MAX_WRAPPED_LINES = 1024;

/**
 * Base64 wrapped over several lines (`base64` without `-w0`, a YAML block scalar, PEM-style bodies): the lines
 * around `offset` that hold nothing but base64, all of one width (a multiple of 4, at least 40) but the last.
 */
function wrappedAt(text: string, offset: number): { start: number; end: number; body: string } | undefined {
  const lineStartOf = (i: number): number => text.lastIndexOf('\n', i - 1) + 1;
  const lineEndOf = (i: number): number => {
    const n = text.indexOf('\n', i);
    return n < 0 ? text.length : n;
  };
  const hitStart = lineStartOf(offset);
  const hit = lineRun(text, hitStart, lineEndOf(offset));
  if (!hit) return undefined;
  // Up: previous lines must be full width.
  const above: (typeof hit)[] = [];
  for (let ls = hitStart; ls > 0; ) {
    const prevStart = lineStartOf(ls - 1);
    const prev = lineRun(text, prevStart, ls - 1);
    if (!prev || prev.end !== prev.body) break;
    // A block this long is a blob (an image, an archive), not a credential: give up before walking it all, so
    // each signature hit inside a large blob costs a bounded walk.
    if (above.length >= MAX_WRAPPED_LINES) return undefined;
    above.push(prev);
    ls = prevStart;
  }
  const lines = [...above.reverse(), hit];
  // Down: following lines until one is shorter than the first (the last line) or not base64.
  for (let le = lineEndOf(offset); le < text.length; ) {
    if (lines.length >= MAX_WRAPPED_LINES) return undefined;
    const last = lines[lines.length - 1]!;
    if (last.end !== last.body || (lines.length > 1 && last.body - last.start !== lines[0]!.body - lines[0]!.start)) break;
    const nextEnd = lineEndOf(le + 1);
    const next = lineRun(text, le + 1, nextEnd);
    if (!next) break;
    lines.push(next);
    le = nextEnd;
  }
  if (lines.length < 2) return undefined;
  const width = lines[0]!.body - lines[0]!.start;
  if (width < 40 || width % 4 !== 0) return undefined;
  for (let i = 0; i < lines.length; i++) {
    const w = lines[i]!.body - lines[i]!.start;
    if (i < lines.length - 1 ? w !== width || lines[i]!.end !== lines[i]!.body : w > width) return undefined;
  }
  return { start: lines[0]!.start, end: lines[lines.length - 1]!.end, body: lines.map((l) => text.slice(l.start, l.body)).join('') };
}

/** The base64 value around `offset`: a wrapped block, else the run on its line (with its `=` padding). */
function valueAt(text: string, offset: number): { start: number; end: number; body: string } {
  const wrapped = wrappedAt(text, offset);
  if (wrapped) return wrapped;
  let start = offset;
  while (start > 0 && isBase64Char(text.charCodeAt(start - 1))) start--;
  let end = offset;
  while (end < text.length && isBase64Char(text.charCodeAt(end))) end++;
  const bodyEnd = end;
  while (end < text.length && text.charCodeAt(end) === 61 /* = */ && end - bodyEnd < 2) end++;
  return { start, end, body: text.slice(start, bodyEnd) };
}

/** Where the base64 value around a signature hit ends, decoded or not: later hits inside it are the same value. */
export function base64ValueEnd(text: string, offset: number): number {
  return valueAt(text, offset).end;
}

/** Expand a signature hit to the whole base64 value around it and decode it, if it decodes to text. */
export function decodeRunAt(text: string, offset: number, minLength = 16): Base64Run | undefined {
  const { start, end, body } = valueAt(text, offset);
  if (body.length < minLength) return undefined;
  // A long value that starts as binary (an image, a font) is binary: do not decode megabytes to learn it.
  if (body.length > 8192 && !looksLikeText(Buffer.from(body.slice(0, 4096), 'base64').toString('utf8'))) return undefined;
  const decoded = Buffer.from(body, 'base64').toString('utf8');
  if (!looksLikeText(decoded)) return undefined;
  return { start, end, decoded };
}

/** Mostly printable: a decoded key, .env or JSON, not an image or a hash. */
function looksLikeText(s: string): boolean {
  if (s.length === 0) return false;
  let bad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 0xfffd) bad++;
  }
  return bad / s.length < 0.05;
}
