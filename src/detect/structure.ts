// Credentials recognised by their structure rather than by one token: service-account keys and gcloud
// authorized_user files (plain, JSON-escaped inside a string, or YAML), and API keys split over string literals.
import type { StructureName } from '../types.js';
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
// private_key, privateKey or GOOGLE_PRIVATE_KEY; the value plain, quoted (also Python's triple quotes) or a YAML block.
const PRIVATE_KEY = new RegExp(
  `(?:private_key|privateKey|PRIVATE_KEY)${Q}${SEP}(?:[|>][-+]?\\s*)?(?:\\\\*["'\`]){0,3}(-----BEGIN (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----)([\\s\\S]{0,12000}?)(-----END (?:RSA |EC |ENCRYPTED )?PRIVATE KEY-----)`,
  'g',
);
const AU_ANCHOR = new RegExp(`${Q}type${Q}${SEP}${Q}authorized_user\\b`, 'g');
const REFRESH_TOKEN = new RegExp(`refresh_token${Q}${SEP}\\\\*["']?([^"'\\\\\\s,}]{16,})`, 'g');
const CLIENT_SECRET_NAME = /client_secret/;

function normalisePemBody(body: string): string {
  // Drop escaped or real newlines, quotes and whitespace, keep the base64.
  return body.replace(/\\+[nr]/g, '').replace(/[^A-Za-z0-9+/=]/g, '');
}

function pemLooksReal(body: string): boolean {
  if (/\.\.\.|…|<|>|X{6,}|x{6,}/.test(body)) return false;
  const b64 = normalisePemBody(body);
  return b64.length >= 400 && shannonEntropy(b64) >= 5.0;
}

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

function matchServiceAccount(text: string): StructureMatch[] {
  const out: StructureMatch[] = [];
  const anchors: number[] = [];
  SA_ANCHOR.lastIndex = 0;
  for (let m = SA_ANCHOR.exec(text); m; m = SA_ANCHOR.exec(text)) anchors.push(m.index);
  NAMED_KEY_ANCHOR.lastIndex = 0;
  for (let m = NAMED_KEY_ANCHOR.exec(text); m; m = NAMED_KEY_ANCHOR.exec(text)) anchors.push(m.index);
  if (anchors.length === 0) return out;
  PRIVATE_KEY.lastIndex = 0;
  for (let m = PRIVATE_KEY.exec(text); m; m = PRIVATE_KEY.exec(text)) {
    const pemStart = m.index + m[0].indexOf(m[1]!);
    // Report on the private_key line: in a YAML block (`private_key: |`) the PEM starts on the next line.
    const keyStart = /[\r\n]/.test(text.slice(m.index, pemStart)) ? m.index : pemStart;
    const keyEnd = m.index + m[0].length;
    const near = anchors.some((a) => Math.abs(a - keyStart) <= WINDOW);
    if (!near || !pemLooksReal(m[2]!)) continue;
    const [claimStart, claimEnd] = claimAround(text, Math.min(keyStart, ...anchors.filter((a) => Math.abs(a - keyStart) <= WINDOW)), keyEnd, keyStart);
    out.push({
      start: keyStart,
      end: keyEnd,
      secret: normalisePemBody(m[2]!),
      claimStart,
      claimEnd,
      escaped: /\\\\?n/.test(m[2]!.slice(0, 80)) && /\\"/.test(text.slice(Math.max(0, m.index - 40), m.index + 40)),
    });
  }
  return out;
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
};

export function matchStructure(name: StructureName, text: string): StructureMatch[] {
  return MATCHERS[name](text);
}
