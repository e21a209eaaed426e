// What a command writes: the progress bar while it scans, then the report (to standard output or --output, with the
// job summary under GitHub Actions), the warnings and skips, and the exit code. Plain functions over the run record.
import { appendFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Rule, ScanResult } from '../types.js';
import { renderSummary, reporters } from '../report/index.js';
import { renderWarning } from '../report/advice.js';
import { separateWarnings } from '../filter/file-facts.js';
import { renderVerifySummary } from '../verify/verify.js';
import type { Progress } from '../scan/index.js';
import { UsageError } from './errors.js';
import { formatEta, VERSION, type CommonArgs } from './run-io.js';
import { warn, type Run } from './run-state.js';
import type { Setup } from './setup.js';

/** Colour for the text report: on a terminal unless NO_COLOR or --no-color; never into --output. */
export function useColor(run: Run, args: Pick<CommonArgs, 'color' | 'output' | 'format'>): boolean {
  const env = run.io.env;
  if (args.color === false || args.output) return false;
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return false;
  if (args.color === true || env['FORCE_COLOR']) return true;
  return run.io.stdoutIsTTY && args.format === 'text';
}

/** Check --output before scanning, so a bad path fails fast and a scanned file is never overwritten. */
export function checkOutput(run: Run, args: Pick<CommonArgs, 'output'>, scanned: string[]): void {
  if (!args.output) return;
  const target = resolve(run.io.cwd, args.output);
  const folder = dirname(target);
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new UsageError(`--output ${args.output}: folder ${folder} does not exist; create it or choose another path`);
  }
  if (existsSync(target) && statSync(target).isFile()) {
    for (const p of scanned) {
      const root = resolve(run.io.cwd, p);
      if (target === root || target.startsWith(`${root}/`)) {
        throw new UsageError(`--output ${args.output}: that file is inside the scanned path ${p}; write the report outside it or delete the file first`);
      }
    }
  }
}

/**
 * A progress callback for a long scan, or undefined when no bar should show: off with --quiet or --no-progress, in
 * CI, and when stderr is not a terminal. `total` is read at each update (it may become known only once the scan is
 * under way). The bar belongs to the run's scope: a scan that fails stops it too.
 */
export function progressFor(run: Run, args: Pick<CommonArgs, 'quiet' | 'progress'>, unit: string, total: () => number | undefined): Progress | undefined {
  const io = run.io;
  const ci = io.env['CI'] !== undefined && io.env['CI'] !== '' && io.env['CI'] !== 'false';
  if (args.quiet || args.progress === false || !io.progressBar || (args.progress !== true && (ci || !io.stderrIsTTY))) return undefined;
  const bar = io.progressBar();
  const started = io.now();
  let shownTotal = 0;
  let last = 0;
  let stopped = false;
  /** Stop the bar for good (it clears its line and shows the cursor again), and draw it no more. */
  const stopBar = (): void => {
    if (stopped) return;
    stopped = true;
    if (shownTotal !== 0) bar.stop();
  };
  // Its redraws would go on (and keep the process alive) after a scan that failed: the run's end stops it.
  const release = run.scope.own(stopBar);
  const update = (done: { files: number; bytes: number }): void => {
    if (stopped) return;
    const now = io.now();
    if (now - last < 100 && done.files !== shownTotal) return;
    last = now;
    const seconds = Math.max((now - started) / 1000, 0.001);
    const t = total();
    // Until the source knows how many there are (history: until git log is listed), say so instead of a false total.
    const known = t !== undefined && t >= done.files;
    const barTotal = known ? Math.max(t, 1) : done.files + 1;
    const rate = done.files / seconds;
    const payload = {
      unit,
      mbps: (done.bytes / 1e6 / seconds).toFixed(1),
      of: known ? `/${t}` : ' (counting…)',
      left: known && rate > 0 ? ` | ETA ${formatEta((t - done.files) / rate)}` : '',
    };
    if (shownTotal === 0) bar.start(barTotal, done.files, payload);
    else if (barTotal !== shownTotal) bar.setTotal(barTotal);
    shownTotal = barTotal;
    bar.update(done.files, payload);
  };
  // The total may become known only after the last update (a small history lists slower than it reads): show it.
  const stop = (): void => {
    release();
    if (shownTotal === 0 || stopped) return;
    const t = total();
    if (t !== undefined && t !== shownTotal) bar.setTotal(t);
    stopBar();
  };
  return Object.assign(update, { stop });
}

