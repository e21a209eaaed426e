// The bin: the only code that touches process. Exit codes: 0 clean, 1 findings, 2 error.
import { run } from './run.js';

const result = await run(process.argv.slice(2), {
  cwd: process.cwd(),
  env: process.env,
  stdin: process.stdin,
  stdoutIsTTY: Boolean(process.stdout.isTTY),
  stderrIsTTY: Boolean(process.stderr.isTTY),
  now: () => performance.now(),
  today: () => new Date().toISOString().slice(0, 10),
  self: { node: process.execPath, cli: process.argv[1] ?? '' },
});

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
