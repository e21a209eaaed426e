// The secret-looking-value detector that excerpts and error messages use: every credential shape, values under
// secret names, random tokens; identifiers, paths and host names stay readable.
import { describe, expect, it } from 'vitest';
import { findSecretSpans, looksRandom, maskSecrets, readsAsWords } from '../../src/mask/secret-like.js';
import {
  fakeAccessToken,
  fakeClientSecret,
  fakeFcmServerKey,
  fakeGeminiAuthKey,
  fakeGoogleApiKey,
  fakeHmac,
  fakeOtherCredentials,
  fakeOpaqueSecret,
  fakePrivateKeyPem,
  fakeRefreshToken,
  randomString,
  rng,
} from '../helpers/keys.js';

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const r = rng(7);

/** The texts masked by findSecretSpans in `line`. */
const masked = (line: string): string[] => findSecretSpans(line).map((s) => line.slice(s.start, s.end));

describe('findSecretSpans', () => {
  it('finds every Google credential shape on a line', () => {
    const google = [fakeGoogleApiKey(1), fakeGeminiAuthKey(2), fakeClientSecret(3), fakeAccessToken(4), fakeRefreshToken(5), fakeFcmServerKey(6), fakeHmac(7).accessId];
    for (const key of google) expect(masked(`x ${key} y`).join(' ')).toContain(key);
  });

  it('finds other services credentials: AWS, GitHub, Slack, Stripe, JWT', () => {
    const shapes = Object.entries(fakeOtherCredentials(3)).filter(([name]) => name !== 'urlPassword');
    for (const [name, value] of shapes) expect(masked(`v = ${value};`).join(' '), name).toContain(value);
  });

  it('finds a private key PEM body written on one line, and a URL password', () => {
    const pem = fakePrivateKeyPem().replace(/\n/g, '\\n');
    const spans = masked(`"private_key": "${pem}", "x": 1`);
    expect(spans.some((s) => s.includes(pem.slice(40, 200)))).toBe(true);
    const password = randomString(r, 14, ALNUM);
    expect(masked(`DATABASE_URL=postgres://app:${password}@db.internal:5432/app`)).toContain(password);
  });

  it('masks any value under a secret name, quoted, unquoted, JSON-escaped, low entropy or not', () => {
    expect(masked('DB_PASSWORD=hunter2 next')).toContain('hunter2');
    expect(masked('{"password": "correct horse battery staple"}')).toContain('correct horse battery staple');
    expect(masked('"{\\"client_secret\\":\\"abc123def\\"}"')).toContain('abc123def');
    expect(masked("auth_token: 'tok'")).toContain('tok');
    expect(masked('curl -H "Authorization: Bearer abcdefgh12345678"').join(' ')).toContain('abcdefgh12345678');
  });

  it('leaves references, literals and authors alone', () => {
    expect(masked('apiKey: process.env.GEMINI_API_KEY')).toEqual([]);
    expect(masked('token = null')).toEqual([]);
    expect(masked('password: ${DB_PASSWORD}')).toEqual([]);
    expect(masked('author: Ada')).toEqual([]);
  });

  it('masks random tokens of 16 characters or more, whatever the alphabet, and nothing that reads as words', () => {
    for (let seed = 0; seed < 2000; seed++) {
      const token = fakeOpaqueSecret(seed, 16 + (seed % 49));
      expect(looksRandom(token), token).toBe(true);
    }
    for (let seed = 0; seed < 200; seed++) {
      // Hex keys (at most 4 bits per character) and URL-safe tokens that start or end with - or _.
      expect(looksRandom(randomString(rng(seed), 32, '0123456789abcdef')), `hex ${seed}`).toBe(true);
      expect(looksRandom(`-${randomString(rng(seed), 15)}`), `urlsafe ${seed}`).toBe(true);
    }
    for (const words of ['//generativelanguage.googleapis.com/v1beta/models', 'NEXT_PUBLIC_FIREBASE_API_KEY', 'GOOGLE_APPLICATION_CREDENTIALS', 'getElementsByClassName', 'node_modules/typescript/lib', '//www.googleapis.com/auth/cloud-platform', 'generativelanguage.googleapis.com', 'gemini-1.5-flash-latest', 'messagingSenderId']) {
      expect(readsAsWords(words), words).toBe(true);
      expect(masked(`x ${words} y`), words).toEqual([]);
    }
  });
});

describe('maskSecrets', () => {
  it('masks every secret in a free text and keeps the rest', () => {
    const key = fakeGoogleApiKey(9);
    const out = maskSecrets(`Unterminated group: /(${key}/ near the end`);
    expect(out).not.toContain(key.slice(4, 20));
    expect(out).toMatch(/^Unterminated group: \/\(AIza…/);
  });
});
