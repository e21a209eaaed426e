// `--verify` end to end through the CLI, against a local stand-in for the Gemini API: one request per key, verdicts in
// every output, the key only ever in the request header.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { createRepo, tempDir } from '../helpers/git-repo.js';
import { startGoogleStub, type GoogleStub, type StubCase } from '../helpers/google-stub.js';
import { fakeClientSecret, fakeGeminiAuthKey, fakeGoogleApiKey } from '../helpers/keys.js';

const keys: Record<string, { key: string; case: StubCase }> = {
  live: { key: fakeGoogleApiKey(201), case: 'live' },
  liveAuth: { key: fakeGeminiAuthKey(202), case: 'live' },
  invalid: { key: fakeGoogleApiKey(203), case: 'invalid' },
  expired: { key: fakeGeminiAuthKey(204), case: 'expired' },
  blocked: { key: fakeGoogleApiKey(205), case: 'service-blocked' },
  referrer: { key: fakeGoogleApiKey(206), case: 'referrer-blocked' },
  suspended: { key: fakeGoogleApiKey(207), case: 'suspended' },
  limited: { key: fakeGoogleApiKey(208), case: 'rate-limited' },
  broken: { key: fakeGoogleApiKey(209), case: 'server-error' },
  hang: { key: fakeGoogleApiKey(210), case: 'hang' },
};
const clientSecret = fakeClientSecret(211);
const allSecrets = [...Object.values(keys).map((k) => k.key), clientSecret];

let stub: GoogleStub;
let dir: string;
beforeAll(async () => {
  stub = await startGoogleStub(new Map(Object.values(keys).map((k) => [k.key, k.case])));
  dir = tempDir('keyguard-verify-');
  mkdirSync(join(dir, 'src'));
  const lines = Object.entries(keys).map(([name, k]) => `export const ${name} = "${k.key}";`);
  writeFileSync(join(dir, 'src/keys.js'), `${lines.join('\n')}\n`);
  // The live key twice more, in another file: still one request.
  writeFileSync(join(dir, 'src/again.py'), `GOOGLE_API_KEY = "${keys['live']!.key}"\nclient = genai.Client(api_key="${keys['live']!.key}")\n`);
  writeFileSync(join(dir, 'client_secret.json'), JSON.stringify({ installed: { client_id: '1234-abc.apps.googleusercontent.com', client_secret: clientSecret } }));
});
afterAll(async () => {
  await stub.close();
});

const env = (): NodeJS.ProcessEnv => ({ KEYGUARD_GOOGLE_API_BASE: stub.base, HTTPS_PROXY: '', HTTP_PROXY: '', https_proxy: '', http_proxy: '' });

function expectNoSecret(text: string): void {
  for (const s of allSecrets) expect(text).not.toContain(s);
}

