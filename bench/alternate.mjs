#!/usr/bin/env node
// Commands timed in turn, round after round, so a slow spell of the machine falls on all of them alike: for comparing
// two builds of keyguard beside git's floor on a noisy machine. See --help.
import { parseArgs } from 'node:util';
import { median, runOnce } from './lib/measure.mjs';

const HELP = `Usage: node bench/alternate.mjs [--rounds N] [--cwd DIR] NAME=COMMAND...

Runs each COMMAND (with sh -c, in DIR) once per round, in the order given, after one unmeasured round, and prints one
JSON line per command: {"name","cmd","runs","median_s","min_s","ratio"}. "ratio" is the median, over the rounds, of
the command's time divided by the first command's time in the same round (the first command is the floor).

Example, two builds beside the history floor:
  node bench/alternate.mjs --cwd REPO floor='git cat-file --batch-all-objects --batch' \\
    old='node /tmp/old/dist/cli.js history --format json' new='node dist/cli.js history --format json'

Options:
  --rounds N   measured rounds (default 7)
  --cwd DIR    where the commands run (default: here)
  -h, --help   this text
`;

const { values: opt, positionals } = parseArgs({
  allowPositionals: true,
  options: { rounds: { type: 'string', default: '7' }, cwd: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
});
if (opt.help) {
  process.stdout.write(HELP);
  process.exit(0);
}
const rounds = Number(opt.rounds);
const commands = positionals.map((arg) => {
  const at = arg.indexOf('=');
  return at > 0 ? { name: arg.slice(0, at), cmd: arg.slice(at + 1), times: [] } : undefined;
});
if (!Number.isInteger(rounds) || rounds < 1 || commands.length < 2 || commands.includes(undefined)) {
  process.stderr.write('bench/alternate.mjs: give --rounds a whole number and at least two NAME=COMMAND arguments; see --help\n');
  process.exit(2);
}
const cwd = opt.cwd ?? process.cwd();
for (let round = 0; round <= rounds; round++) {
  for (const c of commands) {
    // Exit 1 is a scanner's "found something"; anything else stops here.
    const r = runOnce(['sh', '-c', c.cmd], { cwd });
    if (r.status !== 0 && r.status !== 1) {
      process.stderr.write(`bench/alternate.mjs: ${c.name} exited ${r.status}: ${r.stderr.trim().split('\n').pop() ?? ''}\n`);
      process.exit(2);
    }
    if (round > 0) c.times.push(r.seconds);
  }
  process.stderr.write(`bench/alternate.mjs: round ${round}/${rounds}\n`);
}
const floor = commands[0].times;
for (const c of commands) {
  const line = {
    name: c.name,
    cmd: c.cmd,
    runs: c.times.length,
    median_s: Math.round(median(c.times) * 1e4) / 1e4,
    min_s: Math.round(Math.min(...c.times) * 1e4) / 1e4,
    ratio: Math.round(median(c.times.map((t, i) => t / floor[i])) * 1000) / 1000,
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
}
