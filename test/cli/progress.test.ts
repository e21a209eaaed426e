import { afterEach, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { run } from '../../src/cli/run.js';
import { formatEta } from '../../src/cli/run-io.js';
import type { ProgressBar } from '../../src/cli/run-io.js';
import { createRepo, gitEnv, type TempRepo } from '../helpers/git-repo.js';

let r: TempRepo | undefined;
afterEach(() => r?.cleanup());

function history(dir: string, args: string[], env: NodeJS.ProcessEnv, tty: boolean) {
  const calls: string[] = [];
  const bar: ProgressBar = {
    start: (total, value) => calls.push(`start ${value}/${total}`),
    update: (value, payload) => calls.push(`update ${value}${(payload as { of?: string } | undefined)?.of ?? ''}`),
    setTotal: (total) => calls.push(`total ${total}`),
    stop: () => calls.push('stop'),
  };
  let t = 0;
  return run(['history', ...args], {
    cwd: dir,
    env,
    stdin: Readable.from([]),
    stdoutIsTTY: false,
    stderrIsTTY: tty,
    now: () => (t += 1000),
    today: () => '2026-11-25',
    progressBar: () => bar,
  }).then((res) => ({ ...res, calls }));
}

describe('progress bar', () => {
  it('shows on a terminal, never in CI, when piped or with --quiet; --progress forces it', async () => {
    r = createRepo();
    for (let i = 0; i < 3; i++) {
      r.write(`f${i}.txt`, `file ${i}\n`);
      r.git('add', '.');
      r.commit(`c${i}`);
    }
    const base = { ...gitEnv() };
    delete base['CI'];
    const shown = await history(r.dir, [], base, true);
    expect(shown.calls[0]).toMatch(/^start \d+\/\d+$/);
    // The total (3 blobs) is shown at the start or, when the log is listed after the reads, before the bar stops.
    expect(shown.calls.some((c) => /^start \d+\/3$/.test(c) || c === 'total 3')).toBe(true);
    // An update shows the total once known, and says it is still counting before: never a false "265/1".
    for (const c of shown.calls.filter((c) => c.startsWith('update '))) expect(c).toMatch(/^update \d+(\/3| \(counting…\))$/);
    expect(shown.calls.at(-1)).toBe('stop');
    expect((await history(r.dir, [], { ...base, CI: 'true' }, true)).calls).toEqual([]);
    expect((await history(r.dir, [], base, false)).calls).toEqual([]);
    expect((await history(r.dir, ['--quiet'], base, true)).calls).toEqual([]);
    expect((await history(r.dir, ['--no-progress'], base, true)).calls).toEqual([]);
    expect((await history(r.dir, ['--progress'], { ...base, CI: 'true' }, false)).calls.length).toBeGreaterThan(0);
  });
});

describe('formatEta', () => {
  it('prints seconds, then minutes and seconds', () => {
    expect([formatEta(0), formatEta(41.6), formatEta(185), formatEta(-3)]).toEqual(['0s', '42s', '3m05s', '0s']);
  });
});
