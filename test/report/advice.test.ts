// The advice pieces: git advice lines, first checklist steps, credential-file steps and the warning lines of
// warn-only findings.
import { describe, expect, it } from 'vitest';
import { fileHygiene, hygieneSteps, isJsonFile, isSecretsFile, renderFalsePositiveAdvice, renderGitAdvice, renderWarning, shellPath } from '../../src/report/advice.js';
import type { Finding, ScanResult } from '../../src/types.js';
import { renderChecklist } from '../../src/report/response.js';

const finding = (over: Partial<Finding>): Finding => ({
  ruleId: 'google-api-key', title: 'Google API key', severity: 'high', kind: 'google-api-key', file: '.env', line: 1, column: 1, endLine: 1, endColumn: 40,
  secret: 'AIza…abcd', credential: 'c1', fingerprint: 'c1:.env', entropy: 4.5, exposure: 'server', excerpt: 'K=AIza…abcd', ...over,
});

describe('advice by file type', () => {
  it('knows a file of secrets by its name, templates aside', () => {
    for (const f of ['.env', 'web/.env.production', '.env.local', 'keys/acme-firebase-adminsdk-x1-0a.json', 'client_secret_123.json', 'sa.p12']) expect(isSecretsFile(f), f).toBe(true);
    for (const f of ['.env.example', 'config/.env.sample', '.envrc', 'src/env.ts', 'app.json', 'src/dotenv.js']) expect(isSecretsFile(f), f).toBe(false);
  });

  it('never tells a JSON file to take a keyguard:allow comment', () => {
    expect(isJsonFile('firebase.json')).toBe(true);
    expect(isJsonFile('tsconfig.jsonc')).toBe(false);
    const json = renderFalsePositiveAdvice(['config/keys.json']);
    expect(json).toContain('JSON cannot hold a keyguard:allow comment');
    expect(json).toContain('.keyguard.yaml');
    expect(json).not.toMatch(/add a keyguard:allow comment/);
    expect(renderFalsePositiveAdvice(['src/a.ts'])).toBe('a false positive? a keyguard:allow comment on that line, or an allowlist entry in .keyguard.yaml');
    expect(renderFalsePositiveAdvice(['src/a.ts', 'b.json'])).toContain('in b.json, JSON that cannot hold comments');
  });

  it('takes a tracked .env holding a key out of git instead of asking to edit it', () => {
    const h = fileHygiene([finding({ git: 'tracked', file: 'web/.env' }), finding({ git: 'tracked', file: 'src/a.js' })]);
    expect(h.untrack).toEqual(['web/.env']);
    expect(hygieneSteps(h)[0]).toBe('Take the file of secrets out of git; it stays on disk for the application: `git rm --cached web/.env`, add `/web/.env` to .gitignore, and commit. This does not unpublish what was committed: rotate as below.');
    // A file found by its name has its own step (credential-file kind), so no second one here.
    expect(fileHygiene([finding({ git: 'tracked', file: '.env', match: 'path' })]).untrack).toEqual([]);
  });

  it('tells a staged .env to leave git, and staged code to read the key from the environment', () => {
    const base = { history: false, client: false, firebase: false, notInGit: false, staged: true };
    const env = renderChecklist('gemini-auth-key', { ...base, secretsFile: true, files: fileHygiene([finding({ file: '.env' })]) }).notes[0]!;
    expect(env).toContain('`git rm --cached .env`');
    expect(env).not.toContain('environment variable');
    const code = renderChecklist('gemini-auth-key', { ...base, files: fileHygiene([finding({ file: 'src/a.ts' })]) }).notes[0]!;
    expect(code).toContain('load it from an environment variable');
  });
});

describe('advice', () => {
  it('renders one git line per status, with the fix', () => {
    expect(renderGitAdvice(finding({ git: 'tracked' }))).toBe('git: tracked, so it is in the repository: rotation required');
    expect(renderGitAdvice(finding({ git: 'untracked', file: 'web/.env', gitignore: '/web/.env' }))).toBe('git: untracked and not ignored, one `git add .` away from a leak: add `/web/.env` to .gitignore');
    expect(renderGitAdvice(finding({ git: 'ignored', fileMode: '644' }))).toBe('git: ignored, a local secret that git does not see; readable by group or others (mode 644): `chmod 600 .env`');
    expect(renderGitAdvice(finding({ git: 'ignored' }))).toBe('git: ignored, a local secret that git does not see');
    expect(renderGitAdvice(finding({}))).toBeUndefined();
  });

  it('puts the .gitignore and chmod steps first, quoting paths that need it', () => {
    const h = fileHygiene([finding({ git: 'untracked', file: 'my app/.env', gitignore: '/my app/.env', fileMode: '644' }), finding({ git: 'tracked', file: 'src/a.js' })]);
    expect(h).toEqual({ files: ['my app/.env', 'src/a.js'], tracked: ['src/a.js'], gitignore: ['/my app/.env'], chmod: ['my app/.env'], untrack: [] });
    expect(hygieneSteps(h)).toEqual([
      "Before anything else, keep the file out of commits: add `/my app/.env` to the .gitignore at the repository root (`printf '%s\\n' '/my app/.env' >> .gitignore`).",
      "Make it readable only by you: `chmod 600 'my app/.env'`.",
    ]);
    expect(shellPath("it's")).toBe(`'it'\\''s'`);
  });

  it('tells a credential file outside git to check what it holds, and one in git to stop tracking it', () => {
    const h = fileHygiene([finding({ file: 'k.p12', git: 'tracked', match: 'path' })]);
    // Their steps are rules/kinds/credential-file.yaml's, with the file hygiene of the situation.
    const steps = (over: { notInGit: boolean; staged: boolean }) => renderChecklist('credential-file', { history: false, client: false, firebase: false, files: h, ...over }).steps;
    expect(steps({ notInGit: true, staged: false })[1]).toContain('If it was ever committed, pushed or shared');
    expect(steps({ notInGit: false, staged: false }).at(-1)).toBe('Stop tracking it: `git rm --cached k.p12`, add its name to `.gitignore`, and commit.');
    expect(steps({ notInGit: false, staged: true }).at(-1)).toContain('Unstage it');
    // Staged outranks "not in git": a staged file is about to be committed.
    expect(steps({ notInGit: true, staged: true }).at(-1)).toContain('Unstage it');
  });

  it('words the warning for scan and history', () => {
    const env = finding({ ruleId: 'env-file', kind: 'credential-file', title: '.env file' });
    const warn = (mode: ScanResult['mode'], f: typeof env) => renderWarning(f, mode);
    expect(warn('scan', { ...env, git: 'tracked' })).toMatch(/^\.env is tracked by git \(\.env file\), with no credential .*rotate that secret, then stop tracking the file \(git rm --cached \.env\)/);
    expect(warn('scan', { ...env, git: 'untracked', gitignore: '/.env' })).toMatch(/^\.env is untracked and not ignored .*add \/\.env to \.gitignore before a `git add \.` commits it/);
    expect(warn('scan', { ...env, git: 'ignored' })).toMatch(/keep it readable only by you \(chmod 600 \.env\)$/);
    expect(warn('scan', env)).toMatch(/^\.env is a credential file by its name/);
    expect(warn('history', { ...env, commit: 'abcdef0123456789' })).toMatch(/^\.env was committed in abcdef012345 /);
  });
});
