// Key hygiene through the CLI on real repositories: where each finding's file sits in git (tracked, untracked,
// ignored), credential files by name in scan, staged and history, and the advice that fixes each.
import { describe, expect, it } from 'vitest';
import { chmodSync } from 'node:fs';
import { join } from 'node:path';
import { gitEnv, type TempRepo, useTempRepos } from '../helpers/git-repo.js';
import { runCli } from '../helpers/cli.js';
import { fakeGoogleApiKey, fakeGeminiAuthKey, fakeServiceAccountJson } from '../helpers/keys.js';
import type { Finding } from '../../src/types.js';

const repo = useTempRepos();

interface Report {
  findings: Finding[];
  notes?: string[];
}

async function cli(r: TempRepo, args: string[]) {
  const res = await runCli(args, { cwd: r.dir, env: gitEnv() });
  const json = args.includes('json') && res.stdout ? (JSON.parse(res.stdout) as Report) : undefined;
  return { ...res, json };
}

const byFile = (findings: Finding[]) => Object.fromEntries(findings.map((f) => [f.file, f]));
const key = fakeGoogleApiKey(31);
const authKey = fakeGeminiAuthKey(32);

/** A repository with a tracked .env holding a key, an untracked unignored one, and an ignored one. */
function threeEnvRepo(): TempRepo {
  const r = repo();
  r.write('.gitignore', 'local/\n');
  r.write('.env', `GEMINI_API_KEY=${authKey}\n`);
  r.git('add', '.');
  r.commit('init');
  r.write('web/.env', `GOOGLE_API_KEY=${key}\n`);
  r.write('local/.env', `GOOGLE_API_KEY=${key}\n`);
  chmodSync(join(r.dir, 'web/.env'), 0o644);
  chmodSync(join(r.dir, 'local/.env'), 0o644);
  return r;
}

