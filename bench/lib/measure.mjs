// Timing and peak memory of one command, run several times. Wall time comes from the clock around the process;
// peak RSS from GNU time (`/usr/bin/time -f %M`: the largest resident set of the command or of any process it waited
// for, git's included, whose mapped pack files count), or is left out when GNU time is not installed. Node processes
// also report their own peak (rss-probe.cjs, preloaded): that is keyguard's memory, git's apart.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PROBE = fileURLToPath(new URL('./rss-probe.cjs', import.meta.url));

export const GNU_TIME = ['/usr/bin/time', '/bin/time'].find((p) => existsSync(p) && spawnSync(p, ['-f', '%M', 'true'], { stdio: 'ignore' }).status === 0);

export function median(values) {
  const s = [...values].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return NaN;
  return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/**
 * Run `argv` once in `cwd`; stdout goes to `stdoutFile` (default /dev/null).
 * @returns {{seconds:number, rssKB:number|undefined, status:number|null, timedOut:boolean, stderr:string}}
 */
export function runOnce(argv, { cwd, env, stdoutFile, timeoutMs }) {
  const dir = mkdtempSync(join(tmpdir(), 'kg-bench-'));
  const rssFile = join(dir, 'rss');
  const nodeRssFile = join(dir, 'node-rss');
  const base = env ?? process.env;
  const probed = { ...base, NODE_OPTIONS: `${base.NODE_OPTIONS ?? ''} --require ${PROBE}`.trim(), KG_BENCH_RSS_FILE: nodeRssFile };
  const out = openSync(stdoutFile ?? '/dev/null', 'w');
  const full = GNU_TIME ? [GNU_TIME, '-f', '%M %U %S', '-o', rssFile, '--', ...argv] : argv;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(full[0], full.slice(1), { cwd, env: probed, stdio: ['ignore', out, 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  closeSync(out);
  let rssKB;
  let cpuSeconds;
  try {
    const last = readFileSync(rssFile, 'utf8').trim().split('\n').pop();
    const m = /^(\d+) ([\d.]+) ([\d.]+)$/.exec(last);
    if (m) {
      rssKB = Number(m[1]);
      cpuSeconds = Number(m[2]) + Number(m[3]);
    }
  } catch {
    // no GNU time, or the command was killed
  }
  let nodeRssKB;
  try {
    for (const line of readFileSync(nodeRssFile, 'utf8').trim().split('\n')) {
      const kb = Number(line.split(' ')[1]);
      if (Number.isFinite(kb)) nodeRssKB = Math.max(nodeRssKB ?? 0, kb);
    }
  } catch {
    // not a Node process
  }
  rmSync(dir, { recursive: true, force: true });
  const timedOut = r.error?.code === 'ETIMEDOUT' || (r.signal === 'SIGKILL' && seconds * 1000 >= (timeoutMs ?? Infinity));
  return { seconds, rssKB, cpuSeconds, nodeRssKB, status: r.status, timedOut, stderr: (r.stderr ?? Buffer.alloc(0)).toString('utf8'), error: r.error };
}

/**
 * Run a command `runs` times (after `warmup` unmeasured runs) and summarise. A run slower than `slowSeconds` ends
 * the series early (that one run is the figure); a run past `timeoutMs` is killed and reported as a timeout.
 * `okStatus` lists the exit codes that count as success (scanners exit 1 when they find something).
 */
export function measure(argv, { cwd, env, runs = 3, warmup = 1, timeoutMs = 600_000, slowSeconds = 60, okStatus = [0], stdoutFile } = {}) {
  const times = [];
  const cpu = [];
  let peak = 0;
  let sawRss = false;
  let nodePeak;
  for (let i = 0; i < warmup + runs; i++) {
    const r = runOnce(argv, { cwd, env, stdoutFile, timeoutMs });
    if (r.timedOut) return { status: 'timeout', seconds: r.seconds, runs: times.length };
    if (r.error && r.error.code !== 'ETIMEDOUT') return { status: 'error', error: r.error.message, runs: times.length };
    if (!okStatus.includes(r.status)) return { status: 'error', error: `exit ${r.status}: ${r.stderr.trim().split('\n').slice(-3).join(' | ').slice(0, 300)}`, runs: times.length };
    if (r.rssKB !== undefined) {
      sawRss = true;
      peak = Math.max(peak, r.rssKB);
    }
    if (r.nodeRssKB !== undefined) nodePeak = Math.max(nodePeak ?? 0, r.nodeRssKB);
    if (i < warmup && r.seconds < slowSeconds) continue;
    times.push(r.seconds);
    if (r.cpuSeconds !== undefined) cpu.push(r.cpuSeconds);
    if (r.seconds >= slowSeconds) break;
  }
  return { status: 'ok', runs: times.length, median: median(times), min: Math.min(...times), max: Math.max(...times), cpu: cpu.length === times.length ? median(cpu) : undefined, rssMB: sawRss ? peak / 1024 : undefined, nodeRssMB: nodePeak === undefined ? undefined : nodePeak / 1024 };
}