describe('keyguard scan --verify', () => {
  it('classifies each key once, puts live keys first, and never prints a key', async () => {
    stub.requests.length = 0;
    const res = await runCli(['scan', '.', '--verify', '--verify-timeout', '0.5', '--no-gitignore'], { cwd: dir, env: env() });
    expect(res.exitCode).toBe(1);
    expect(stub.requests).toHaveLength(Object.keys(keys).length);
    for (const r of stub.requests) {
      expect(r.url).toBe('/v1beta/models');
      expect(allSecrets).toContain(r.headers['x-goog-api-key']);
    }
    expect(res.stderr).toContain('keyguard: verify: 2 live, 3 invalid, 2 restricted, 3 errors, 1 unverifiable; act now: 2 live keys');
    const response = res.stdout.slice(res.stdout.indexOf('Leak response'));
    expect(response.split('\n').filter((l) => /^\S.*\d\) /.test(l)).slice(0, 2).every((l) => l.startsWith('ACT NOW · live'))).toBe(true);
    expect(res.stdout).toContain('verified restricted: API_KEY_SERVICE_BLOCKED:');
    expect(res.stdout).toContain('verified error: no answer within 0.5 s (--verify-timeout)');
    expectNoSecret(res.stdout + res.stderr);
  });

  it('puts the verdict in JSON, SARIF, the job summary, annotations and JUnit', async () => {
    const summary = join(tempDir('keyguard-summary-'), 'summary.md');
    const run = (format: string, extra: NodeJS.ProcessEnv = {}) => runCli(['scan', '.', '--verify', '--verify-timeout', '0.5', '--format', format], { cwd: dir, env: { ...env(), ...extra } });
    const json = await run('json');
    const doc = JSON.parse(json.stdout) as { findings: { file: string; kind: string; credential: string; verification?: { status: string; reason: string } }[] };
    const byKind = (kind: string) => doc.findings.filter((f) => f.kind === kind).map((f) => f.verification?.status);
    expect(new Set(byKind('oauth-client-secret'))).toEqual(new Set(['unverified']));
    expect(doc.findings.every((f) => f.verification)).toBe(true);
    const liveCredential = doc.findings.find((f) => f.file === 'src/again.py')!.credential;
    expect(doc.findings.filter((f) => f.credential === liveCredential).map((f) => f.verification?.status)).toEqual(['live', 'live', 'live']);
    const sarif = await run('sarif');
    const log = JSON.parse(sarif.stdout) as { runs: { results: { properties: { verification?: { status: string } } }[] }[] };
    expect(log.runs[0]!.results.every((r) => r.properties.verification?.status)).toBe(true);
    const github = await run('github', { GITHUB_STEP_SUMMARY: summary });
    expect(github.stdout).toContain('Verified live:');
    const { readFileSync } = await import('node:fs');
    const md = readFileSync(summary, 'utf8');
    expect(md).toContain('| Verified |');
    expect(md).toContain('| **live** |');
    const junit = await run('junit');
    expect(junit.stdout).toContain('verified invalid: API_KEY_INVALID');
    for (const r of [json, sarif, github, junit]) expectNoSecret(r.stdout + r.stderr);
    expectNoSecret(md);
  });

  it('sends nothing without --verify, and a wrong option or base URL is exit 2', async () => {
    stub.requests.length = 0;
    const plain = await runCli(['scan', '.', '--format', 'json'], { cwd: dir, env: env() });
    expect(plain.exitCode).toBe(1);
    expect(JSON.parse(plain.stdout).findings.some((f: { verification?: unknown }) => f.verification)).toBe(false);
    const badTimeout = await runCli(['scan', '.', '--verify', '--verify-timeout', '0'], { cwd: dir, env: env() });
    expect(badTimeout.exitCode).toBe(2);
    expect(badTimeout.stderr.trim().split('\n')).toHaveLength(1);
    expect(badTimeout.stderr).toContain('--verify-timeout');
    const badBase = await runCli(['scan', '.', '--verify'], { cwd: dir, env: { ...env(), KEYGUARD_GOOGLE_API_BASE: 'ftp://example.invalid' } });
    expect(badBase.exitCode).toBe(2);
    expect(badBase.stderr).toContain('KEYGUARD_GOOGLE_API_BASE');
    expect(stub.requests).toHaveLength(0);
  });

  it('the pre-commit path (keyguard staged) never verifies unless asked', async () => {
    const repo = createRepo();
    try {
      repo.write('app.js', `const k = "${keys['live']!.key}";\n`);
      repo.git('add', 'app.js');
      stub.requests.length = 0;
      const res = await runCli(['staged'], { cwd: repo.dir, env: env() });
      expect(res.exitCode).toBe(1);
      expect(stub.requests).toHaveLength(0);
      const asked = await runCli(['staged', '--verify'], { cwd: repo.dir, env: env() });
      expect(asked.exitCode).toBe(1);
      expect(stub.requests).toHaveLength(1);
      expect(asked.stderr).toContain('verify: 1 live');
      expectNoSecret(asked.stdout + asked.stderr);
    } finally {
      repo.cleanup();
    }
  });

  it('history --verify checks each key once however many commits hold it', async () => {
    const repo = createRepo();
    try {
      repo.write('a.js', `const k = "${keys['invalid']!.key}";\n`);
      repo.git('add', '.');
      repo.commit('one');
      repo.write('b.js', `const k = "${keys['invalid']!.key}";\n`);
      repo.git('add', '.');
      repo.commit('two');
      stub.requests.length = 0;
      const res = await runCli(['history', '--verify', '--format', 'json'], { cwd: repo.dir, env: env() });
      expect(res.exitCode).toBe(1);
      expect(stub.requests).toHaveLength(1);
      expect(JSON.parse(res.stdout).findings.map((f: { verification: { status: string } }) => f.verification.status)).toEqual(['invalid', 'invalid']);
    } finally {
      repo.cleanup();
    }
  });
});
