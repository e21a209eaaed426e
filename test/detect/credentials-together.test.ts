// Several credentials in one place are several findings; private keys are found wherever they sit, and their owner
// (a Google service account or unknown) decides the rule and severity.
import { describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { detect } from '../../src/detect/engine.js';
import { builtinRuleSet } from '../helpers/rules.js';
import { fakeAccessToken, fakeClientSecret, fakeGoogleApiKey, fakeLegacyClientSecret, fakePrivateKeyPem, fakeRefreshToken } from '../helpers/keys.js';

const set = builtinRuleSet();
const scan = (text: string, path = 'x.txt') => detect({ text, path }, set);
const P = (...parts: string[]): string => parts.join('');
const AU = P('authorized', '_user');
const SA = P('service', '_account');
// The public clients of the gcloud CLI (gcloud auth login) and of its application-default login, as the Cloud SDK
// publishes them: never findings.
const GCLOUD_CLIENT = { id: P('32555940559', '.apps.googleusercontent.com'), secret: P('ZmssLNjJy', '2998hD4CTg2ejr2') };
const ADC_CLIENT = { id: P('764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur', '.apps.googleusercontent.com'), secret: P('d-FL95Q19q7', 'MQmFpd7hHD0Ty') };
const OWN_CLIENT_ID = P('48213-k2j4h5g6f7d8s9a0', '.apps.googleusercontent.com');

function authorizedUser(clientId: string, clientSecret: string, refreshToken: string, indent: number | undefined = 2): string {
  return JSON.stringify({ client_id: clientId, client_secret: clientSecret, refresh_token: refreshToken, type: AU }, null, indent);
}

describe('an authorized_user file holds two credentials', () => {
  it.each([
    ['a GOCSPX- secret', fakeClientSecret(31), 'google-oauth-client-secret'],
    ['a legacy 24-character secret', fakeLegacyClientSecret(32), 'google-oauth-client-secret-legacy'],
  ])("made with the project's own client (%s): the refresh token and the client secret, each its own finding", (_, secret, secretRule) => {
    for (const indent of [2, undefined]) {
      const text = authorizedUser(OWN_CLIENT_ID, secret, fakeRefreshToken(33), indent);
      const found = scan(text, 'application_default_credentials.json');
      expect(found.map((f) => f.ruleId).sort()).toEqual(['google-authorized-user', secretRule].sort());
      const bySecret = found.find((f) => f.ruleId === secretRule)!;
      expect(bySecret.rawSecret).toBe(secret);
      expect(bySecret.kind).toBe('oauth-client-secret');
      expect(found.find((f) => f.ruleId === 'google-authorized-user')!.rawSecret).toBe(fakeRefreshToken(33));
    }
  });

  it.each([
    ['gcloud auth login', GCLOUD_CLIENT],
    ['gcloud auth application-default login', ADC_CLIENT],
  ])("made with the gcloud CLI's public client (%s): only the refresh token", (_, client) => {
    for (const indent of [2, undefined]) {
      expect(scan(authorizedUser(client.id, client.secret, fakeRefreshToken(34), indent)).map((f) => f.ruleId)).toEqual(['google-authorized-user']);
    }
  });

  it('in YAML too', () => {
    const secret = fakeClientSecret(35);
    const text = `type: ${AU}\nclient_id: ${OWN_CLIENT_ID}\nclient_secret: ${secret}\nrefresh_token: ${fakeRefreshToken(36)}\n`;
    expect(scan(text, 'adc.yaml').map((f) => f.ruleId).sort()).toEqual(['google-authorized-user', 'google-oauth-client-secret']);
  });

  it("a one-line token.json of the Python client libraries: access token, refresh token and client secret", () => {
    const text = JSON.stringify({
      token: fakeAccessToken(37),
      refresh_token: fakeRefreshToken(38),
      token_uri: 'https://oauth2.googleapis.com/token',
      client_id: OWN_CLIENT_ID,
      client_secret: fakeClientSecret(39),
      scopes: ['https://www.googleapis.com/auth/drive'],
    });
    const found = scan(text, 'token.json');
    expect(found.map((f) => f.kind).sort()).toEqual(['oauth-access-token', 'oauth-client-secret', 'oauth-refresh-token']);
    expect(new Set(found.map((f) => f.line))).toEqual(new Set([1]));
  });

  it('a service-account object keeps an API key written between its fields as its own finding', () => {
    const sa = JSON.parse(P('{"type":"', SA, '"}')) as Record<string, string>;
    Object.assign(sa, { api_key: fakeGoogleApiKey(40), private_key: fakePrivateKeyPem(), client_email: 'a@acme.iam.gserviceaccount.com' });
    expect(scan(JSON.stringify(sa, null, 2)).map((f) => f.ruleId).sort()).toEqual(['google-api-key', 'google-service-account-key']);
  });
});

/** A PEM split into its lines, without the BEGIN and END lines. */
function pemLines(pem: string): { begin: string; body: string[]; end: string } {
  const lines = pem.trimEnd().split('\n');
  return { begin: lines[0]!, body: lines.slice(1, -1), end: lines[lines.length - 1]! };
}

/** The same key in the shapes code holds it in. */
function shapes(pem: string): Record<string, (name: string) => string> {
  const { begin, body, end } = pemLines(pem);
  const escaped = `${[begin, ...body, end].join('\\n')}\\n`;
  return {
    'a JSON field': (name) => `{\n  "${name}": "${escaped}"\n}`,
    'a JavaScript string with escaped \\n': (name) => `const ${name} = '${escaped}';`,
    'a Python string with escaped \\n': (name) => `${name} = "${escaped}"`,
    'a YAML string with escaped \\n': (name) => `${name}: "${escaped}"`,
    'a commented-out line': (name) => `# ${name} = "${escaped}"`,
    'a commented-out block': (name) => `// ${name}:\n${[begin, ...body, end].map((l) => `// ${l}`).join('\n')}`,
    'a string split over lines with +': (name) => `const ${name} =\n  '${begin}\\n' +\n${body.map((l) => `  '${l}\\n' +\n`).join('')}  '${end}\\n';`,
    'Python adjacent strings': (name) => `${name} = (\n    "${begin}\\n"\n${body.map((l) => `    "${l}\\n"\n`).join('')}    "${end}\\n"\n)`,
    'a YAML block': (name) => `${name}: |\n${[begin, ...body, end].map((l) => `  ${l}`).join('\n')}\n`,
  };
}

const serviceAccountFields = [
  (sa: string) => `"type": "${SA}",\n${sa}`,
  (sa: string) => `${sa}\nclient_email = "deployer@acme-prod.iam.gserviceaccount.com"`,
  (sa: string) => `"private_key_id": "5f0c3e1d9a7b2c4e6f8a0b1c3d5e7f9a1b2c4d6e",\n${sa}`,
];

describe('private keys wherever they sit', () => {
  const rsa = fakePrivateKeyPem();
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
  const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

  for (const [shape, write] of Object.entries(shapes(rsa))) {
    it(`beside service-account fields, ${shape} is a service-account key, with one secret for every shape`, () => {
      const plain = scan(write('private_key') + `\n"type": "${SA}"`);
      const secret = plain.find((f) => f.ruleId === 'google-service-account-key')?.rawSecret;
      for (const around of serviceAccountFields) {
        const found = scan(around(write('private_key')));
        expect(found.map((f) => f.ruleId), shape).toEqual(['google-service-account-key']);
        expect(found[0]!.severity).toBe('critical');
        expect(found[0]!.rawSecret).toBe(secret);
      }
    });
  }

  for (const [name, pem] of Object.entries({ RSA: rsa, 'EC (SEC1)': ec, Ed25519: ed })) {
    for (const [shape, write] of Object.entries(shapes(pem))) {
      it(`elsewhere, an ${name} key in ${shape} is a private key of unknown owner (medium)`, () => {
        const found = scan(write('signing_key'));
        expect(found.map((f) => f.ruleId), shape).toEqual(['private-key']);
        expect(found[0]!.severity).toBe('medium');
        expect(found[0]!.kind).toBe('private-key');
        expect(found[0]!.rawSecret).toBe(pemLines(pem).body.join(''));
      });
    }
  }

  it('reports the key on its BEGIN line, or on the name line of a YAML block', () => {
    expect(scan(`a: 1\nkey: "${pemLines(rsa).begin}\\n${pemLines(rsa).body.join('\\n')}\\n${pemLines(rsa).end}"`)[0]!.line).toBe(2);
    expect(scan(shapes(rsa)['a YAML block']!('private_key'))[0]!.line).toBe(1);
  });

  it('does not report public keys, certificates, placeholders or code that names the markers', () => {
    const pub = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(scan(pub)).toEqual([]);
    expect(scan('-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC...\n-----END PRIVATE KEY-----\n')).toEqual([]);
    expect(scan('KEY="-----BEGIN RSA PRIVATE KEY-----\\n<your key>\\n-----END RSA PRIVATE KEY-----"')).toEqual([]);
    expect(scan('if (!pem.startsWith("-----BEGIN PRIVATE KEY-----")) throw new Error("-----END PRIVATE KEY----- missing");')).toEqual([]);
  });
});