describe('keyguard scan: where each key sits in git', () => {
  it('says tracked, or untracked with the .gitignore line; ignored files are not scanned by default', async () => {
    const r = threeEnvRepo();
    const res = await cli(r, ['scan', '.', '--format', 'json']);
    expect(res.exitCode).toBe(1);
    const found = byFile(res.json!.findings);
    expect(Object.keys(found).sort()).toEqual(['.env', 'web/.env']);
    expect(found['.env']).toMatchObject({ ruleId: 'gemini-auth-key', git: 'tracked', severity: 'critical' });
    expect(found['.env']!.gitignore).toBeUndefined();
    expect(found['web/.env']).toMatchObject({ ruleId: 'google-api-key', git: 'untracked', gitignore: '/web/.env', fileMode: '644', severity: 'high' });
    // The content finding stands for the file: no second finding for the name .env.
    expect(res.json!.findings.filter((f) => f.ruleId === 'env-file')).toEqual([]);
    expect(res.stdout).not.toContain(key);
  });

  it('prints the advice in text: rotation for tracked, the .gitignore line for untracked', async () => {
    const r = threeEnvRepo();
    const res = await cli(r, ['scan', '.']);
    expect(res.stdout).toContain('git: tracked, so it is in the repository: rotation required');
    expect(res.stdout).toContain('git: untracked and not ignored, one `git add .` away from a leak: add `/web/.env` to .gitignore');
    expect(res.stdout).toContain("printf '%s\\n' /web/.env >> .gitignore");
    expect(res.stdout).toContain('It is in a file git tracks');
    expect(res.stdout).not.toContain('local/.env');
  });

  it('with --no-gitignore reports an ignored file as a low-severity local secret, with chmod 600 only when others can read it', async () => {
    const r = threeEnvRepo();
    const res = await cli(r, ['scan', '.', '--no-gitignore', '--format', 'json']);
    const local = byFile(res.json!.findings)['local/.env']!;
    expect(local).toMatchObject({ ruleId: 'google-api-key', git: 'ignored', severity: 'low', fileMode: '644' });
    expect(local.gitignore).toBeUndefined();
    const text = await cli(r, ['scan', '.', '--no-gitignore']);
    expect(text.stdout).toContain('git: ignored, a local secret that git does not see; readable by group or others (mode 644): `chmod 600 local/.env`');
    expect(text.stdout).toMatch(/Make them readable only by you: `chmod 600 (web\/\.env local\/\.env|local\/\.env web\/\.env)`/);

    chmodSync(join(r.dir, 'local/.env'), 0o600);
    const private600 = await cli(r, ['scan', 'local', '--no-gitignore', '--format', 'json']);
    const again = byFile(private600.json!.findings)['local/.env']!;
    expect(again).toMatchObject({ git: 'ignored', severity: 'low' });
    expect(again.fileMode).toBeUndefined();
    const text600 = await cli(r, ['scan', 'local', '--no-gitignore']);
    expect(text600.stdout).not.toContain('chmod 600');
  });

  it('gives files named on the command line their git status too (an ignored one is scanned, as a local secret)', async () => {
    const r = threeEnvRepo();
    const res = await cli(r, ['scan', 'local/.env', '.env', 'web/.env', '--format', 'json']);
    const found = byFile(res.json!.findings);
    expect(Object.fromEntries(Object.entries(found).map(([file, f]) => [file, [f.git, f.severity]]))).toEqual({
      '.env': ['tracked', 'critical'],
      'local/.env': ['ignored', 'low'],
      'web/.env': ['untracked', 'high'],
    });
    expect(found['web/.env']!.gitignore).toBe('/web/.env');
    // From a subfolder, the .gitignore line is still for the root .gitignore.
    const sub = await runCli(['scan', '.env', '--format', 'json'], { cwd: join(r.dir, 'web'), env: gitEnv() });
    expect((JSON.parse(sub.stdout) as Report).findings[0]).toMatchObject({ file: '.env', git: 'untracked', gitignore: '/web/.env' });
  });

  it('finds credential files by name, binary ones too, and leaves examples and certificates alone', async () => {
    const r = repo();
    // The opening of a PKCS#12 PFX (version 3, PKCS#7 data), cut short: a damaged key store is still reported by name.
    r.write('keys/legacy.p12', Buffer.from([0x30, 0x82, 0x0a, 0x00, 0x02, 0x01, 0x03, 0x30, 0x82, 0x09, 0xb7, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0xa0, 0x00]));
    r.write('service-account.json', '{ "note": "the real one is in the vault" }\n');
    r.write('.env.example', 'GEMINI_API_KEY=\n');
    r.write('certs/server.crt', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    r.write('certs/server.key', 'not shown\n');
    // A dotfiles folder with gcloud's SQLite credential store; another app's credentials.db is not reported.
    r.write('home/.config/gcloud/credentials.db', Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(64)]));
    r.write('app/data/credentials.db', Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.alloc(64)]));
    // The Python quickstarts' pickled user token, beside a tokenizer's pickle.
    r.write('quickstart/token.pickle', Buffer.from([0x80, 0x04, 0x95, 0x00, 0x00, 0x00]));
    r.write('models/tokenizer.pickle', Buffer.from([0x80, 0x04, 0x95, 0x00, 0x00, 0x00]));
    r.git('add', '.');
    r.commit('init');
    const res = await cli(r, ['scan', '.', '--format', 'json']);
    expect(res.exitCode).toBe(1);
    const found = res.json!.findings.map((f) => [f.file, f.ruleId, f.severity, f.match, f.git]);
    expect(found).toEqual([
      ['certs/server.key', 'private-key-file', 'medium', 'path', 'tracked'],
      ['home/.config/gcloud/credentials.db', 'gcloud-credential-store-file', 'high', 'path', 'tracked'],
      ['keys/legacy.p12', 'pkcs12-key-file', 'medium', 'path', 'tracked'],
      ['quickstart/token.pickle', 'google-oauth-token-pickle-file', 'medium', 'path', 'tracked'],
      ['service-account.json', 'google-service-account-file', 'medium', 'path', 'tracked'],
    ]);
    expect(res.json!.findings[0]!.secret).toBe('certs/server.key');
    const text = await cli(r, ['scan', '.']);
    expect(text.stdout).toContain('MEDIUM  PKCS#12 key file (.p12, .pfx)  keys/legacy.p12\n');
    expect(text.stdout).toContain('Stop tracking it: `git rm --cached keys/legacy.p12`');
  });

  it('a .env file of public settings is a warning in scan and history, not a finding', async () => {
    const r = repo();
    r.write('.env', 'VITE_APP_TITLE=Hello\n');
    r.git('add', '.');
    r.commit('init');
    const res = await cli(r, ['scan', '.', '--format', 'json']);
    expect(res.exitCode).toBe(0);
    expect(res.json!.findings).toEqual([]);
    expect(res.json!.notes).toEqual([expect.stringMatching(/^\.env is tracked by git \(\.env file\), with no credential keyguard recognises in it/)]);
    const text = await cli(r, ['scan', '.']);
    expect(text.exitCode).toBe(0);
    expect(text.stderr).toContain('keyguard: warning: .env is tracked by git');
    const history = await cli(r, ['history', '--format', 'json']);
    expect(history.exitCode).toBe(0);
    expect(history.json!.notes).toEqual([expect.stringMatching(/^\.env was committed in [0-9a-f]{12} /)]);
  });
});

