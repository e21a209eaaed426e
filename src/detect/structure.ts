// Credentials recognised by their structure rather than by one token: service-account keys and gcloud
// authorized_user files (plain, JSON-escaped inside a string, or YAML), and API keys split over string literals.
import type { Kind, StructureName } from '../types.js';
import { shannonEntropy } from './entropy.js';
import { placeholderReason } from './placeholder.js';

export interface StructureMatch {
  /** Span reported as the secret. */
  start: number;
  end: number;
  /** Normalised secret: the same key gives the same value however it was quoted or escaped. */
  secret: string;
  /** Span of the whole credential object; other findings of its parts inside it are dropped. */
  claimStart: number;
  claimEnd: number;
  escaped: boolean;
}

// Quotes may be plain, single, absent (YAML) or JSON-escaped once or twice.
const Q = `(?:\\\\*["'])?`;
const SEP = `\\s*(?:=>|:=|[:=])\\s*`;
const WINDOW = 6000;

const SA_ANCHOR = new RegExp(`${Q}type${Q}${SEP}${Q}service_account\\b|[a-z0-9-]+@[a-z0-9-]+\\.iam\\.gserviceaccount\\.com`, 'g');
// A private key under a Google name (GOOGLE_PRIVATE_KEY, FIREBASE_PRIVATE_KEY, gcp_private_key) is a service
// account's, even where its client_email sits in another file.
const NAMED_KEY_ANCHOR = /(?:google|gcp|gcloud|firebase|gcs|bigquery|vertex|gsheets?)[a-z0-9_]{0,30}?_?private_?key/gi;
const SA_FIELD_ANCHOR = new RegExp(`${Q}private_key_id${Q}${SEP}`, 'g');
// A PEM private key block, however it is held: real lines, escaped \n in a string (once or twice), a string split
// over lines with + or . or Python's adjacency, a commented-out block. PKCS#8, RSA, EC, DSA, OpenSSH, encrypted, PGP.
const PEM_KEY = /-----BEGIN ((?:[A-Z0-9]+ ){0,2})PRIVATE KEY(?: BLOCK)?-----([\s\S]{0,16000}?)-----END (?:[A-Z0-9]+ ){0,2}PRIVATE KEY(?: BLOCK)?-----/g;
// What names the key on the lines before it: private_key, privateKey, GOOGLE_PRIVATE_KEY; the value quoted (also
// Python's triple quotes), or a YAML block (`private_key: |`).
const KEY_NAME_BEFORE = new RegExp(`(?:private_key|privateKey|PRIVATE_KEY)${Q}${SEP}(?:[|>][-+]?\\s*)?(?:\\\\*["'\`]){0,3}$`);

/**
 * The key's base64, the same however it was quoted, escaped, split or commented out: escapes and string joins
 * (`\n" +\n  "`) go first, then comment markers at line starts (`// `, `#`, `/*`), then everything not base64.
 */
