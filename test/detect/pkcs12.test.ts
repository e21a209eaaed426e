// PKCS#12 by content: real key stores made at test time with openssl, judged by classifyPkcs12 through node-forge.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyPkcs12, refinePkcs12Finding, type Pkcs12Parser } from '../../src/detect/pkcs12.js';
import { loadPkcs12Parser } from '../../src/detect/pkcs12-forge.js';
import { detectPath } from '../../src/detect/paths.js';
import { builtinRuleSet } from '../helpers/rules.js';

let dir: string;
let parse: Pkcs12Parser;
const file = (name: string) => readFileSync(join(dir, name));
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
/** The key's PKCS#8 body, as a PEM holds it. */
let pkcs8: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'keyguard-p12-'));
  openssl('genpkey', '-algorithm', 'rsa', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', 'key.pem');
  openssl('req', '-new', '-x509', '-key', 'key.pem', '-out', 'cert.pem', '-days', '1', '-subj', '/CN=sa@acme.iam.gserviceaccount.com');
  const pass = (p: string) => ['-passout', `pass:${p}`];
  // As Google issued them: the legacy algorithms (RC2 and 3DES), friendly name privatekey.
  openssl('pkcs12', '-export', '-legacy', '-in', 'cert.pem', '-inkey', 'key.pem', '-name', 'privatekey', ...pass('notasecret'), '-out', 'google-legacy.p12');
  openssl('pkcs12', '-export', '-in', 'cert.pem', '-inkey', 'key.pem', ...pass('notasecret'), '-out', 'modern.p12');
  openssl('pkcs12', '-export', '-nocerts', '-inkey', 'key.pem', ...pass('notasecret'), '-out', 'key-only.pfx');
  openssl('pkcs12', '-export', '-in', 'cert.pem', '-inkey', 'key.pem', ...pass('s3cret-Passw0rd'), '-out', 'tls.pfx');
  openssl('pkcs12', '-export', '-nokeys', '-in', 'cert.pem', ...pass('notasecret'), '-out', 'truststore.p12');
  writeFileSync(join(dir, 'text.p12'), 'not a key store, just a note about p12 files\n');
  writeFileSync(join(dir, 'random.p12'), Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 7919 + 13) % 251)));
  writeFileSync(join(dir, 'pem.p12'), readFileSync(join(dir, 'cert.pem')));
  writeFileSync(join(dir, 'empty.p12'), '');
  pkcs8 = readFileSync(join(dir, 'key.pem'), 'utf8').split('\n').filter((l) => l && !l.startsWith('-----')).join('');
  parse = await loadPkcs12Parser();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('classifyPkcs12', () => {
  it.each(['google-legacy.p12', 'modern.p12', 'key-only.pfx'])('%s opens with notasecret and holds a key: a service-account key', (name) => {
    expect(classifyPkcs12(file(name), parse)).toEqual({ verdict: 'service-account', key: pkcs8 });
  });

  it('a PKCS#12 file with another password is a key store of unknown owner', () => {
    expect(classifyPkcs12(file('tls.pfx'), parse)).toEqual({ verdict: 'pkcs12' });
  });

  it('a PKCS#12 file that opens but holds no private key stays a key store by its name', () => {
    expect(classifyPkcs12(file('truststore.p12'), parse)).toEqual({ verdict: 'pkcs12' });
  });

  it.each(['text.p12', 'random.p12', 'pem.p12', 'empty.p12'])('%s is not PKCS#12 at all', (name) => {
    expect(classifyPkcs12(file(name), parse)).toEqual({ verdict: 'not-pkcs12' });
  });
});

describe('refinePkcs12Finding', () => {
  const set = builtinRuleSet();
  const byName = (path: string) => detectPath({ path }, set).find((f) => f.ruleId === 'pkcs12-key-file')!;

  it('turns the path finding of a notasecret key store into a critical service-account key', () => {
    const refined = refinePkcs12Finding(byName('keys/acme-5f0c3e1d.p12'), classifyPkcs12(file('google-legacy.p12'), parse))!;
    expect(refined).toMatchObject({ ruleId: 'google-service-account-key', severity: 'critical', kind: 'service-account-key', file: 'keys/acme-5f0c3e1d.p12' });
    expect(refined.rawSecret).toBe(pkcs8);
  });

  it('keeps a key store of unknown owner at medium and drops a file that is not PKCS#12', () => {
    const finding = byName('certs/tls.pfx');
    expect(refinePkcs12Finding(finding, classifyPkcs12(file('tls.pfx'), parse))).toEqual(finding);
    expect(refinePkcs12Finding(finding, classifyPkcs12(file('text.p12'), parse))).toBeUndefined();
  });
});

describe('refinePkcs12Findings (what the scan root calls)', () => {
  it('reads each .p12/.pfx finding once through the reader it is given, and leaves other findings alone', async () => {
    const { refinePkcs12Findings } = await import('../../src/sources/pkcs12-content.js');
    const set = builtinRuleSet();
    const raw = ['sa.p12', 'tls.pfx', 'notes.p12', '.env'].flatMap((path) => detectPath({ path }, set));
    const files: Record<string, string> = { 'sa.p12': 'google-legacy.p12', 'tls.pfx': 'tls.pfx', 'notes.p12': 'text.p12' };
    const read: string[] = [];
    const out = await refinePkcs12Findings(raw, async (f) => {
      read.push(f.file);
      return file(files[f.file]!);
    });
    expect(read.sort()).toEqual(['notes.p12', 'sa.p12', 'tls.pfx']);
    expect(out.map((f) => [f.file, f.ruleId, f.severity])).toEqual([
      ['sa.p12', 'google-service-account-key', 'critical'],
      ['tls.pfx', 'pkcs12-key-file', 'medium'],
      ['.env', 'env-file', 'low'],
    ]);
  });
});

describe('a damaged key store', () => {
  it('keeps its finding by name when it starts as a PFX but does not parse', async () => {
    const { startsLikePfx, classifyPkcs12 } = await import('../../src/detect/pkcs12.js');
    const { loadPkcs12Parser } = await import('../../src/detect/pkcs12-forge.js');
    const head = Buffer.from([0x30, 0x82, 0x09, 0xf1, 0x02, 0x01, 0x03, 0x30, 0x82, 0x09, 0xb7, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0xa0]);
    const damaged = Buffer.concat([head, Buffer.alloc(64, 0x41)]);
    expect(startsLikePfx(damaged)).toBe(true);
    expect(startsLikePfx(Buffer.from('not a key store'))).toBe(false);
    const parse = await loadPkcs12Parser();
    expect(classifyPkcs12(damaged, parse).verdict).toBe('pkcs12');
    expect(classifyPkcs12(Buffer.from('plain text, named .p12'), parse).verdict).toBe('not-pkcs12');
  });
});
