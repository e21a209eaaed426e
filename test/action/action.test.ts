// The bundled action (dist/action.js) run as the GitHub runner runs it: node, INPUT_* variables, an event payload
// file, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files, against real temporary repositories.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Log } from 'sarif';
import { createRepo, gitEnv, tempDir, type TempRepo } from '../helpers/git-repo.js';
import { fakeGeminiAuthKey, fakeGoogleApiKey } from '../helpers/keys.js';
import { validateSarif } from '../report/sarif-validate.js';
import { startGoogleStub } from '../helpers/google-stub.js';
import { cleanupRunners, runAction, runActionAsync } from '../helpers/action-runner.js';

const cleanups: (() => void)[] = [];
afterAll(() => {
  cleanups.forEach((c) => c());
  cleanupRunners();
});

function repoWithHistory(): { repo: TempRepo; base: string; head: string; oldKey: string; newKey: string } {
  const repo = createRepo();
  cleanups.push(repo.cleanup);
  const oldKey = fakeGoogleApiKey(21);
  const newKey = fakeGeminiAuthKey(22);
  repo.write('README.md', '# app\n');
  repo.write('legacy.js', `const key = "${oldKey}";\n`);
  repo.git('add', '.');
  const base = repo.commit('first', '2026-01-01T00:00:00Z');
  repo.git('checkout', '-q', '-b', 'feature');
  repo.write('src/app.ts', `export const key = "${newKey}";\n`);
  repo.git('add', '.');
  repo.commit('add a key', '2026-02-01T00:00:00Z');
  repo.write('src/util.ts', 'export const one = 1;\n');
  repo.git('add', '.');
  const head = repo.commit('more', '2026-02-02T00:00:00Z');
  return { repo, base, head, oldKey, newKey };
}

const prEvent = (base: string, head: string) => ({
  name: 'pull_request',
  payload: { action: 'synchronize', number: 7, pull_request: { number: 7, base: { ref: 'main', sha: base }, head: { ref: 'feature', sha: head } }, repository: { default_branch: 'main' } },
});
const pushEvent = (before: string, after: string, extra: object = {}) => ({
  name: 'push',
  payload: { ref: 'refs/heads/feature', before, after, created: false, deleted: false, forced: false, repository: { default_branch: 'main' }, ...extra },
});