/** After the scan, with --baseline-update: rewrite the baseline. `partial`: the scan did not look everywhere, so it only adds. */
export function finishBaseline(run: Run, setup: Setup, result: ScanResult, args: Pick<CommonArgs, 'quiet'>, partial: boolean): void {
  const done = setup.baseline?.finish(result, { prefix: setup.pathPrefix, root: setup.workRoot }, partial);
  if (done && !args.quiet) warn(run, `keyguard: baseline ${setup.baseline!.file} now holds ${done.entries} finding(s) (${done.added} added, ${done.removed} removed)`);
}

/**
 * What comes after the scan and before the report: the --verify summary line, and the matches of `warnOnly` rules
 * (a .env of public settings) taken out of the findings: one warning line each on stderr, and in the report's notes
 * for machine formats. They never block a commit or fail a scan.
 */
export function settle(run: Run, setup: Setup, scanned: ScanResult, args: Pick<CommonArgs, 'quiet' | 'format'>): ScanResult {
  if (setup.verify && !(args.quiet && scanned.findings.length === 0)) warn(run, `keyguard: ${renderVerifySummary(scanned.findings)}`);
  const { result, warned } = separateWarnings(scanned, setup.rules);
  const warnings = warned.map((f) => renderWarning(f, scanned.mode));
  for (const w of warnings) warn(run, `keyguard: warning: ${w}`);
  if (args.format !== 'text') result.notes.push(...warnings);
  return result;
}

/** A scan's settled result, and the rules it ran (the reports describe them). */
export interface Scanned {
  result: ScanResult;
  rules: Rule[];
}

/** Render a result, write it, and return the exit code for it. */
export function writeReport(run: Run, result: ScanResult, args: CommonArgs, rules: readonly Rule[]): number {
  const io = run.io;
  const options = { color: useColor(run, args), toolVersion: VERSION, today: io.today(), rules: [...rules] };
  const rendered = reporters[args.format](result, options);
  if (args.output) {
    try {
      writeFileSync(resolve(io.cwd, args.output), rendered);
    } catch (err) {
      throw new UsageError(`--output ${args.output}: cannot write the report (${(err as Error).message}); choose a writable path`);
    }
    if (!args.quiet) warn(run, result.findings.length > 0 ? `keyguard: ${result.findings.length} findings; report written to ${args.output}` : `keyguard: no leaks found; report written to ${args.output}`);
  } else if (!(args.quiet && args.format === 'text' && result.findings.length === 0 && !result.review?.length)) {
    run.out.stdout += rendered;
  }
  // In GitHub Actions, --format github also appends the Markdown job summary (table + leak-response checklist).
  const stepSummary = io.env['GITHUB_STEP_SUMMARY'];
  if (args.format === 'github' && stepSummary) {
    try {
      appendFileSync(stepSummary, renderSummary(result, options));
    } catch (err) {
      warn(run, `keyguard: warning: cannot append the job summary to GITHUB_STEP_SUMMARY (${(err as Error).message})`);
    }
  }
  if (result.skipped.length > 0 && !args.quiet && args.format !== 'text') {
    warn(run, `keyguard: ${result.skipped.length} file(s) skipped (see "skipped" in the report)`);
  }
  if (args.format === 'text' && !args.quiet) {
    for (const s of result.skipped.slice(0, 20)) warn(run, `skipped ${s.path}: ${s.reason}`);
    if (result.skipped.length > 20) warn(run, `… and ${result.skipped.length - 20} more skipped`);
  }
  return result.findings.length > 0 ? args.exitCode : 0;
}
