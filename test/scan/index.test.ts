// The composition root on its own: a plan and the outside world in, a result out, with no CLI around it.
import { afterEach, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { scan, type ScanDeps, type ScanPlan } from '../../src/scan/index.js';
import { readHistory, readRepoFacts } from '../../src/sources/history.js';
import { createScope } from '../../src/scope.js';
import { createRepo, gitEnv, type TempRepo } from '../helpers/git-repo.js';
import { fakeGoogleApiKey, fakeGeminiAuthKey } from '../helpers/keys.js';
import { builtinRuleSet } from '../helpers/rules.js';
import { baselineKey } from '../../src/filter/baseline.js';

let repo: TempRepo | undefined;
afterEach(() => repo?.cleanup());

function deps(cwd: string, stdin = ''): ScanDeps {
  return { cwd, env: gitEnv(), now: () => 0, stdin: Readable.from([Buffer.from(stdin)]), scope: createScope() };
}

const base = (source: ScanPlan['source']): ScanPlan => ({ source, ruleSet: builtinRuleSet(), suppression: { suppress: {} }, showSecrets: false });

describe('scan(plan, deps)', () => {
  it('scans a tree and standard input, redacting secrets', async () => {
    repo = createRepo();
    const key = fakeGoogleApiKey(101);
    repo.write('src/a.js', `const k = "${key}";\n`);
    const d = deps(repo.dir, `GEMINI_API_KEY=${fakeGeminiAuthKey(102)}\n`);
    const result = await scan(base({ kind: 'tree', paths: ['.'], gitignore: true, stdinName: 'piped.env' }), d);
    await d.scope.close();
    expect(result.mode).toBe('scan');
    expect(result.findings.map((f) => [f.file, f.ruleId]).sort()).toEqual([['piped.env', 'gemini-auth-key'], ['src/a.js', 'google-api-key']]);
    expect(JSON.stringify(result)).not.toContain(key);
  });

  it('applies the suppression it is given: a baseline hides a known finding and hands it back', async () => {
    repo = createRepo();
    repo.write('fixtures/k.txt', `${fakeGoogleApiKey(103)}\n`);
    const d = deps(repo.dir);
    const first = await scan(base({ kind: 'tree', paths: ['.'], gitignore: true }), d);
    expect(first.findings).toHaveLength(1);
    const kept: string[] = [];
    const plan: ScanPlan = { ...base({ kind: 'tree', paths: ['.'], gitignore: true }), suppression: { suppress: { baseline: new Set([baselineKey(first.findings[0]!)]) }, keepBaselined: (found) => kept.push(...found.map((f) => f.file)) } };
    const second = await scan(plan, d);
    await d.scope.close();
    expect(second.findings).toEqual([]);
    expect(kept).toEqual(['fixtures/k.txt']);
  });

  it('scans the index, not the working tree, for a staged plan', async () => {
    repo = createRepo();
    repo.write('README.md', '# app\n');
    repo.git('add', '-A');
    repo.commit('init');
    const key = fakeGoogleApiKey(104);
    repo.write('config.js', `export const key = "${key}";\n`);
    repo.git('add', 'config.js');
    repo.write('config.js', 'export const key = process.env.KEY;\n');
    const d = deps(repo.dir);
    const result = await scan(base({ kind: 'staged', root: repo.dir, allLines: false }), d);
    await d.scope.close();
    expect(result.mode).toBe('staged');
    expect(result.findings.map((f) => [f.file, f.line])).toEqual([['config.js', 1]]);
  });

  it('attributes a history finding to the commit that introduced it, with its exposure window', async () => {
    repo = createRepo();
    repo.write('a.txt', `${fakeGoogleApiKey(105)}\n`);
    repo.git('add', '-A');
    const introduced = repo.commit('add a key', '2026-01-02T03:04:05Z');
    repo.write('a.txt', 'gone\n');
    repo.git('add', '-A');
    repo.commit('remove it', '2026-01-03T03:04:05Z');
    const d = deps(repo.dir);
    const git = { root: repo.dir, env: d.env, scope: d.scope };
    const read = readHistory({ ...git, revisions: ['--all'] });
    const facts = await readRepoFacts(git);
    const result = await scan(base({ kind: 'history', root: repo.dir, read, facts, everyRef: true }), d);
    read.stop();
    await d.scope.close();
    expect(result.findings).toHaveLength(1);
    expect(result.findings[0]).toMatchObject({ commit: introduced, file: 'a.txt' });
    expect(result.credentials?.[0]).toMatchObject({ firstCommitted: { commit: introduced }, presentAtHead: false });
  });
});
