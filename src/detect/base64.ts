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

/** Expand a signature hit to the whole base64 value around it and decode it, if it decodes to text. */
export function decodeRunAt(text: string, offset: number, minLength = 16): Base64Run | undefined {
  let start = offset;
  while (start > 0 && isBase64Char(text.charCodeAt(start - 1))) start--;
  let end = offset;
  while (end < text.length && isBase64Char(text.charCodeAt(end))) end++;
  const bodyEnd = end;
  while (end < text.length && text.charCodeAt(end) === 61 /* = */ && end - bodyEnd < 2) end++;
  if (bodyEnd - start < minLength) return undefined;
  const decoded = Buffer.from(text.slice(start, bodyEnd), 'base64').toString('utf8');
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
