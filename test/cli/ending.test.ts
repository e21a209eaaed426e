// A scan that fails part-way, or is stopped by a signal, ends at once with one line and the right exit code, in every
// format, with and without --output, and leaves no git process behind. The built CLI (dist/cli.js, built by
// test/global-setup.ts) runs as a real child process against one repository shared by every case.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRepo, gitEnv, tempDir, type TempRepo } from '../helpers/git-repo.js';
import { BUILT_CLI } from '../helpers/cli.js';
import { Readable } from 'node:stream';
import { run } from '../../src/cli/run.js';
import type { ProgressBar } from '../../src/cli/run-io.js';

const FORMATS = ['text', 'json', 'sarif', 'github', 'junit'] as const;
/** Generous, so a slow CI does not flake; a hang is far longer. */
const EXIT_WITHIN_MS = 15_000;
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

let repo: TempRepo;
let fakeBin: string;
let outDir: string;
let realGit: string;
let actionBundle: string;

/**
 * One repository for every case: `main` is a healthy history of a few hundred commits; `broken`, older than all of
 * them (so the log reaches it last, mid-stream), renames a file with a small change, and the old blob that rename
 * detection needs is deleted from the object store. `git log --all -M` fails on it ("fatal: unable to read <oid>"),
 * which keyguard survives (the log is asked again without renames: docs/clone-shapes.md); a git log that fails for
 * another reason is the fake git's `log-dies`.
 */
function buildRepo(): TempRepo {
  const r = createRepo();
  r.write('a.txt', Array.from({ length: 200 }, (_, i) => `line number ${i}\n`).join(''));
  r.git('add', 'a.txt');
  r.commit('old', '2001-01-01T00:00:00Z');
  const oldBlob = r.git('rev-parse', 'HEAD:a.txt').trim();
  r.git('mv', 'a.txt', 'b.txt');
  r.write('b.txt', `${readFileSync(join(r.dir, 'b.txt'), 'utf8')}one more line\n`);
  r.git('add', '-A');
  r.commit('renamed', '2001-01-02T00:00:00Z');
  // Loose objects (nothing was packed): the blob's file is its whole presence.
  rmSync(join(r.dir, '.git', 'objects', oldBlob.slice(0, 2), oldBlob.slice(2)));
  r.git('branch', '-m', 'broken');
  // `main`: 150 commits over 30 files, written by fast-import (one process, not 600 commits).
  let stream = 'reset refs/heads/main\n';
  for (let i = 0; i < 150; i++) {
    const body = `file ${i % 30} revision ${i}\n`.repeat(120);
    stream += `commit refs/heads/main\ncommitter Ada <ada@example.com> ${1_700_000_000 + i} +0000\ndata 6\nc${String(i).padStart(4, '0')}\n`;
    stream += `M 100644 inline f${i % 30}.txt\ndata ${Buffer.byteLength(body)}\n${body}\n`;
  }
  execFileSync('git', ['fast-import', '--quiet'], { cwd: r.dir, env: gitEnv(), input: stream });
  r.git('checkout', '-q', '-f', 'main');
  // Something staged, for `keyguard staged`.
  r.write('staged.txt', 'a staged line\n');
  r.git('add', 'staged.txt');
  return r;
}

/**
 * A `git` first on PATH that runs the real one, except as KG_FAKE_GIT says: `catfile-dies` (a `cat-file --batch`
 * reader sends part of its output, then is killed), `stall` (the command named in KG_STALL sends part of its output,
 * then waits for ever: for signals), `fail-ls-files` (git ls-files fails), `log-dies` (git log sends part of its
 * output, then fails: "fatal: injected failure"), `log-fails-late` (git log lists everything,
 * waits until the file KG_WAIT_FOR exists, then fails).
 */
