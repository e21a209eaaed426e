// Every format end to end through the CLI (in-process), on real files and a real repository.
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Log } from 'sarif';
import { runCli } from '../helpers/cli.js';
import { createRepo, tempDir } from '../helpers/git-repo.js';
import { fakeGeminiAuthKey, fakeGoogleApiKey } from '../helpers/keys.js';
import { validateSarif } from './sarif-validate.js';

function project(files: Record<string, string>): string {
  const dir = tempDir();
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe('report formats through the CLI', () => {
  const key = fakeGoogleApiKey(11);
  const files = { 'src/App.jsx': `const ai = new GoogleGenAI({ apiKey: "${key}" });\n`, 'server/.env': `GEMINI_API_KEY=${key}\n` };

  it('--format sarif: valid SARIF with the loaded rules, never the raw key', async () => {
    const r = await runCli(['scan', '--format', 'sarif'], { cwd: project(files) });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).not.toContain(key);
    const log = JSON.parse(r.stdout) as Log;
    const run = log.runs[0]!;
    expect(run.tool.driver.rules!.length).toBeGreaterThan(5);
    expect(run.results).toHaveLength(2);
    const app = run.results!.find((x) => x.locations![0]!.physicalLocation!.artifactLocation!.uri === 'src/App.jsx')!;
    expect(app.locations![0]!.physicalLocation!.region).toEqual({ startLine: 1, startColumn: 39, endLine: 1, endColumn: 78 });
    expect(validateSarif(r.stdout)).toEqual([]);
  });

  it('--format text: the checklist once for a key found twice', async () => {
    const r = await runCli(['scan'], { cwd: project(files) });
    expect(r.stdout.match(/Leak response: 1 credential to deal with/g)).toHaveLength(1);
    expect(r.stdout).toMatch(/since September 2026 the Gemini API rejects every standard key/);
    expect(r.stdout).not.toContain(key);
  });

  it('--format github: annotations on stdout and the job summary appended to $GITHUB_STEP_SUMMARY', async () => {
    const dir = project(files);
    const summary = join(tempDir(), 'summary.md');
    writeFileSync(summary, 'earlier step\n');
    const r = await runCli(['scan', '--format', 'github'], { cwd: dir, env: { GITHUB_STEP_SUMMARY: summary } });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^::error file=src\/App.jsx,line=1,endLine=1,col=39,endColumn=77,title=Google API key \(google-api-key\)::/m);
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('earlier step\n## keyguard: 2 findings, 1 leaked credential')).toBe(true);
    expect(md).not.toContain(key);
  });

  it('--format github without $GITHUB_STEP_SUMMARY writes no summary', async () => {
    const r = await runCli(['scan', '--format', 'github'], { cwd: project(files), env: { GITHUB_STEP_SUMMARY: '' } });
    expect(r.stdout).not.toContain('## keyguard');
  });

  it('--format junit: one test case per finding', async () => {
    const r = await runCli(['scan', '--format', 'junit'], { cwd: project(files) });
    expect(r.stdout.match(/<testcase /g)).toHaveLength(2);
    expect(r.stdout).not.toContain(key);
  });

  it('history --format sarif: commit and author in properties, fingerprints stable across commits', async () => {
    const repo = createRepo();
    try {
      const auth = fakeGeminiAuthKey(5);
      repo.write('config.js', `// config\nconst key = "${auth}";\n`);
      repo.git('add', '.');
      const sha = repo.commit('add config', '2026-01-05T10:00:00Z');
      repo.write('config.js', '// config\n\n\nconst key = process.env.GEMINI_API_KEY;\n');
      repo.git('add', '.');
      repo.commit('remove the key');
      const r = await runCli(['history', '--format', 'sarif'], { cwd: repo.dir });
      expect(r.exitCode).toBe(1);
      const res = (JSON.parse(r.stdout) as Log).runs[0]!.results!;
      expect(res).toHaveLength(1);
      expect(res[0]!.properties).toMatchObject({ commit: sha, author: 'Ada Lovelace', email: 'ada@example.com' });
      expect(validateSarif(r.stdout)).toEqual([]);
      const text = await runCli(['history'], { cwd: repo.dir });
      expect(text.stdout).toMatch(/does not unpublish it/);
      expect(text.stdout).toMatch(/since 2026-01-05/);
    } finally {
      repo.cleanup();
    }
  });
});
