import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { parseDirectArgs, runDirect } from '../../src/cli/run-direct.js';
import { run, type RunIO } from '../../src/cli/run.js';
import { createRepo, gitEnv, tempDir } from '../helpers/git-repo.js';
import { STDIN_PATH } from '../../src/cli/stdin-path.js';
import { fakeGoogleApiKey } from '../helpers/keys.js';

function io(cwd: string): RunIO {
  return {
    cwd,
    env: { ...gitEnv(), NO_COLOR: '1' },
    stdin: Readable.from([Buffer.from('')]),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    now: () => 0,
    today: () => '2026-11-25',
  };
}

const parseScanArgs = (argv: string[]) => {
  const parsed = parseDirectArgs(argv);
  return parsed && 'args' in parsed ? parsed.args : parsed;
};

describe('parseDirectArgs (scan and history without yargs)', () => {
  it('takes the flags of the table', () => {
    expect(parseScanArgs(['scan'])).toMatchObject({ paths: ['.'], format: 'text', quiet: false, exitCode: 1, gitignore: true, showSecrets: false });
    expect(parseScanArgs(['scan', 'src', 'lib', '--format=json', '-o', 'r.json', '--no-progress', '--no-gitignore', '-q', '--exit-code', '3', '--max-file-size', '5MiB'])).toMatchObject({
      paths: ['src', 'lib'], format: 'json', output: 'r.json', progress: false, gitignore: false, quiet: true, exitCode: 3, maxFileSize: '5MiB',
    });
    expect(parseDirectArgs(['history', '--format', 'sarif', '-j', '1', '--range=a..b', '--baseline', 'b.json'])).toEqual({
      command: 'history',
      args: { format: 'sarif', showSecrets: false, quiet: false, exitCode: 1, verifyTimeout: 5, jobs: 1, range: 'a..b', baseline: 'b.json', brief: false, unpushed: false },
    });
    expect(parseScanArgs(['scan', '-', '--verify'])).toMatchObject({ paths: [STDIN_PATH], verify: true });
    // Given twice, the last counts, as yargs does it.
    expect(parseScanArgs(['scan', '--format', 'json', '-f', 'text'])).toMatchObject({ format: 'text' });
  });

  it('answers a bad value itself, in one line naming the flag as typed', () => {
    expect(parseScanArgs(['history', '--jobs', 'two'])).toEqual({ error: '--jobs two: not a whole number; use a whole number of threads from 1 to 256' });
    expect(parseScanArgs(['history', '-j', 'abc'])).toEqual({ error: '--jobs abc: not a whole number; use a whole number of threads from 1 to 256' });
    expect(parseScanArgs(['scan', '--format', 'yaml'])).toEqual({ error: '--format yaml: not one of text, json, sarif, github, junit' });
    expect(parseScanArgs(['scan', '--output'])).toEqual({ error: '--output: needs a value' });
    expect(parseScanArgs(['scan', '--output', '--quiet'])).toEqual({ error: '--output: needs a value' });
    expect(parseScanArgs(['scan', '--exit-code', '256'])).toEqual({ error: '--exit-code 256: out of range; use an exit code from 0 to 255' });
    expect(parseScanArgs(['scan', '--max-file-size', 'lots'])).toEqual({ error: '--max-file-size lots: not a size; use bytes or units like 10MiB' });
  });

  it('leaves the rest to the full CLI, which parses it or explains the error', () => {
    expect(parseScanArgs(['staged'])).toBeUndefined();
    expect(parseScanArgs(['rules'])).toBeUndefined();
    expect(parseScanArgs(['history', 'HEAD'])).toBeUndefined();
    expect(parseScanArgs(['scan', '--jobs', '2'])).toBeUndefined();
    expect(parseScanArgs(['history', '--gitignore'])).toBeUndefined();
    expect(parseScanArgs(['scan', '--bogus'])).toBeUndefined();
    expect(parseScanArgs(['scan', '--help'])).toBeUndefined();
    expect(parseScanArgs(['scan', '--quiet=false'])).toBeUndefined();
  });

  it('gives the same result as the full CLI', async () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'a.js'), `const k = "${fakeGoogleApiKey(4)}";\n`);
    writeFileSync(join(dir, 'notes.md'), 'nothing here\n');
    for (const argv of [
      ['scan'],
      ['scan', '.', '--format', 'json'],
      ['scan', 'src/a.js', 'notes.md', '--format=sarif', '--show-secrets'],
      ['scan', '--quiet', '--exit-code', '7', '--max-file-size', '10'],
      ['scan', 'missing'],
      ['scan', '--max-file-size', 'lots'],
      ['scan', 'notes.md', '-q'],
      ['scan', '--exit-code', '256'],
      ['scan', '--exit-code', 'abc'],
      ['scan', '--verify-timeout', '0'],
    ]) {
      const fast = parseDirectArgs(argv);
      expect(fast, argv.join(' ')).toBeDefined();
      expect(await runDirect(fast!, io(dir)), argv.join(' ')).toEqual(await run(argv, io(dir)));
    }
  });

  it('gives the same result as the full CLI in a git repository, for scan and history', async () => {
    const repo = createRepo();
    try {
      repo.write('src/a.js', `const k = "${fakeGoogleApiKey(5)}";\n`);
      repo.git('add', '.');
      const first = repo.commit('add a key', '2026-01-02T03:04:05Z');
      repo.write('src/a.js', 'const k = process.env.KEY;\n');
      repo.write('untracked.txt', `${fakeGoogleApiKey(6)}\n`);
      repo.git('add', 'src/a.js');
      repo.commit('remove it', '2026-01-03T03:04:05Z');
      for (const argv of [
        ['scan'],
        ['scan', '--no-gitignore', '--format', 'json'],
        ['scan', 'src/a.js', 'untracked.txt', '-f', 'sarif'],
        ['history'],
        ['history', '--format', 'json', '--jobs', '1'],
        ['history', `--since-commit=${first}`],
        ['history', '--branch', 'main', '-q'],
        ['history', '--range', 'nope..HEAD'],
        ['history', '-j', 'abc'],
        ['history', '--exit-code', '512'],
      ]) {
        const fast = parseDirectArgs(argv);
        expect(fast, argv.join(' ')).toBeDefined();
        expect(await runDirect(fast!, io(repo.dir)), argv.join(' ')).toEqual(await run(argv, io(repo.dir)));
      }
    } finally {
      repo.cleanup();
    }
  });
});