describe('the GitHub Action (dist/action.js)', () => {
  it('on pull_request scans only the PR commits: annotations, outputs, summary, SARIF, failure', () => {
    const { repo, base, head, oldKey, newKey } = repoWithHistory();
    const r = runAction(repo, prEvent(base, head));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^::error file=src\/app.ts,line=1,endLine=1,col=\d+,endColumn=\d+,title=Gemini API auth key \(gemini-auth-key\)::/m);
    expect(r.stdout).not.toContain('legacy.js'); // the key in the base is not the PR's
    expect(r.stdout).toMatch(/^::error::keyguard found 1 leaked credential finding \(1 distinct credential\)/m);
    expect(r.outputs['findings']).toBe('1');
    expect(r.outputs['sarif-file']).toBe(join(repo.dir, 'keyguard.sarif'));
    expect(r.summary).toMatch(/^## keyguard: 1 finding, 1 leaked credential/);
    expect(r.summary).toMatch(/### Leak response/);
    const sarif = readFileSync(join(repo.dir, 'keyguard.sarif'), 'utf8');
    expect((JSON.parse(sarif) as Log).runs[0]!.results![0]!.properties).toMatchObject({ author: 'Ada Lovelace' });
    expect(validateSarif(sarif)).toEqual([]);
    for (const text of [r.stdout, r.stderr, r.summary, sarif]) {
      expect(text).not.toContain(newKey);
      expect(text).not.toContain(oldKey);
    }
  });

  it('passes with fail-on-findings: false, and still reports', () => {
    const { repo, base, head } = repoWithHistory();
    const r = runAction(repo, prEvent(base, head), { 'fail-on-findings': 'false', 'sarif-file': 'out/../kg.sarif' });
    expect(r.status).toBe(0);
    expect(r.outputs['findings']).toBe('1');
    expect(r.stdout).toMatch(/^::warning::keyguard found 1 .*fail-on-findings is false/m);
    expect(existsSync(join(repo.dir, 'kg.sarif'))).toBe(true);
  });

  it('on push scans before..after', () => {
    const { repo, head } = repoWithHistory();
    const mid = repo.git('rev-parse', 'HEAD~1').trim();
    const r = runAction(repo, pushEvent(mid, head));
    expect(r.status).toBe(0); // the key came in before `before`
    expect(r.outputs['findings']).toBe('0');
    expect(r.summary).toMatch(/no leaked credentials/);
    const r2 = runAction(repo, pushEvent(repo.git('rev-parse', 'HEAD~2').trim(), head));
    expect(r2.outputs['findings']).toBe('1');
  });

  it('on the push of a new branch (all-zero before) scans the branch, not nothing', () => {
    const { repo, head } = repoWithHistory();
    const r = runAction(repo, pushEvent('0'.repeat(40), head, { created: true }));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/new branch/);
    expect(Number(r.outputs['findings'])).toBeGreaterThanOrEqual(1);
  });

  it('on the push of a new branch in a clone, scans only its commits that are not on the default branch', () => {
    const { repo, head } = repoWithHistory();
    const clone = tempDir('keyguard-clone-');
    cleanups.push(() => rmSync(clone, { recursive: true, force: true }));
    spawnSync('git', ['clone', '-q', '--no-checkout', `file://${repo.dir}`, clone], { env: gitEnv() });
    spawnSync('git', ['checkout', '-q', head], { cwd: clone, env: gitEnv() });
    const r = runAction(clone, pushEvent('0'.repeat(40), head, { created: true }));
    expect(r.stdout).toMatch(/not on main/);
    expect(r.outputs['findings']).toBe('1');
    expect(r.stdout).not.toContain('legacy.js');
  });

  it('on the deletion of a branch scans nothing and passes', () => {
    const { repo, head } = repoWithHistory();
    const r = runAction(repo, pushEvent(head, '0'.repeat(40), { deleted: true }));
    expect(r.status).toBe(0);
    expect(r.outputs['findings']).toBe('0');
  });

  it('on other events (schedule) scans the whole history', () => {
    const { repo } = repoWithHistory();
    const r = runAction(repo, { name: 'schedule', payload: { schedule: '0 3 * * 1' } });
    expect(r.status).toBe(1);
    expect(r.outputs['findings']).toBe('2');
    expect(r.stdout).toContain('legacy.js');
  });

  it('mode: scan scans the files in the workspace', () => {
    const { repo, base, head } = repoWithHistory();
    const r = runAction(repo, prEvent(base, head), { mode: 'scan' });
    expect(r.outputs['findings']).toBe('2');
  });

  it('fails on a shallow checkout that lacks the PR base, saying fetch-depth: 0', () => {
    const { repo, base, head } = repoWithHistory();
    const shallow = tempDir('keyguard-shallow-');
    cleanups.push(() => rmSync(shallow, { recursive: true, force: true }));
    spawnSync('git', ['clone', '-q', '--depth', '1', '--branch', 'feature', `file://${repo.dir}`, shallow], { env: gitEnv() });
    const r = runAction(shallow, prEvent(base, head));
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^::error::keyguard: commit [0-9a-f]{12} is not in the checkout \(it is a shallow clone\); set fetch-depth: 0 on actions\/checkout/m);
  });

  it('annotates at most 10 findings, then a notice with the rest', () => {
    const repo = createRepo();
    cleanups.push(repo.cleanup);
    repo.write('keys.js', Array.from({ length: 12 }, (_, i) => `const k${i} = "${fakeGoogleApiKey(100 + i)}";`).join('\n'));
    repo.git('add', '.');
    repo.commit('many keys');
    const r = runAction(repo, { name: 'workflow_dispatch', payload: {} });
    expect(r.stdout.match(/^::error file=/gm)).toHaveLength(10);
    expect(r.stdout).toMatch(/^::notice title=keyguard::2 more findings not annotated/m);
    expect(r.outputs['findings']).toBe('12');
  });

  it('rejects a mode it does not know, in one line', () => {
    const { repo, base, head } = repoWithHistory();
    const r = runAction(repo, prEvent(base, head), { mode: 'staged' });
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^::error::keyguard: input mode: "staged" is not one of auto, history, scan$/m);
  });

  it('with verify: true, checks each key once and shows the verdict in the summary, SARIF and annotations', async () => {
    const { repo, base, head, newKey } = repoWithHistory();
    const stub = await startGoogleStub(new Map([[newKey, 'live']]));
    try {
      const r = await runActionAsync(repo, prEvent(base, head), { verify: 'true' }, { KEYGUARD_GOOGLE_API_BASE: stub.base });
      expect(r.status).toBe(1);
      expect(stub.requests).toHaveLength(1);
      expect(stub.requests[0]!.url).toBe('/v1beta/models');
      expect(r.summary).toContain('| Verified |');
      expect(r.summary).toContain('| **live** |');
      expect(r.stdout).toContain('Verified live:');
      const sarif = JSON.parse(readFileSync(join(repo.dir, 'keyguard.sarif'), 'utf8')) as Log;
      expect(sarif.runs[0]!.results![0]!.properties).toMatchObject({ verification: { status: 'live' } });
      for (const text of [r.stdout, r.stderr, r.summary]) expect(text).not.toContain(newKey);
    } finally {
      await stub.close();
    }
    const plain = runAction(repo.dir, prEvent(base, head), { verify: 'maybe' });
    expect(plain.stdout).toMatch(/^::error::keyguard: input verify: "maybe" is not true or false$/m);
  });

  it('a .env with only public settings is a warning, not a failure; a key in it still fails', () => {
    const repo = createRepo();
    cleanups.push(repo.cleanup);
    repo.write('README.md', '# app\n');
    repo.git('add', '.');
    const base = repo.commit('first', '2026-01-01T00:00:00Z');
    repo.write('web/.env', 'VITE_APP_TITLE=Demo\nVITE_API_URL=https://api.example.com\n');
    repo.git('add', '.');
    const head = repo.commit('public settings', '2026-01-02T00:00:00Z');
    const r = runAction(repo, prEvent(base, head));
    expect(r.status).toBe(0);
    expect(r.outputs['findings']).toBe('0');
    expect(r.stdout).toMatch(/^::warning title=keyguard::web\/.env was committed in [0-9a-f]{12} \(.env file\), with no credential keyguard recognises in it/m);
    expect(r.stdout).not.toMatch(/^::error/m);
    repo.write('web/.env', `VITE_APP_TITLE=Demo\nGEMINI_API_KEY=${fakeGeminiAuthKey(31)}\n`);
    repo.git('add', '.');
    const leak = repo.commit('a key', '2026-01-03T00:00:00Z');
    const bad = runAction(repo, prEvent(base, leak));
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^::error file=web\/.env,/m);
  });
});
