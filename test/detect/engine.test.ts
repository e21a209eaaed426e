// The engine end to end on small texts: token boundaries, overlap resolution, structure claims, decoding, columns.
import { describe, expect, it } from 'vitest';
import { detect } from '../../src/detect/engine.js';
import { redactSecret } from '../../src/mask/redact.js';
import { builtinRuleSet } from '../helpers/rules.js';
import {
  fakeAccessToken,
  fakeClientSecret,
  fakeGeminiAuthKey,
  fakeGoogleApiKey,
  fakeHmac,
  fakeOpaqueSecret,
  fakeRefreshToken,
  fakeServiceAccountJson,
} from '../helpers/keys.js';

const set = builtinRuleSet();
const scan = (text: string, path = 'x.txt') => detect({ text, path }, set);
const ids = (text: string, path?: string) => scan(text, path).map((f) => f.ruleId);

describe('token boundaries', () => {
  const key = fakeGoogleApiKey(11);
  it('finds a key between quotes, after = and after a JSON-escaped newline', () => {
    expect(ids(`k = "${key}"`)).toEqual(['google-api-key']);
    expect(ids(`K=${key}`)).toEqual(['google-api-key']);
    expect(ids(`"source": ["x\\n${key}\\n"]`)).toEqual(['google-api-key']);
  });
  it('does not take a key inside a longer token', () => {
    expect(ids(`x${key}`)).toEqual([]);
    expect(ids(`${key}Q`)).toEqual([]);
    expect(ids(`img_${key}_2x.png`)).toEqual([]);
  });
});

describe('overlap resolution', () => {
  it('reports a key assigned to a Gemini name once, by the specific rule', () => {
    expect(ids(`GEMINI_API_KEY=${fakeGoogleApiKey(12)}`)).toEqual(['google-api-key']);
    expect(ids(`client = genai.Client(api_key="${fakeGeminiAuthKey(3)}")`)).toEqual(['gemini-auth-key']);
  });

  it('leaves a value with a known prefix to its own rule, even when that rule rejects it', () => {
    const published = ['AI', 'zaSyAnLA7NfeLquW1tJFpx_eQCxoX-oo6YyIs'].join('');
    expect(ids(`const ai = new GoogleGenAI({ apiKey: "${published}" });`)).toEqual([]);
    const tooLong = `${fakeGoogleApiKey(13)}x9`;
    expect(ids(`GEMINI_API_KEY=${tooLong}`)).toEqual([]);
  });

  it('reports a service-account file once, on the private_key line, not its parts', () => {
    const text = fakeServiceAccountJson();
    const found = scan(text, 'sa.json');
    expect(found.map((f) => f.ruleId)).toEqual(['google-service-account-key']);
    expect(text.split('\n')[found[0]!.line - 1]).toContain('"private_key"');
  });

  it('reports several credentials on one line as several findings', () => {
    const line = JSON.stringify({ token: fakeAccessToken(2), refresh_token: fakeRefreshToken(2), client_secret: fakeClientSecret(2) });
    const found = scan(line, 'token.json');
    expect(found.map((f) => f.ruleId).sort()).toEqual(['google-oauth-access-token', 'google-oauth-client-secret', 'google-oauth-refresh-token']);
    expect(new Set(found.map((f) => f.line))).toEqual(new Set([1]));
  });
});

describe('generic rules', () => {
  const value = fakeOpaqueSecret(21, 36);
  it.each([
    [`os.environ["GEMINI_API_KEY"] = "${value}"`],
    [`define('GOOGLE_API_KEY', '${value}');`],
    [`GEMINI_API_KEY: str = "${value}"`],
    [`- name: GEMINI_API_KEY\n  value: "${value}"`],
    [`<string name="gemini_api_key">${value}</string>`],
    [`ENV GEMINI_API_KEY ${value}`],
    [`req['x-goog-api-key'] = '${value}'`],
  ])('finds a random value in %s', (text) => {
    expect(scan(text).map((f) => f.rawSecret)).toEqual([value]);
  });

  it.each([
    ['GEMINI_API_KEY = "models/text-embedding-004"'],
    ['GEMINI_API_KEY=projects/1234/secrets/gemini-api-key/versions/latest'],
    ['GOOGLE_API_KEY=3F2A9C1E-8B7D-4E6F-9A0B-1C2D3E4F5A6B'],
    ['genai.configure(api_key=os.environ["GOOGLE_API_KEY"])'],
    ['providers = {"gemini": {}, "openai": {"api_key": "sk-proj-k9Xv2Lr8Qw4Zt7Mn3Bp6Yc1Hs5Jd0Fg"}}'],
  ])('ignores %s', (text) => {
    expect(ids(text)).toEqual([]);
  });
});

describe('HMAC keys', () => {
  it('finds the secret after = in a .env file, next to its access ID', () => {
    const { accessId, secret } = fakeHmac(4);
    const found = scan(`GCS_ACCESS_ID=${accessId}\nGCS_SECRET=${secret}\n`);
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([['google-cloud-storage-hmac-secret', 2]]);
  });
});

describe('base64', () => {
  it('decodes a Kubernetes secret value once and reports the kind of what is inside', () => {
    const key = fakeGeminiAuthKey(8);
    const text = `data:\n  GEMINI_API_KEY: ${Buffer.from(key).toString('base64')}\n`;
    const [f] = scan(text, 'secret.yaml');
    expect(f?.ruleId).toBe('google-base64-encoded');
    expect(f?.kind).toBe('gemini-auth-key');
    expect(f?.encoding).toBe('base64');
    expect(f?.line).toBe(2);
  });

  it('ignores base64 that decodes to a placeholder', () => {
    const filler = ['AI', 'zaSy', 'X'.repeat(33)].join('');
    expect(ids(`KEY: ${Buffer.from(filler).toString('base64')}`)).toEqual([]);
  });
});

describe('positions', () => {
  it('gives editor columns in CRLF files with a BOM and non-ASCII text before the key', () => {
    const key = fakeGoogleApiKey(14);
    const text = `\uFEFF# clé 🔑\r\nkey = "${key}"\r\n`;
    const [f] = scan(text);
    expect([f?.line, f?.column, f?.endColumn]).toEqual([2, 8, 47]);
  });

  it('finds a key deep inside a very long minified line', () => {
    const key = fakeGoogleApiKey(15);
    const text = `${'var a=1;'.repeat(50_000)}e.k="${key}";${'var b=2;'.repeat(1000)}`;
    const [f] = scan(text, 'dist/app.min.js');
    expect(f?.column).toBe(400_000 + 6);
    expect(f?.exposure).toBe('client');
    expect(f?.excerpt.length).toBeLessThan(200);
  });

  it('redacts secrets to a head and a tail', () => {
    expect(redactSecret(fakeGoogleApiKey(1))).toMatch(/^AIza….{4}$/);
    expect(redactSecret('short')).toBe('*****');
  });
});
