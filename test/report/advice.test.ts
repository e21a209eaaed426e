// The advice pieces: git advice lines, first checklist steps, credential-file steps and the warning lines of
// warn-only findings.
import { describe, expect, it } from 'vitest';
import { fileHygiene, hygieneSteps, renderGitAdvice, renderWarning, shellPath } from '../../src/report/advice.js';
import type { Finding, ScanResult } from '../../src/types.js';
import { renderChecklist } from '../../src/report/response.js';

const finding = (over: Partial<Finding>): Finding => ({
  ruleId: 'google-api-key', title: 'Google API key', severity: 'high', kind: 'google-api-key', file: '.env', line: 1, column: 1, endLine: 1, endColumn: 40,
  secret: 'AIza…abcd', credential: 'c1', fingerprint: 'c1:.env', entropy: 4.5, exposure: 'server', excerpt: 'K=AIza…abcd', ...over,
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
    expect(h).toEqual({ files: ['my app/.env', 'src/a.js'], tracked: ['src/a.js'], gitignore: ['/my app/.env'], chmod: ['my app/.env'] });
    expect(hygieneSteps(h)).toEqual([
      "Before anything else, keep the file out of commits: add `/my app/.env` to the .gitignore at the repository root (`printf '%s\\n' '/my app/.env' >> .gitignore`).",
      "Make it readable only by you: `chmod 600 'my app/.env'`.",
    ]);
    expect(shellPath("it's")).toBe(`'it'\\''s'`);
  });

  it('tells a credential file outside git to check what it holds, and one in git to stop tracking it', () => {
    const h = fileHygiene([finding({ file: 'k.p12', git: 'tracked' })]);
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
