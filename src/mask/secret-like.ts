// Values that look like secrets, whatever rule (if any) reports them: what an excerpt masks besides the finding.
// Generous on purpose: in an excerpt a false mask costs a few characters of context, a missed one leaks a credential.
// Pure, and run only on the short text around a finding (never on every scanned byte).
import { shannonEntropy } from './entropy.js';
import { redactSecret } from './redact.js';

export interface Span {
  start: number;
  end: number;
}

/**
 * Credential shapes, each matched whole (lookbehinds keep a prefix such as `user:` out of the span). Google's first,
 * then other services' (the line that holds a Google key often holds others), then generic structures.
 */
const SHAPES: RegExp[] = [
  // Google: API key, auth keys, OAuth client secret, access and refresh tokens, FCM server key, HMAC access id.
  /AIza[\w-]{30,}/g,
  /AQ\.Ab[\w-]{30,}/g,
  /GOCSPX-[\w-]{10,}/g,
  /ya29\.[\w.-]{10,}/g,
  /1\/\/0[\w-]{10,}/g,
  /1%2[Ff]%2[Ff]0[\w%-]{10,}/g,
  /AAAA[\w-]{7}:[\w-]{30,}/g,
  /GOOG[A-Z0-9]{10,}/g,
  // AWS access key ids (the 40-character secret beside one is a high-entropy token, below).
  /\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA|A3T[A-Z0-9])[A-Z0-9]{12,}/g,
  // GitHub, GitLab, Slack, Stripe, OpenAI/Anthropic-style, npm, PyPI, SendGrid.
  /\bgh[pousr]_[A-Za-z0-9]{16,}/g,
  /\bgithub_pat_\w{16,}/g,
  /\bglpat-[\w-]{16,}/g,
  /\bxox[a-z]-[\w-]{8,}/g,
  /(?<=hooks\.slack\.com\/services\/)[\w/]{8,}/g,
  /\b[rsp]k_(?:live|test)_[A-Za-z0-9]{8,}/g,
  /\bwhsec_[A-Za-z0-9]{16,}/g,
  /\bsk-[\w-]{16,}/g,
  /\bnpm_[A-Za-z0-9]{16,}/g,
  /\bpypi-[\w-]{16,}/g,
  /\bSG\.[\w-]{16,}\.[\w-]{16,}/g,
  // JSON Web Tokens (header.payload.signature), and base64 JSON generally.
  /eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g,
  /eyJ[\w-]{12,}/g,
  // A private key's PEM body, on one line (JSON-escaped) or up to the end of the text shown.
  /-----BEGIN[A-Z0-9 ]{0,40}PRIVATE KEY[A-Z ]{0,10}-----[\s\S]*?(?:-----END[A-Z0-9 ]{0,40}PRIVATE KEY[A-Z ]{0,10}-----|$)/g,
  // …and its tail when the text searched starts inside the body (an END marker with no BEGIN before it).
  /^(?:(?!-----BEGIN)[\s\S]){1,8192}?-----END[A-Z0-9 ]{0,40}PRIVATE KEY[A-Z ]{0,10}-----/g,
  // The password of a URL's user information (`scheme://user:password@host`).
  /(?<=[A-Za-z][\w+.-]*:\/\/[^\s:/@"'<>]{0,256}:)[^\s@/"'<>]+(?=@)/g,
  // An authorization scheme's credential (`Authorization: Bearer …`, `Basic …`, `token …`).
  /(?<=\b(?:[Bb]earer|BEARER|[Bb]asic|BASIC|[Tt]oken|TOKEN|[Bb]ot|[Dd]igest|[Aa]pi-?[Kk]ey)\s+)[\w.~+/-]{8,}=*/g,
];

/**
 * A name that says its value is secret: password, passwd, pwd, pass…, secret, token, key (api_key, apiKey,
 * private_key…), auth (not author), credential, session, cookie, signature, salt, bearer. Any identifier holding
 * one, then an assignment (`=`, `:`, `:=`, `=>`, `->`, `==`), quotes (also JSON-escaped) allowed around the name.
 * ASSIGNED finds every identifier before an assignment; SECRET_NAME then judges the name (two cheap passes instead
 * of one regex that backtracks through every word).
 */
const ASSIGNED = /(?<![\w.-])([\w.-]+)\\*["'`]?\s*(?::=|=>|->|==|=|:)\s*/g;
const SECRET_NAME = /pass|pwd|secret|token|key|auth(?!or)|credential|session|cookie|signature|salt|bearer/i;

/** Values a secret name may hold that are not secrets: empty, literals, references to where the secret really is. */
const NOT_A_VALUE = /^(?:null|nil|none|true|false|undefined|""|''|\$.*|\{\{.*|%\(.*|(?:process|import\.meta|os|System|Deno)\.(?:env|environ|getenv|getEnv)\b.*)$/i;

/** Characters of a bare token: base64 (standard and URL-safe), dots, tildes and percent escapes. */
const TOKEN = /[A-Za-z0-9_\-+/.~%]+=*/g;

/** A bare token this long with this much entropy (bits per character) is masked unless it reads as words. */
export const TOKEN_MIN_LENGTH = 16;
export const TOKEN_MIN_ENTROPY = 3.0;

/** The end of a value that starts at `at`: quoted (to its closing quote, escapes allowed) or up to a delimiter. */
function valueSpan(text: string, at: number): Span | undefined {
  let i = at;
  while (text[i] === '\\') i++;
  const q = text[i];
  if (q === '"' || q === "'" || q === '`') {
    const start = i + 1;
    let j = start;
    while (j < text.length && text[j] !== q && j - start < 2048) j++;
    let end = j;
    while (end > start && text[end - 1] === '\\') end--;
    return end > start ? { start, end } : undefined;
  }
  const m = /^[^\s,;&"'`<>(){}[\]\\]+/.exec(text.slice(i, i + 2048));
  return m ? { start: i, end: i + m[0].length } : undefined;
}

/** Whether one part of a token (between separators) reads as a word, an identifier or a short number. */
function wordishPart(p: string): boolean {
  if (/^\d{1,4}$/.test(p)) return true;
  if (/^[a-z]+\d{0,4}$/.test(p) || /^[A-Z]+\d{0,4}$/.test(p)) return true;
  // API versions in paths: v1, v1beta, v2alpha1.
  if (/^v\d{1,2}(?:[a-z]+\d?)?$/.test(p)) return true;
  // camelCase or PascalCase, perhaps ending in an acronym: words long enough, with vowels, few consonants in a row.
  const m = /^((?:[a-z]+|[A-Z][a-z]+)(?:[A-Z][a-z]+)*)[A-Z]{0,4}$/.exec(p);
  if (!m) return false;
  const letters = m[1]!;
  const pieces = letters.match(/[A-Z]?[a-z]+/g) ?? [];
  if (pieces.length > Math.max(1, letters.length / 3.5)) return false;
  if ((letters.match(/[aeiouy]/gi) ?? []).length / letters.length < 0.3) return false;
  return pieces.every((x) => x.length < 4 || (/[aeiouy]/i.test(x) && !/[b-df-hj-np-tv-xz]{4}/i.test(x)));
}

/** Identifiers, paths, host names and versions (`NEXT_PUBLIC_FIREBASE_API_KEY`, `src/app/main.ts`) are words. */
export function readsAsWords(token: string): boolean {
  const parts = token.split(/[_\-+/.~%=]+/).filter(Boolean);
  return parts.length > 0 && parts.every(wordishPart);
}

/** Whether a bare token looks random enough to be a secret. */
export function looksRandom(token: string): boolean {
  if (token.length < TOKEN_MIN_LENGTH) return false;
  // Hex (keys, hashes, ids) has 4 bits per character at most: mixed digits and letters are enough.
  if (/^[0-9a-f]+$/i.test(token)) return /\d/.test(token) && /[a-f]/i.test(token);
  return shannonEntropy(token) >= TOKEN_MIN_ENTROPY && !readsAsWords(token);
}

/** Every secret-looking span in a text: known shapes, values under secret names, random-looking tokens. */
export function findSecretSpans(text: string): Span[] {
  const out: Span[] = [];
  for (const re of SHAPES) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m[0].length === 0) {
        re.lastIndex++;
        continue;
      }
      out.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  ASSIGNED.lastIndex = 0;
  for (let m = ASSIGNED.exec(text); m; m = ASSIGNED.exec(text)) {
    if (!SECRET_NAME.test(m[1]!)) continue;
    const v = valueSpan(text, m.index + m[0].length);
    if (v && !NOT_A_VALUE.test(text.slice(v.start, v.end))) out.push(v);
  }
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m; m = TOKEN.exec(text)) {
    if (m[0].length >= TOKEN_MIN_LENGTH && looksRandom(m[0])) out.push({ start: m.index, end: m.index + m[0].length });
  }
  return out;
}

/** Spans sorted and merged where they overlap or touch. */
export function mergeSpans<T extends Span>(spans: T[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else out.push({ start: s.start, end: s.end });
  }
  return out;
}

/**
 * A free text (an error message that quotes a user's pattern or a file's first characters) with every
 * secret-looking span masked. Not bounded: for short texts.
 */
export function maskSecrets(text: string): string {
  let out = '';
  let cursor = 0;
  for (const s of mergeSpans(findSecretSpans(text))) {
    out += text.slice(cursor, s.start) + redactSecret(text.slice(s.start, s.end));
    cursor = s.end;
  }
  return out + text.slice(cursor);
}
