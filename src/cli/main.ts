// The bin: the only code that touches process. Exit codes: 0 clean, 1 findings, 2 error.
// entry.ts picks the path: the hook's `keyguard staged` and a plain `scan` or `history` never load yargs.
import { availableParallelism } from 'node:os';
import { runArgv } from './entry.js';

const argv = process.argv.slice(2);
// The progress bar's library is loaded only when there is a terminal to draw it on (never in CI, hooks or pipes).
const cliProgress = process.stderr.isTTY ? (await import('cli-progress')).default : undefined;
const io = {
  cwd: process.cwd(),
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
};
const result = await runArgv(argv, io);

function write(stream: NodeJS.WriteStream, text: string): Promise<boolean> {
  return new Promise((resolve) => {
    if (!text) return resolve(true);
    stream.write(text, (err) => resolve(!err));
  });
}

// A reader that goes away early (keyguard … | head) is a report that could not be written: exit 2.
let broken = false;
process.stdout.on('error', () => {
  broken = true;
});
const wrote = await write(process.stdout, result.stdout);
await write(process.stderr, result.stderr);
process.exitCode = wrote && !broken ? result.exitCode : 2;