export function normalisePemBody(body: string): string {
  return body
    .replace(/\\+[nrt]/g, '\n')
    .replace(/\\+(["'`])/g, '$1')
    .replace(/["'`][ \t]*(?:\+|\.|&|\|\|)?[ \t]*(?:\r?\n[ \t]*)?(?:\+|\.|&|\|\|)?[ \t]*["'`]/g, '')
    .replace(/(^|\n)[ \t]*\/\/[ \t]/g, '$1')
    .replace(/\/\*|\*\//g, '')
    .replace(/[^A-Za-z0-9+/=]/g, '');
}

/** A real key, not a stand-in: long enough for the shortest keys (Ed25519, 64 characters) and random enough. */
function pemLooksReal(body: string): boolean {
  if (/\.\.\.|…|<|>|X{6,}|x{6,}/.test(body)) return false;
  const b64 = normalisePemBody(body);
  if (b64.length < 60) return false;
  return shannonEntropy(b64) >= (b64.length < 100 ? 4.5 : b64.length < 400 ? 4.8 : 5.0);
}

const AU_ANCHOR = new RegExp(`${Q}type${Q}${SEP}${Q}authorized_user\\b`, 'g');
const REFRESH_TOKEN = new RegExp(`refresh_token${Q}${SEP}\\\\*["']?([^"'\\\\\\s,}]{16,})`, 'g');
const CLIENT_SECRET_NAME = /client_secret/;

/**
 * The span of the credential object: the braces of the JSON object that holds both ends (no brace closes between
 * the opening one and `from`, none opens between `to` and the closing one: key files are flat objects), or, in
 * brace-less formats (YAML, TOML, .env), from `braceless` to the secret: for a service-account key only the key
 * itself, as the other lines may hold other keys between its fields (FIREBASE_CLIENT_EMAIL, an API key,
 * FIREBASE_PRIVATE_KEY), which keep their findings.
 */
function claimAround(text: string, from: number, to: number, braceless: number): [number, number] {
  const open = text.lastIndexOf('{', from);
  const close = text.indexOf('}', to);
  if (open >= 0 && from - open < WINDOW && close >= 0 && close - to < WINDOW) {
    const inside = text.slice(open + 1, from).indexOf('}') < 0 && text.slice(to, close).indexOf('{') < 0;
    if (inside) return [open, close + 1];
  }
  return [braceless, to];
}

interface PemKey {
  /** Where the finding starts: the BEGIN line, or the name's line when the key is a block under it. */
  start: number;
  end: number;
  secret: string;
  escaped: boolean;
}

/** Every real-looking PEM private key in the text. */
function findPemKeys(text: string): PemKey[] {
  const out: PemKey[] = [];
  if (!text.includes('PRIVATE KEY-----')) return out;
  PEM_KEY.lastIndex = 0;
  for (let m = PEM_KEY.exec(text); m; m = PEM_KEY.exec(text)) {
    const body = m[2]!;
    if (!pemLooksReal(body)) continue;
    const before = text.slice(Math.max(0, m.index - 200), m.index);
    const named = KEY_NAME_BEFORE.exec(before);
    // Report on the private_key line: in a YAML block (`private_key: |`) the PEM starts on the next line.
    const start = named && /[\r\n]/.test(before.slice(named.index)) ? m.index - before.length + named.index : m.index;
    out.push({
      start,
      end: m.index + m[0].length,
      secret: normalisePemBody(body),
      escaped: /\\\\?n/.test(body.slice(0, 80)) && /\\"/.test(text.slice(Math.max(0, m.index - 40), m.index + 40)),
    });
  }
  return out;
}

function matchServiceAccount(text: string): StructureMatch[] {
  const out: StructureMatch[] = [];
  const anchors: number[] = [];
  for (const re of [SA_ANCHOR, SA_FIELD_ANCHOR, NAMED_KEY_ANCHOR]) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) anchors.push(m.index);
  }
  if (anchors.length === 0) return out;
  for (const key of findPemKeys(text)) {
    const near = anchors.filter((a) => Math.abs(a - key.start) <= WINDOW);
    if (near.length === 0) continue;
    const [claimStart, claimEnd] = claimAround(text, Math.min(key.start, ...near), key.end, key.start);
    out.push({ start: key.start, end: key.end, secret: key.secret, claimStart, claimEnd, escaped: key.escaped });
  }
  return out;
}

/** A private key of unknown owner: every PEM private key (one beside a service account's fields is that rule's). */
function matchPrivateKey(text: string): StructureMatch[] {
  return findPemKeys(text).map((k) => ({ start: k.start, end: k.end, secret: k.secret, claimStart: k.start, claimEnd: k.end, escaped: k.escaped }));
}

function matchAuthorizedUser(text: string): StructureMatch[] {
  const out: StructureMatch[] = [];
  AU_ANCHOR.lastIndex = 0;
  for (let a = AU_ANCHOR.exec(text); a; a = AU_ANCHOR.exec(text)) {
    const from = Math.max(0, a.index - 2000);
    const to = Math.min(text.length, a.index + 2000);
    const window = text.slice(from, to);
    if (!CLIENT_SECRET_NAME.test(window)) continue;
    REFRESH_TOKEN.lastIndex = 0;
    const r = REFRESH_TOKEN.exec(window);
    if (!r) continue;
    const token = r[1]!;
    if (placeholderReason(token.replace(/^1\/\/0/, '')) || shannonEntropy(token) < 3.5) continue;
    const start = from + r.index + r[0].lastIndexOf(token);
    // Brace-less (YAML): an authorized_user file holds nothing else, so its fields from the type to the token are
    // claimed (its client_secret is part of this finding, not one of its own).
    const [claimStart, claimEnd] = claimAround(text, Math.min(start, a.index), start + token.length, Math.min(start, a.index));
    if (out.some((o) => o.start === start)) continue;
    out.push({ start, end: start + token.length, secret: token, claimStart, claimEnd, escaped: false });
  }
  return out;
}

// A standard API key split over string literals joined by + (JS, Java, C#, Go, Kotlin, Swift, Python, Ruby), . (PHP),
// .. (Lua), & (VB), || (SQL) or nothing (Python and C adjacency): "AIzaSyB4x" + "…". Only when the pieces join to
// exactly one key and the chain ends there.
// Quotes may be JSON-escaped once (the same code inside a notebook cell or a JSON string).
const CONCAT_START = /(\\?["'`])(AIza[0-9A-Za-z_-]{0,34})\1/y;
const CONCAT_NEXT = /(?:\s|\\[nrt]){0,40}(?:\+|\.\.?|&|\|\|)?(?:\s|\\[nrt]){0,40}(\\?["'`])([0-9A-Za-z_-]{1,38})\1/y;
const KEY_LENGTH = 39;

function matchConcatenatedKey(text: string): StructureMatch[] {
  const out: StructureMatch[] = [];
  for (let at = text.indexOf('AIza'); at >= 0; at = text.indexOf('AIza', at + 4)) {
    // The literal opens right before AIza: a quote, or an escaped one.
    const quoteAt = at >= 2 && text.charCodeAt(at - 2) === 92 /* \\ */ ? at - 2 : at - 1;
    if (quoteAt < 0) continue;
    CONCAT_START.lastIndex = quoteAt;
    const m = CONCAT_START.exec(text);
    if (!m) continue;
    const start = m.index + m[1]!.length;
    let key = m[2]!;
    let end = m.index + m[0].length - m[1]!.length;
    let pieces = 1;
    let cursor = m.index + m[0].length;
    while (key.length < KEY_LENGTH) {
      CONCAT_NEXT.lastIndex = cursor;
      const n = CONCAT_NEXT.exec(text);
      if (!n) break;
      key += n[2]!;
      pieces++;
      end = n.index + n[0].length - n[1]!.length;
      cursor = n.index + n[0].length;
    }
    if (pieces < 2 || key.length !== KEY_LENGTH) continue;
    // A longer chain is not this key.
    CONCAT_NEXT.lastIndex = cursor;
    if (CONCAT_NEXT.test(text)) continue;
    if (shannonEntropy(key) < 3.8 || placeholderReason(key.slice(4))) continue;
    out.push({ start, end, secret: key, claimStart: start, claimEnd: end, escaped: false });
    at = Math.max(at, cursor - 4);
  }
  return out;
}

const MATCHERS: Record<StructureName, (text: string) => StructureMatch[]> = {
  'service-account': matchServiceAccount,
  'authorized-user': matchAuthorizedUser,
  'concatenated-key': matchConcatenatedKey,
  'private-key': matchPrivateKey,
};

/**
 * Kinds other than its own that are parts of a structure's credential inside its claim: the private key of a
 * service account, the refresh token of an authorized_user file. Other credentials inside a claim stay findings.
 */
export const CLAIMED_KINDS: Record<StructureName, readonly Kind[]> = {
  'service-account': ['private-key'],
  'authorized-user': ['oauth-refresh-token'],
  'concatenated-key': [],
  'private-key': [],
};

export function matchStructure(name: StructureName, text: string): StructureMatch[] {
  return MATCHERS[name](text);
}