describe('keyguard staged: credential files by name', () => {
  it('blocks a newly staged service-account.json even when its content holds no key', async () => {
    const r = repo();
    r.write('service-account.json', '{ "type": "placeholder" }\n');
    r.git('add', '.');
    const res = await cli(r, ['staged', '--format', 'json']);
    expect(res.exitCode).toBe(1);
    expect(res.json!.findings.map((f) => [f.file, f.ruleId])).toEqual([['service-account.json', 'google-service-account-file']]);
    expect(res.stderr).toContain('keyguard blocked this commit');
  });

  it('lets a template through: a credential file with placeholders where the secrets would be', async () => {
    const r = repo();
    r.write('service-account.json', '{\n  "type": "service_account",\n  "project_id": "your-project-id",\n  "private_key": "-----BEGIN PRIVATE KEY-----\\nYOUR_PRIVATE_KEY\\n-----END PRIVATE KEY-----\\n",\n  "client_email": "sa@your-project-id.iam.gserviceaccount.com"\n}\n');
    r.write('client_secret.json', '{"installed":{"client_id":"<CLIENT_ID>","client_secret":"<CLIENT_SECRET>"}}\n');
    r.git('add', '.');
    const staged = await cli(r, ['staged', '--format', 'json']);
    expect(staged.exitCode).toBe(0);
    expect(staged.json!.findings).toEqual([]);
    const scan = await cli(r, ['scan', '.', '--format', 'json']);
    expect(scan.json!.findings).toEqual([]);
    r.commit('templates');
    const history = await cli(r, ['history', '--format', 'json']);
    expect(history.json!.findings).toEqual([]);
  });

  it('blocks a newly staged .p12', async () => {
    const r = repo();
    r.write('deploy/key.p12', Buffer.from([0x30, 0x82, 0x0a, 0x00, 0x02, 0x01, 0x03, 0x30, 0x82, 0x09, 0xb7, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0xa0, 0x00]));
    r.git('add', '.');
    const res = await cli(r, ['staged']);
    expect(res.exitCode).toBe(1);
    expect(res.stdout).toContain('deploy/key.p12');
    // The hook's advice (stderr) takes a file of secrets out of git; the checklist says the same.
    expect(res.stderr).toContain('git rm --cached deploy/key.p12');
    expect((await cli(r, ['staged', '--checklist'])).stdout).toContain('git rm --cached deploy/key.p12');
  });

  it('only warns (exit 0) for a .env of public settings, and blocks a .env holding a key', async () => {
    const r = repo();
    r.write('.env', 'VITE_APP_TITLE=Hello\nNEXT_PUBLIC_SITE=https://example.org\n');
    r.git('add', '.');
    const res = await cli(r, ['staged']);
    expect(res.exitCode).toBe(0);
    expect(res.stderr).toContain('keyguard: warning: .env is staged (.env file), with no credential keyguard recognises in it');
    expect(res.stderr).toContain('git rm --cached .env');
    expect(res.stderr).not.toContain('blocked');
    const json = await cli(r, ['staged', '--format', 'json']);
    expect(json.exitCode).toBe(0);
    expect(json.json!.findings).toEqual([]);
    expect(json.json!.notes?.[0]).toContain('.env is staged');

    r.write('.env', `VITE_APP_TITLE=Hello\nGEMINI_API_KEY=${authKey}\n`);
    r.git('add', '.');
    const blocked = await cli(r, ['staged', '--format', 'json']);
    expect(blocked.exitCode).toBe(1);
    expect(blocked.json!.findings.map((f) => [f.file, f.ruleId])).toEqual([['.env', 'gemini-auth-key']]);
  });

  it('does not report a credential file already in HEAD that this commit only edits', async () => {
    const r = repo();
    r.write('client_secret.json', '{"installed": {}}\n');
    r.git('add', '.');
    r.commit('init');
    r.write('client_secret.json', '{"installed": {"x": 1}}\n');
    r.git('add', '.');
    expect((await cli(r, ['staged'])).exitCode).toBe(0);
    // --all-lines looks at every staged file whole, names included.
    expect((await cli(r, ['staged', '--all-lines'])).exitCode).toBe(1);
  });
});

