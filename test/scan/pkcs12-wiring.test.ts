// The composition root judges .p12/.pfx files by their bytes in every scope: from disk in a directory scan, from the
// index in the hook, by blob in history. Real key stores made with openssl at test time.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { createRepo, gitEnv, tempDir, type TempRepo } from '../helpers/git-repo.js';
import type { Finding } from '../../src/types.js';

const keys = tempDir();
let repo: TempRepo;

beforeAll(() => {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: keys, stdio: ['ignore', 'pipe', 'pipe'] });
  openssl('genpkey', '-algorithm', 'rsa', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', 'key.pem');
  openssl('req', '-new', '-x509', '-key', 'key.pem', '-out', 'cert.pem', '-days', '1', '-subj', '/CN=sa@acme.iam.gserviceaccount.com');
  openssl('pkcs12', '-export', '-legacy', '-in', 'cert.pem', '-inkey', 'key.pem', '-name', 'privatekey', '-passout', 'pass:notasecret', '-out', 'google.p12');
  openssl('pkcs12', '-export', '-in', 'cert.pem', '-inkey', 'key.pem', '-passout', 'pass:other-Passw0rd', '-out', 'tls.pfx');
  repo = createRepo();
  repo.write('README.md', '# app\n');
  repo.git('add', '-A');
  repo.commit('init');
  copyFileSync(join(keys, 'google.p12'), join(repo.dir, 'sa-key.p12'));
  copyFileSync(join(keys, 'tls.pfx'), join(repo.dir, 'server.pfx'));
  writeFileSync(join(repo.dir, 'notes.p12'), 'not a key store at all\n');
  repo.git('add', '-A');
});
afterAll(() => repo.cleanup());

const found = (stdout: string): [string, string, string][] =>
  (JSON.parse(stdout).findings as Finding[]).map((f) => [f.file, f.ruleId, f.severity] as [string, string, string]).sort();

const expected = [
  ['sa-key.p12', 'google-service-account-key', 'critical'],
  ['server.pfx', 'pkcs12-key-file', 'medium'],
];

describe('PKCS#12 by content, wired in every scope', () => {
  it('staged: reads the index blob', async () => {
    const res = await runCli(['staged', '--format', 'json'], { cwd: repo.dir, env: gitEnv() });
    expect(found(res.stdout)).toEqual(expected);
  });

  it('scan: reads the file on disk', async () => {
    const res = await runCli(['scan', '.', '--format', 'json', '--no-gitignore'], { cwd: repo.dir, env: gitEnv() });
    expect(found(res.stdout)).toEqual(expected);
  });

  it('history: reads the blob of the commit that added it', async () => {
    repo.commit('add key stores');
    const res = await runCli(['history', '--format', 'json'], { cwd: repo.dir, env: gitEnv() });
    expect(found(res.stdout)).toEqual(expected);
  });
});
