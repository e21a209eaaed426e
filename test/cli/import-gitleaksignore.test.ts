import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRepo, gitEnv, type TempRepo } from '../helpers/git-repo.js';
import { runCli } from '../helpers/cli.js';
import { fakeGoogleApiKey } from '../helpers/keys.js';

const repos: TempRepo[] = [];
afterEach(() => {
  while (repos.length) repos.pop()!.cleanup();
});

describe('keyguard import-gitleaksignore', () => {
  it('prints the entries, says what it could not convert, and --write makes them take effect', async () => {
    const r = createRepo();
    repos.push(r);
    r.write('docs/setup.md', `key: ${fakeGoogleApiKey(301)}\n`);
    r.write('.gitleaksignore', 'docs/setup.md:gcp-api-key:1\ninfra/main.tf:aws-access-token:3\n');
    const printed = await runCli(['import-gitleaksignore'], { cwd: r.dir, env: gitEnv() });
    expect(printed.exitCode).toBe(0);
    expect(printed.stdout).toContain('ruleAllowlists:\n  google-api-key:\n    paths:\n      - "docs/setup.md"');
    expect(printed.stderr).toContain('.gitleaksignore:2: not converted: gitleaks rule aws-access-token has no keyguard equivalent');
    expect(printed.stderr).toContain('1 of 2 entries converted');
    expect((await runCli(['scan', '.'], { cwd: r.dir, env: gitEnv() })).exitCode).toBe(1);

    const written = await runCli(['import-gitleaksignore', '--write'], { cwd: r.dir, env: gitEnv() });
    expect(written.exitCode).toBe(0);
    expect(written.stdout).toContain('added 1 path(s) to .keyguard.yaml');
    expect(readFileSync(join(r.dir, '.keyguard.yaml'), 'utf8')).toContain('docs/setup.md');
    expect((await runCli(['scan', '.'], { cwd: r.dir, env: gitEnv() })).exitCode).toBe(0);
  });

  it('exit 2 for a file that does not exist', async () => {
    const r = createRepo();
    repos.push(r);
    const res = await runCli(['import-gitleaksignore', 'nope'], { cwd: r.dir, env: gitEnv() });
    expect(res.exitCode).toBe(2);
    expect(res.stderr).toBe('keyguard: nope: no such file; name the .gitleaksignore to import\n');
  });
});
