// The bin: the only code that touches process. Exit codes: 0 clean, 1 findings, 2 error; 130 and 143 when SIGINT or
// SIGTERM ended the run (128 + the signal's number, as a shell reports a command a signal ended).
// entry.ts picks the path: the hook's `keyguard staged` and a plain `scan` or `history` never load yargs.
import { availableParallelism } from 'node:os';
import { createScope } from '../scope.js';
import { endOnSignals, exitWhenDone } from './ending.js';
import { VERSION } from './run-io.js';

const argv = process.argv.slice(2);
// `keyguard --version` answers before the scanning code is even loaded (in-process, yargs prints the same line).
if (argv.length === 1 && argv[0] === '--version') {
  process.stdout.write(`${VERSION}\n`);
  process.exit(0);
}
// Everything the run starts (git processes, sockets, threads, the progress bar) is owned here, so a signal ends it all.
const scope = createScope();
const signals = endOnSignals(scope);
// The progress bar's library is loaded only when there is a terminal to draw it on (never in CI, hooks or pipes).
const cliProgress = process.stderr.isTTY ? (await import('cli-progress')).default : undefined;
const io = {
  cwd: currentFolder(),
  env: process.env,
  stdin: process.stdin,
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  // Monotonic milliseconds (process.hrtime: `performance` loads a module at its first use).
  now: () => {
    const [s, ns] = process.hrtime();
    return s * 1e3 + ns / 1e6;
  },
  today: () => new Date().toISOString().slice(0, 10),
  self: { node: process.execPath, cli: process.argv[1] ?? '' },
  workerUrl: new URL('./worker.js', import.meta.url),
  ...(cliProgress
    ? {
        progressBar: () =>
          new cliProgress.SingleBar(
            { stream: process.stderr, format: 'keyguard {bar} {value}{of} {unit} | {mbps} MB/s{left}', hideCursor: true, clearOnComplete: true, etaBuffer: 200, fps: 10 },
            cliProgress.Presets.shades_classic,
          ),
      }
    : {}),
  cores: availableParallelism(),
  scope,
};
const { runArgv } = await import('./entry.js');
const result = await runArgv(argv, io);

/** The current folder, or one line and exit 2 when it was deleted (or moved) under the shell that started keyguard. */
function currentFolder(): string {
  try {
    return process.cwd();
  } catch {
    process.stderr.write('keyguard: the current folder no longer exists (deleted or moved); cd into a folder that exists and run keyguard again\n');
    process.exit(2);
  }
}

/** Write, and say how it failed (undefined: it did not). */
function write(stream: NodeJS.WriteStream, text: string): Promise<NodeJS.ErrnoException | undefined> {
  return new Promise((resolve) => {
    if (!text) return resolve(undefined);
    stream.write(text, (err) => resolve(err ?? undefined));
  });
}

// A signal that arrived during the run has the last word (endOnSignals): nothing else is written.
if (signals.received()) await signals.exited;
// A reader that goes away early (keyguard … | head) is a report that could not be written: exit 2, quietly. Any other
// failure to write standard output (a full disk) says so in one line.
let broken: NodeJS.ErrnoException | undefined;
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  broken ??= e;
});
broken = (await write(process.stdout, result.stdout)) ?? broken;
const failed = broken !== undefined;
const why = broken && broken.code !== 'EPIPE' ? `keyguard: cannot write the report to standard output (${broken.message}); choose another place with --output FILE\n` : '';
await write(process.stderr, result.stderr + why);
process.exitCode = failed ? 2 : result.exitCode;
exitWhenDone();
