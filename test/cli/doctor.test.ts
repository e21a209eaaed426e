// `keyguard doctor` on real repositories: a fresh one (exit 1, each fix printed), one set up with the fixes it
// printed (exit 0), hook managers, tracked credential files, and outside a repository (exit 2).
import { LEFTHOOK_SNIPPET } from '../../src/hook/snippets.js';
import { describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitEnv, tempDir, type TempRepo, useTempRepos } from '../helpers/git-repo.js';
import { runCli } from '../helpers/cli.js';
import { workflowRunsKeyguard, type DoctorReport } from '../../src/doctor/checks.js';

const repo = useTempRepos();

const doctor = (cwd: string, args: string[] = []) => runCli(['doctor', ...args], { cwd, env: gitEnv() });
async function doctorJson(cwd: string): Promise<{ exitCode: number; report: DoctorReport }> {
  const res = await doctor(cwd, ['--format', 'json']);
  return { exitCode: res.exitCode, report: JSON.parse(res.stdout) as DoctorReport };
}
const check = (report: DoctorReport, id: string) => report.checks.find((c) => c.id === id)!;

describe('keyguard doctor', () => {
  it('on a fresh repository: exit 1, and the fix for each missing piece', async () => {
    const r = repo();
    const res = await doctor(r.dir);
    expect(res.exitCode).toBe(1);
    expect(res.stdout).toContain('✗ pre-commit hook: no pre-commit hook (.git/hooks/pre-commit does not exist)');
    expect(res.stdout).toContain('run: npx keyguard install');
    expect(res.stdout).toContain('✗ .gitignore covers credential files: git would not ignore .env, .env.local');
    expect(res.stdout).toMatch(/^ +\.env\.\*$/m);
    expect(res.stdout).toMatch(/^ +\*\.p12$/m);
    expect(res.stdout).toContain("run: printf '%s\\n' '.env' '.env.*' '!.env.example'");
    expect(res.stdout).toContain('✓ no credential file tracked');
    expect(res.stdout).toContain('✗ CI runs keyguard: no GitHub Actions workflow');
    expect(res.stdout).toContain('uses: keyguard-dev/keyguard@v1');
    expect(res.stdout).toContain('keyguard doctor: 3 of 4 checks need attention');
  });

  it('on a repository set up with the fixes it printed: the hook (keyguard install), the .gitignore lines, the action: exit 0', async () => {
    const r = repo();
    const before = await doctorJson(r.dir);
    expect(before.exitCode).toBe(1);
    expect((await runCli(['install'], { cwd: r.dir, env: gitEnv() })).exitCode).toBe(0);
    writeFileSync(join(r.dir, '.gitignore'), `node_modules/\n${check(before.report, 'gitignore').fix!.gitignore!.join('\n')}\n`);
    const file = check(before.report, 'ci').fix!.file!;
    r.write(file.path, file.content);
    const after = await doctor(r.dir);
    expect(after.stdout).toContain('✓ pre-commit hook: keyguard runs from .git/hooks/pre-commit');
    expect(after.stdout).toContain('✓ .gitignore covers credential files');
    expect(after.stdout).toContain('✓ CI runs keyguard: keyguard runs in .github/workflows/keyguard.yml');
    expect(after.stdout).toContain('keyguard doctor: all 4 checks pass');
    expect(after.exitCode).toBe(0);
    // The printed .gitignore command works as well as the lines.
    const r2 = repo();
    const cmd = check((await doctorJson(r2.dir)).report, 'gitignore').fix!.commands[0]!;
    const { execSync } = await import('node:child_process');
    execSync(cmd, { cwd: r2.dir, shell: '/bin/sh' });
    expect(check((await doctorJson(r2.dir)).report, 'gitignore').ok).toBe(true);
  });

  it('--format json: every check with ok, summary and fix', async () => {
    const r = repo();
    const { exitCode, report } = await doctorJson(r.dir);
    expect(exitCode).toBe(1);
    expect(report.ok).toBe(false);
    expect(report.checks.map((c) => [c.id, c.ok])).toEqual([
      ['hook', false],
      ['gitignore', false],
      ['tracked', true],
      ['ci', false],
    ]);
    expect(check(report, 'hook').fix!.commands).toEqual(['npx keyguard install']);
  });

  it('names tracked credential files, with the git rm --cached that stops tracking them', async () => {
    const r = repo();
    r.write('.env', 'VITE_TITLE=x\n');
    r.write('keys/sa.p12', Buffer.from([0x30, 0x82]));
    r.write('.env.example', 'X=\n');
    r.git('add', '.');
    r.commit('init');
    const { report } = await doctorJson(r.dir);
    const tracked = check(report, 'tracked');
    expect(tracked.ok).toBe(false);
    // The .env only warns, as in the hook and the scans; the key file fails the check.
    expect(tracked.items).toEqual(['keys/sa.p12']);
    expect(tracked.fix!.commands[0]).toBe('git rm --cached -- keys/sa.p12');
    expect(tracked.warnings).toHaveLength(1);
    expect(tracked.warnings![0]).toContain('.env is tracked by git');
  });

  it('does not fail a tracked .env.production of public settings, which the hook only warned about', async () => {
    const r = repo();
    r.write('.env.production', 'VITE_API_URL=https://api.example.com\n');
    r.git('add', '.');
    // The hook warns about it, and the commit goes through.
    const staged = await runCli(['staged'], { cwd: r.dir, env: gitEnv() });
    expect(staged.exitCode).toBe(0);
    expect(staged.stderr).toContain('keyguard: warning: .env.production is staged');
    r.commit('settings');
    const { report } = await doctorJson(r.dir);
    const tracked = check(report, 'tracked');
    expect(tracked.ok).toBe(true);
    expect(tracked.fix).toBeUndefined();
    expect(tracked.warnings![0]).toMatch(/^\.env\.production is tracked by git \(\.env file\); the hook and scans only warn about it: keep it only if it holds nothing but public settings/);
    expect(tracked.warnings![0]).not.toMatch(/rotate every credential/);
    const text = await runCli(['doctor'], { cwd: r.dir, env: gitEnv() });
    expect(text.stdout).toContain('✓ no credential file tracked');
    expect(text.stdout).toContain('    warning: .env.production is tracked by git');
  });

  it('recognises husky, lefthook and pre-commit set-ups, and says what is left to do', async () => {
    const husky = repo();
    mkdirSync(join(husky.dir, '.husky'));
    husky.write('.husky/pre-commit', 'npm test\n');
    husky.git('config', 'core.hooksPath', '.husky/_');
    let hook = check((await doctorJson(husky.dir)).report, 'hook');
    expect(hook.fix!.commands).toEqual(['npx keyguard install --husky']);
    husky.write('.husky/pre-commit', 'npm test\nkeyguard staged\n');
    hook = check((await doctorJson(husky.dir)).report, 'hook');
    expect(hook).toMatchObject({ ok: true, summary: 'keyguard runs from .husky/pre-commit (husky)' });

    const lefthook = repo();
    lefthook.write('lefthook.yml', 'pre-commit:\n  jobs:\n    - name: keyguard\n      run: npx --no-install keyguard staged\n');
    hook = check((await doctorJson(lefthook.dir)).report, 'hook');
    expect(hook.fix!.commands).toEqual(['npx lefthook install']);
    lefthook.write('.git/hooks/pre-commit', '#!/bin/sh\n# lefthook\ncall_lefthook run "pre-commit" "$@"\n');
    chmodSync(join(lefthook.dir, '.git/hooks/pre-commit'), 0o755);
    expect(check((await doctorJson(lefthook.dir)).report, 'hook').ok).toBe(true);
    // The job keyguard install --lefthook writes now (keyguard found as the plain hook finds it, no npx).
    lefthook.write('lefthook.yml', LEFTHOOK_SNIPPET);
    expect(check((await doctorJson(lefthook.dir)).report, 'hook').ok).toBe(true);

    const precommit = repo();
    precommit.write('.pre-commit-config.yaml', 'repos:\n  - repo: local\n    hooks:\n      - id: keyguard\n        entry: npx --no-install keyguard staged\n');
    hook = check((await doctorJson(precommit.dir)).report, 'hook');
    expect(hook.fix!.commands).toEqual(['pre-commit install']);
    precommit.write('.git/hooks/pre-commit', '#!/usr/bin/env bash\n# File generated by pre-commit: https://pre-commit.com\n');
    chmodSync(join(precommit.dir, '.git/hooks/pre-commit'), 0o755);
    expect(check((await doctorJson(precommit.dir)).report, 'hook').ok).toBe(true);
  });

  it('honours core.hooksPath for a plain hook, and flags one that is not executable', async () => {
    const r = repo();
    r.git('config', 'core.hooksPath', 'githooks');
    expect((await runCli(['install'], { cwd: r.dir, env: gitEnv() })).exitCode).toBe(0);
    expect(check((await doctorJson(r.dir)).report, 'hook')).toMatchObject({ ok: true, summary: 'keyguard runs from githooks/pre-commit' });
    chmodSync(join(r.dir, 'githooks/pre-commit'), 0o644);
    expect(check((await doctorJson(r.dir)).report, 'hook').fix!.commands).toEqual(['chmod +x githooks/pre-commit']);
  });

  it('outside a git repository: exit 2 with one line', async () => {
    const dir = tempDir();
    const res = await doctor(dir);
    expect(res.exitCode).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toContain('not inside a git work tree; run keyguard doctor in a git repository');
  });

  it('refuses report formats it does not write', async () => {
    const r = repo();
    const res = await doctor(r.dir, ['--format', 'sarif']);
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toContain('--format sarif: keyguard doctor writes text or json');
  });
});

describe('workflowRunsKeyguard', () => {
  it('sees the action and keyguard commands, not other tools', () => {
    expect(workflowRunsKeyguard('steps:\n  - uses: keyguard-dev/keyguard@v1\n')).toBe(true);
    expect(workflowRunsKeyguard("      - uses: 'acme/keyguard@0123abc'\n")).toBe(true);
    expect(workflowRunsKeyguard('      - uses: acme/keyguard-action@v2\n')).toBe(true);
    expect(workflowRunsKeyguard('      - run: npx keyguard history --format sarif\n')).toBe(true);
    expect(workflowRunsKeyguard('      - run: |\n          npm ci\n          node_modules/.bin/keyguard scan .\n')).toBe(true);
    expect(workflowRunsKeyguard('      - uses: gitleaks/gitleaks-action@v2\n      - run: npm test\n')).toBe(false);
    expect(workflowRunsKeyguard('      - uses: acme/keyguardian@v1\n')).toBe(false);
  });
});
