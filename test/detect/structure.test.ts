import { describe, expect, it } from 'vitest';
import { matchStructure } from '../../src/detect/structure.js';
import { LineIndex } from '../../src/detect/location.js';
import { fakeAuthorizedUserJson, fakePrivateKeyPem, fakeServiceAccountJson } from '../helpers/keys.js';

const lineOf = (text: string, offset: number) => new LineIndex(text).position(offset).line;
const SA = ['service', '_account'].join('');

describe('service-account structure', () => {
  it('reports one match per key file, on the private_key line', () => {
    const text = fakeServiceAccountJson();
    const matches = matchStructure('service-account', text);
    expect(matches).toHaveLength(1);
    const line = text.split('\n').findIndex((l) => l.includes('"private_key"')) + 1;
    expect(lineOf(text, matches[0]!.start)).toBe(line);
    // The claim covers the whole object.
    expect(matches[0]!.claimStart).toBe(0);
    expect(matches[0]!.claimEnd).toBe(text.lastIndexOf('}') + 1);
  });

  it('gives the same secret for the file and its JSON-escaped copy', () => {
    const json = fakeServiceAccountJson();
    const escaped = `GOOGLE_CREDENTIALS=${JSON.stringify(JSON.stringify(JSON.parse(json)))}`;
    const [plain] = matchStructure('service-account', json);
    const [inEnv] = matchStructure('service-account', escaped);
    expect(inEnv?.secret).toBe(plain?.secret);
    expect(inEnv?.escaped).toBe(true);
  });

  it('reads a YAML block scalar and reports it on the private_key line', () => {
    const pem = fakePrivateKeyPem().trimEnd().split('\n').map((l) => `    ${l}`).join('\n');
    const text = `gcp:\n  type: ${SA}\n  project_id: acme\n  private_key: |\n${pem}\n  client_email: a@acme.iam.gserviceaccount.com\nnext: 1\n`;
    const [m] = matchStructure('service-account', text);
    expect(m).toBeDefined();
    expect(lineOf(text, m!.start)).toBe(4);
    // No braces: the claim stops at the key, so later lines keep their own findings.
    expect(m!.claimEnd).toBeLessThan(text.indexOf('next: 1'));
  });

  it('reads GOOGLE_PRIVATE_KEY beside a service-account e-mail in a .env file', () => {
    const pem = fakePrivateKeyPem().replace(/\n/g, '\\n');
    const text = `GOOGLE_SERVICE_ACCOUNT_EMAIL=bot@acme-1.iam.gserviceaccount.com\nGOOGLE_PRIVATE_KEY="${pem}"\n`;
    const [m] = matchStructure('service-account', text);
    expect(m && lineOf(text, m.start)).toBe(2);
  });

  it('reads a private key under a Google name without its e-mail (FIREBASE_PRIVATE_KEY, GOOGLE_PRIVATE_KEY)', () => {
    const pem = fakePrivateKeyPem().replace(/\n/g, '\\n');
    for (const name of ['GOOGLE_PRIVATE_KEY', 'FIREBASE_PRIVATE_KEY', 'gcp_private_key']) {
      const text = `SPREADSHEET_ID=1x\n${name}="${pem}"\n`;
      expect(matchStructure('service-account', text), name).toHaveLength(1);
    }
    expect(matchStructure('service-account', `JWT_PRIVATE_KEY="${pem}"\n`)).toEqual([]);
  });

  it('claims only the key in a brace-less file, so keys between its fields keep their findings', () => {
    const pem = fakePrivateKeyPem().replace(/\n/g, '\\n');
    const text = `FIREBASE_CLIENT_EMAIL=bot@acme-1.iam.gserviceaccount.com\nGEMINI_API_KEY=other\nFIREBASE_PRIVATE_KEY="${pem}"\n`;
    const [m] = matchStructure('service-account', text);
    expect(m!.claimStart).toBe(m!.start);
    expect(m!.claimStart).toBeGreaterThan(text.indexOf('GEMINI_API_KEY'));
  });

  it('claims braces only when they hold the key file, not a neighbouring object', () => {
    const pem = fakePrivateKeyPem().replace(/\n/g, '\\n');
    const text = `X={"a": 1}\nFIREBASE_CLIENT_EMAIL=bot@acme-1.iam.gserviceaccount.com\nK=v\nFIREBASE_PRIVATE_KEY="${pem}"\nY={"b": 2}\n`;
    const [m] = matchStructure('service-account', text);
    expect(m!.claimStart).toBe(m!.start);
  });

  it('ignores placeholder keys and PEMs without a service-account anchor', () => {
    const fake = `{"type": "${SA}", "private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC...\\n-----END PRIVATE KEY-----\\n"}`;
    expect(matchStructure('service-account', fake)).toEqual([]);
    expect(matchStructure('service-account', `{"private_key": ${JSON.stringify(fakePrivateKeyPem())}}`)).toEqual([]);
  });
});

describe('authorized-user structure', () => {
  it('reports the refresh token line', () => {
    const text = fakeAuthorizedUserJson(5);
    const [m] = matchStructure('authorized-user', text);
    const line = text.split('\n').findIndex((l) => l.includes('refresh_token')) + 1;
    expect(m && lineOf(text, m.start)).toBe(line);
  });

  it('claims a brace-less (YAML) file from its type to the token, so its client_secret is not a finding of its own', () => {
    const text = `type: authorized_user\nclient_id: 1-abc.apps.googleusercontent.com\nclient_secret: x\n${fakeAuthorizedUserJson(6).match(/"refresh_token": "([^"]+)"/)![0].replace(/"/g, '').replace(/^refresh_token: /, 'refresh_token: ')}\n`;
    const [m] = matchStructure('authorized-user', text);
    expect(m).toBeDefined();
    expect(m!.claimStart).toBe(0);
  });

  it('ignores a placeholder refresh token', () => {
    const text = fakeAuthorizedUserJson(5).replace(/"refresh_token": "[^"]+"/, '"refresh_token": "<your-refresh-token>"');
    expect(matchStructure('authorized-user', text)).toEqual([]);
  });
});