describe('keyguard history: credential files by name', () => {
  it('reports a .p12 committed once and deleted later, at the commit that added it', async () => {
    const r = repo();
    r.write('README.md', 'hello\n');
    r.git('add', '.');
    r.commit('init', '2025-01-01T10:00:00Z');
    r.write('keys/old-sa.p12', Buffer.from([0x30, 0x82, 0x0a, 0x00, 0x02, 0x01, 0x03, 0x30, 0x82, 0x09, 0xb7, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0xa0, 0x00]));
    r.git('add', '.');
    const added = r.commit('add key', '2025-02-01T10:00:00Z');
    r.git('rm', '-q', 'keys/old-sa.p12');
    const removed = r.commit('remove key', '2025-03-01T10:00:00Z');
    const res = await runCli(['history', '--format', 'json'], { cwd: r.dir, env: gitEnv() });
    expect(res.exitCode).toBe(1);
    const doc = JSON.parse(res.stdout) as Report & { credentials: { credential: string; presentAtHead: boolean; removed?: { commit: string } }[] };
    expect(doc.findings.map((f) => [f.file, f.ruleId, f.commit, f.severity])).toEqual([['keys/old-sa.p12', 'pkcs12-key-file', added, 'medium']]);
    expect(doc.credentials).toEqual([expect.objectContaining({ credential: doc.findings[0]!.credential, presentAtHead: false, removed: expect.objectContaining({ commit: removed }) })]);
    const text = await runCli(['history'], { cwd: r.dir, env: gitEnv() });
    expect(text.stdout).toContain('It is in git history');
  });

  it('reports a service-account key file once: by its content, not again by its name', async () => {
    const r = repo();
    r.write('service-account.json', fakeServiceAccountJson());
    r.write('config/.env', `GOOGLE_API_KEY=${key}\n`);
    r.write('other/service-account-dev.json', '{"private_key": "none here"}\n');
    r.git('add', '.');
    r.commit('init');
    const res = await runCli(['history', '--format', 'json'], { cwd: r.dir, env: gitEnv() });
    const doc = JSON.parse(res.stdout) as Report;
    expect(doc.findings.map((f) => [f.file, f.ruleId])).toEqual([
      ['config/.env', 'google-api-key'],
      ['other/service-account-dev.json', 'google-service-account-file'],
      ['service-account.json', 'google-service-account-key'],
    ]);
  });
});