function writeFakeGit(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const script = `#!/bin/sh
real="$KG_REAL_GIT"
case "$KG_FAKE_GIT" in
  catfile-dies) case " $* " in *" cat-file --batch "*) "$real" "$@" | head -c 20000; kill -9 $$ ;; esac ;;
  stall) case " $* " in *" $KG_STALL "*) "$real" "$@" | head -c 20000; exec sleep 600 ;; esac ;;
  fail-ls-files) case " $* " in *" ls-files "*) echo "fatal: injected failure" >&2; exit 128 ;; esac ;;
  log-dies) case " $* " in *" log "*) "$real" "$@" | head -c 20000; echo "fatal: injected failure" >&2; exit 128 ;; esac ;;
  log-fails-late) case " $* " in *" log "*)
    "$real" "$@"
    n=0; while [ ! -e "$KG_WAIT_FOR" ] && [ $n -lt 200 ]; do sleep 0.05; n=$((n+1)); done
    echo "fatal: injected failure" >&2; exit 128 ;; esac ;;
esac
exec "$real" "$@"
`;
  writeFileSync(join(dir, 'git'), script);
  chmodSync(join(dir, 'git'), 0o755);
}

beforeAll(() => {
  repo = buildRepo();
  outDir = tempDir('keyguard-out-');
  fakeBin = join(outDir, 'bin');
  realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
  writeFakeGit(fakeBin);
  // The action as GitHub runs it, built from these sources (the committed bundle is rebuilt only when releasing).
  // It finds the rules at ../rules from its own folder, as dist/action.js does.
  mkdirSync(join(outDir, 'dist'));
  symlinkSync(join(ROOT, 'rules'), join(outDir, 'rules'));
  actionBundle = join(outDir, 'dist', 'action.js');
  execFileSync(process.execPath, ['scripts/build.mjs', 'dist/action.js'], { cwd: ROOT, env: { ...process.env, KEYGUARD_ACTION_OUT: actionBundle }, stdio: 'pipe' });
});

afterAll(() => {
  repo?.cleanup();
  if (outDir) rmSync(outDir, { recursive: true, force: true });
});

/**
 * Processes still running that one run started, however deep (git, the fake git's `sleep`), as "pid command": each
 * run's environment holds a tag of its own, and every process it starts inherits it.
 */
function leftBy(tag: string): string[] {
  const left: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (!readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(tag)) continue;
      left.push(`${pid} ${readFileSync(`/proc/${pid}/cmdline`, 'latin1').replace(/\0/g, ' ').trim()}`);
    } catch {
      // gone meanwhile, or a zombie
    }
  }
  return left;
}

let runs = 0;

/** `fn` over `items`, `width` at a time (each run is a process of its own: the cases share the machine's cores). */
async function inParallel<T>(items: readonly T[], fn: (item: T) => Promise<void>, width = 3): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]!);
  }));
}

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  left: string[];
}

interface Run {
  /** The command line after `node dist/cli.js` (or after `node action.js` with `action`). */
  argv: string[];
  env?: NodeJS.ProcessEnv;
  /** Standard output into this file (e.g. /dev/full) instead of a pipe. */
  stdoutFile?: string;
  /** Sent once a process of the fake git stalls (a `sleep 600` in the repository). */
  signal?: NodeJS.Signals;
  action?: boolean;
}

/** Run the built CLI; kill it if it has not ended within EXIT_WITHIN_MS (the test then fails instead of hanging). */
function runBuilt(run: Run): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const stdout = run.stdoutFile ? openSync(run.stdoutFile, 'w') : 'pipe';
    const tag = `KEYGUARD_ENDING_TEST=${process.pid}-${++runs}`;
    const child = spawn(process.execPath, run.action ? [actionBundle] : [BUILT_CLI.cli, ...run.argv], {
      cwd: repo.dir,
      env: { ...gitEnv(), NO_COLOR: '1', CI: '', KG_REAL_GIT: realGit, ...run.env, [tag.split('=')[0]!]: tag.split('=')[1] },
      stdio: ['ignore', stdout, 'pipe'],
    });
    if (typeof stdout === 'number') closeSync(stdout);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, EXIT_WITHIN_MS);
    let poll: NodeJS.Timeout | undefined;
    if (run.signal) {
      const signal = run.signal;
      poll = setInterval(() => {
        if (leftBy(tag).some((p) => / sleep 600$/.test(p))) {
          clearInterval(poll);
          child.kill(signal);
        }
      }, 50);
    }
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearInterval(poll);
      resolve({ code, signal, timedOut, stdout: out, stderr, left: leftBy(tag) });
    });
  });
}

