// No secret in any output: a line that holds a Google credential beside other secrets (other services' keys,
// passwords, random tokens under secret names or bare) goes through the real engine, the filters and every
// reporter (and the job summary); no planted value, nor any 12-character piece of one, may come out.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scanContent } from '../../src/scan/content.js';
import { filterFindings } from '../../src/filter/pipeline.js';
import { reporters, renderSummary } from '../../src/report/index.js';
import type { ReportOptions, ScanResult } from '../../src/types.js';
import { builtinRuleSet } from '../helpers/rules.js';
import {
  fakeAccessToken,
  fakeClientSecret,
  fakeGeminiAuthKey,
  fakeGoogleApiKey,
  fakeHmac,
  fakeOpaqueSecret,
  fakeOtherCredentials,
  fakePrivateKeyPem,
  fakeRefreshToken,
} from '../helpers/keys.js';

const set = builtinRuleSet();
const options: ReportOptions = { color: false, toolVersion: '0.0.0', today: '2026-11-25', rules: set.rules };

/** A planted secret: the text put on the line, and the secret inside it that must not come out. */
interface Planted {
  text: string;
  secret: string;
}

const GOOGLE = [fakeGoogleApiKey, fakeGeminiAuthKey, fakeClientSecret, fakeAccessToken, fakeRefreshToken];
const NAMES = ['password', 'DB_PASSWORD', 'secret', 'client_secret', 'token', 'auth_token', 'api_key', 'apiKey', 'passwd', 'pwd', 'auth', 'credential', 'SESSION_KEY', 'private_key_id'];
const SEPARATORS = [' ', ', ', '; ', ' && ', '\t', ' | '];

const google = (seed: number, which: number): Planted => {
  const secret = GOOGLE[which % GOOGLE.length]!(seed);
  return { text: secret, secret };
};

/** One neighbour of the finding, of every kind the brief names. */
const neighbour: fc.Arbitrary<Planted> = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 1e6 }), fc.constantFrom(...Object.keys(fakeOtherCredentials(1)))).map(([seed, kind]) => {
    const secret = fakeOtherCredentials(seed)[kind]!;
    return kind === 'urlPassword' ? { text: `postgres://app:${secret}@db.internal:5432/app`, secret } : { text: secret, secret };
  }),
  fc.tuple(fc.integer({ min: 1, max: 1e6 }), fc.nat()).map(([seed, which]) => google(seed, which)),
  fc.integer({ min: 1, max: 1e6 }).map((seed) => {
    const { accessId, secret } = fakeHmac(seed);
    return { text: `GOOGLE_HMAC_ID=${accessId} GOOGLE_HMAC_SECRET=${secret}`, secret };
  }),
  fc.constant(null).map(() => {
    const pem = fakePrivateKeyPem().replace(/\n/g, '\\n');
    return { text: `"private_key": "${pem}"`, secret: pem.replace(/^-----BEGIN PRIVATE KEY-----\\n/, '').replace(/\\n-----END PRIVATE KEY-----\\n$/, '') };
  }),
  // Random alphanumerics of 24 to 64 characters under a secret name (three notations), or bare.
  fc.tuple(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 24, max: 64 }), fc.constantFrom(...NAMES), fc.nat(3)).map(([seed, length, name, style]) => {
    const secret = fakeOpaqueSecret(seed, length);
    const text = [`${name}=${secret}`, `"${name}": "${secret}"`, `${name}: ${secret}`, secret][style]!;
    return { text, secret };
  }),
);

const line = fc.record({
  finding: fc.tuple(fc.integer({ min: 1, max: 1e6 }), fc.nat()).map(([seed, which]) => google(seed, which)),
  before: fc.array(neighbour, { maxLength: 3 }),
  after: fc.array(neighbour, { minLength: 1, maxLength: 3 }),
  separator: fc.constantFrom(...SEPARATORS),
  path: fc.constantFrom('config.txt', 'dist/app.min.js', 'deploy/settings.yaml'),
  name: fc.constantFrom('GEMINI_API_KEY=', 'key: ', '"k":"', ''),
});

/** Every output a user can get from these findings: each --format, and the GitHub job summary. */
async function renderAll(text: string, path: string, showSecrets = false): Promise<{ result: ScanResult; outputs: Record<string, string> }> {
  const scanned = await scanContent(Buffer.from(text), { path }, set, undefined);
  const filtered = filterFindings(scanned.found, { showSecrets });
  const result: ScanResult = {
    mode: 'scan',
    findings: filtered.findings,
    skipped: [],
    stats: { files: 1, bytes: scanned.bytes, binary: 0, skipped: 0, findings: filtered.findings.length, durationMs: 1 },
    notes: [],
  };
  const outputs: Record<string, string> = { summary: renderSummary(result, options) };
  for (const [format, render] of Object.entries(reporters)) outputs[format] = render(result, options);
  return { result, outputs };
}

/** The planted secret a 12-character piece of which `output` shows, if any (one pass over the output). */
function leaked(output: string, secrets: string[]): string | undefined {
  const owner = new Map<string, string>();
  for (const secret of secrets) for (let i = 0; i + 12 <= secret.length; i++) owner.set(secret.slice(i, i + 12), secret);
  for (let i = 0; i + 12 <= output.length; i++) {
    const secret = owner.get(output.slice(i, i + 12));
    if (secret) return secret;
  }
  return undefined;
}

describe('no secret in any output', () => {
  it('masks every planted secret in every format, whatever sits beside the finding', async () => {
    await fc.assert(
      fc.asyncProperty(line, async ({ finding, before, after, separator, path, name }) => {
        const planted = [...before, { text: `${name}${finding.text}`, secret: finding.secret }, ...after];
        const text = `${planted.map((p) => p.text).join(separator)}\n`;
        const { result, outputs } = await renderAll(text, path);
        expect(result.findings.length).toBeGreaterThan(0);
        const secrets = planted.map((p) => p.secret);
        for (const [format, output] of Object.entries(outputs)) expect(leaked(output, secrets)?.slice(0, 4), `${format} shows a planted secret`).toBeUndefined();
      }),
      { numRuns: 150 },
    );
  });

  it('shows the finding in full with --show-secrets, and still masks the other secrets in its excerpt', async () => {
    const key = fakeGoogleApiKey(21);
    const other = fakeOtherCredentials(22);
    const text = `GEMINI_API_KEY=${key} AWS_SECRET_ACCESS_KEY=${other.awsSecretAccessKey} GITHUB_TOKEN=${other.githubToken}\n`;
    const { result, outputs } = await renderAll(text, 'config.txt', true);
    expect(result.findings.map((f) => f.secret)).toEqual([key]);
    expect(outputs['text']).toContain(key);
    expect(result.findings[0]!.excerpt).not.toContain(key);
    for (const output of Object.values(outputs)) expect(leaked(output, [other.awsSecretAccessKey!, other.githubToken!])).toBeUndefined();
  });
});
