// --no-inline-allow: scan, staged and history report what inline markers hide, through yargs and the fast paths.
import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { runCli } from '../helpers/cli.js';
import { useTempRepos, gitEnv } from '../helpers/git-repo.js';
import { fakeGoogleApiKey } from '../helpers/keys.js';
import { parseDirectArgs, runDirect } from '../../src/cli/run-direct.js';
import { parseStagedArgs, runStaged } from '../../src/cli/run-staged.js';
import type { RunIO } from '../../src/cli/run.js';

const repo = useTempRepos();

function io(cwd: string): RunIO {
  return { cwd, env: { ...gitEnv(), NO_COLOR: '1' }, stdin: Readable.from([]), stdoutIsTTY: false, stderrIsTTY: false, now: () => 0, today: () => '2026-11-25' };
}

describe('--no-inline-allow', () => {
  it('is parsed by the fast paths (scan, history, staged) as by yargs', () => {
    expect(parseDirectArgs(['scan', '--no-inline-allow'])).toMatchObject({ args: { inlineAllow: false } });
    expect(parseDirectArgs(['history', '--inline-allow'])).toMatchObject({ args: { inlineAllow: true } });
    expect(parseStagedArgs(['staged', '--no-inline-allow'])).toMatchObject({ inlineAllow: false });
    expect(parseStagedArgs(['staged'])).not.toHaveProperty('inlineAllow');
  });

  it('reports a key a marker hides, in scan, staged and history, whichever parser ran', async () => {
    const r = repo();
    const key = fakeGoogleApiKey(41);
    r.write('README.md', '# app\n');
    r.git('add', '-A');
    r.commit('init');
    r.write('src/maps.js', `export const mapsKey = "${key}"; // pragma: allowlist secret\n`);
    r.git('add', '-A');
    for (const command of [['scan', '.'], ['staged']]) {
      expect((await runCli(command, { cwd: r.dir })).exitCode).toBe(0);
      const strict = await runCli([...command, '--no-inline-allow', '--format', 'json'], { cwd: r.dir });
      expect(strict.exitCode).toBe(1);
      expect(JSON.parse(strict.stdout).findings[0]).toMatchObject({ file: 'src/maps.js', line: 1 });
    }
    expect((await runStaged(parseStagedArgs(['staged', '--no-inline-allow'])!, io(r.dir))).exitCode).toBe(1);
    expect((await runDirect(parseDirectArgs(['scan', '.', '--no-inline-allow'])!, io(r.dir))).exitCode).toBe(1);
    r.commit('maps');
    expect((await runCli(['history'], { cwd: r.dir })).exitCode).toBe(0);
    expect((await runCli(['history', '--no-inline-allow'], { cwd: r.dir })).exitCode).toBe(1);
    expect((await runDirect(parseDirectArgs(['history', '--no-inline-allow'])!, io(r.dir))).exitCode).toBe(1);
  });
});