/** Ended in time, with `code`, one line on stderr matching `line` (no stack trace), and no process left. */
function expectEnded(r: Ended, code: number, line: RegExp): void {
  expect(r.timedOut, `still running after ${EXIT_WITHIN_MS} ms; stderr: ${r.stderr}`).toBe(false);
  expect(r.left, 'processes left running in the repository').toEqual([]);
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines, `exit ${r.code}: ${r.stderr}`).toHaveLength(1);
  expect(lines[0]).toMatch(line);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect({ code: r.code, signal: r.signal }).toEqual({ code, signal: null });
}

/** Every format, to standard output and with --output. */
// (FAKE is called inside a test: the fake git is written by beforeAll.)
const EVERY_WAY = FORMATS.flatMap((format) => [
  { format, output: false },
  { format, output: true },
]);
const how = (w: { format: string; output: boolean }, name = 'report'): string[] => ['--format', w.format, ...(w.output ? ['--output', join(outDir, `${name}.${w.format}`)] : [])];
const FAKE = (mode: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({ PATH: `${fakeBin}:${process.env['PATH']}`, KG_FAKE_GIT: mode, ...extra });

describe('a history scan that fails part-way ends with one line and exit 2', () => {
  const cases = [
    // git log fails mid-stream (not on a missing object, which the scan survives).
    { name: 'git log fails mid-stream', args: [] as string[], env: () => FAKE('log-dies'), line: /^keyguard: git log failed: fatal: injected failure$/ },
    // A cat-file reader sends part of the blobs, then is killed.
    { name: 'a cat-file reader is killed', args: ['--branch', 'main'], env: () => FAKE('catfile-dies'), line: /^keyguard: git cat-file failed/ },
    // A detection thread throws (--jobs 2 starts the threads at once).
    { name: 'a worker thread throws', args: ['--branch', 'main', '--jobs', '2'], env: () => ({ KEYGUARD_TEST_WORKER_FAILURE: 'throw' }), line: /^keyguard: internal error: detection worker failed: injected failure/ },
  ];
  for (const c of cases) {
    it(`${c.name}: every format, with and without --output`, async () => {
      await inParallel(EVERY_WAY, async (way) => {
        const r = await runBuilt({ argv: ['history', ...c.args, ...how(way)], env: c.env() });
        expectEnded(r, 2, c.line);
      });
    });
  }

  it('a worker thread that exits without a word', async () => {
    const r = await runBuilt({ argv: ['history', '--branch', 'main', '--jobs', '2', '--format', 'json'], env: { KEYGUARD_TEST_WORKER_FAILURE: 'exit' } });
    expectEnded(r, 2, /^keyguard: internal error: detection worker stopped unexpectedly \(exit code 3\)/);
  });
});

describe('the progress bar', () => {
  // What hung on a terminal: the bar's redraw timer went on after a failed scan and kept the process alive.
  it('is stopped when the scan fails after it started', async () => {
    const started = join(outDir, 'bar-started');
    const calls: string[] = [];
    const bar: ProgressBar = {
      start: () => {
        calls.push('start');
        writeFileSync(started, '');
      },
      update: () => undefined,
      setTotal: () => undefined,
      stop: () => calls.push('stop'),
    };
    const result = await run(['history', '--branch', 'main', '--progress'], {
      cwd: repo.dir,
      env: { ...gitEnv(), CI: '', KG_REAL_GIT: realGit, ...FAKE('log-fails-late', { KG_WAIT_FOR: started }) },
      stdin: Readable.from([]),
      stdoutIsTTY: false,
      stderrIsTTY: true,
      now: () => Date.now(),
      today: () => '2026-11-25',
      progressBar: () => bar,
    });
    expect(result.stderr).toBe('keyguard: git log failed: fatal: injected failure\n');
    expect(result.exitCode).toBe(2);
    expect(calls).toEqual(['start', 'stop']);
  });
});

describe('a report that cannot be written ends with one line and exit 2', () => {
  it('history, every format: --output /dev/full, and standard output on /dev/full', async () => {
    await inParallel(EVERY_WAY, async (way) => {
      const r = way.output
        ? await runBuilt({ argv: ['history', '--branch', 'main', '--format', way.format, '--output', '/dev/full'] })
        : await runBuilt({ argv: ['history', '--branch', 'main', '--format', way.format], stdoutFile: '/dev/full' });
      expectEnded(r, 2, way.output ? /^keyguard: --output \/dev\/full: cannot write the report \(ENOSPC/ : /^keyguard: cannot write the report to standard output \(ENOSPC/);
    });
  });

  it('scan and staged too', async () => {
    const [scan, staged] = await Promise.all([
      runBuilt({ argv: ['scan', '.', '--format', 'json', '--output', '/dev/full'] }),
      runBuilt({ argv: ['staged', '--format', 'junit'], stdoutFile: '/dev/full' }),
    ]);
    expectEnded(scan, 2, /^keyguard: --output \/dev\/full: cannot write the report/);
    expectEnded(staged, 2, /^keyguard: cannot write the report to standard output/);
  });
});

describe('scan and staged that fail part-way', () => {
  it('scan: git ls-files fails; staged: its cat-file reader is killed', async () => {
    const [scan, staged] = await Promise.all([
      runBuilt({ argv: ['scan', '.', ...how({ format: 'text', output: false })], env: FAKE('fail-ls-files') }),
      runBuilt({ argv: ['staged', ...how({ format: 'sarif', output: true }, 'staged')], env: FAKE('catfile-dies') }),
    ]);
    expectEnded(scan, 2, /^keyguard: git ls-files failed: fatal: injected failure$/);
    expectEnded(staged, 2, /^keyguard: git cat-file failed.*blocks the commit/);
  });
});

describe('a signal during a scan', () => {
  it('SIGTERM during history: every format, with and without --output: exit 143, git ended', async () => {
    await inParallel(EVERY_WAY, async (way) => {
      const r = await runBuilt({ argv: ['history', '--branch', 'main', ...how(way, 'signal')], env: FAKE('stall', { KG_STALL: 'log' }), signal: 'SIGTERM' });
      expectEnded(r, 143, /^keyguard: stopped by SIGTERM; the scan did not finish$/);
      // No report, not even part of one.
      if (way.output) expect(existsSync(join(outDir, `signal.${way.format}`))).toBe(false);
    });
  });

  it('SIGINT during history, scan and staged: exit 130, git ended', async () => {
    const runs = [
      { argv: ['history', '--branch', 'main', '--format', 'json'], stall: 'log' },
      { argv: ['scan', '.', '--format', 'github'], stall: 'ls-files' },
      { argv: ['staged', '--format', 'junit'], stall: 'diff' },
    ];
    await inParallel(runs, async (run) => {
      const r = await runBuilt({ argv: run.argv, env: FAKE('stall', { KG_STALL: run.stall }), signal: 'SIGINT' });
      expectEnded(r, 130, /^keyguard: stopped by SIGINT; the scan did not finish$/);
    });
  });
});

describe('the GitHub Action', () => {
  const actionEnv = (): NodeJS.ProcessEnv => {
    const event = join(outDir, 'event.json');
    writeFileSync(event, '{}');
    return { GITHUB_ACTIONS: 'true', GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_EVENT_PATH: event, GITHUB_WORKSPACE: repo.dir, INPUT_MODE: 'history', 'INPUT_SARIF-FILE': join(outDir, 'action.sarif'), GITHUB_OUTPUT: join(outDir, 'gh-output'), GITHUB_STEP_SUMMARY: '' };
  };

  it('fails the step at once when the history scan fails, and on SIGTERM ends git with exit 143', async () => {
    // Its one line is the workflow command that fails the step, on standard output.
    const failed = await runBuilt({ argv: [], action: true, env: { ...actionEnv(), ...FAKE('log-dies') } });
    expect(failed.timedOut).toBe(false);
    expect(failed.left).toEqual([]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toBe('');
    expect(failed.stdout).toMatch(/^::error::keyguard: git log failed: fatal: injected failure$/m);
    expect(failed.stdout.match(/^::error::/gm)).toHaveLength(1);
    const stopped = await runBuilt({ argv: [], action: true, env: { ...actionEnv(), ...FAKE('stall', { KG_STALL: 'log' }) }, signal: 'SIGTERM' });
    expectEnded(stopped, 143, /^keyguard: stopped by SIGTERM; the scan did not finish$/);
  });
});
