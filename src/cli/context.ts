// What every command gets: the outside world (injected, so tests run commands in-process),
// the common options, and the shared steps (load rules, render and write a report, pick the exit code).
import { appendFileSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Finding, RawFinding, Rule, ScanResult } from '../types.js';
import { builtinRulesDir, formatRuleError, loadRuleDir } from '../config/rules.js';
import { createRuleSet, type RuleSet } from '../detect/engine.js';
import { renderSummary, reporters, type ReportFormat } from '../report/index.js';
import { UsageError } from './errors.js';
import { findWorkTree } from '../sources/git.js';
import { createDetectPool, type DetectPool, type WorkerFailure } from '../scan/detect-pool.js';
import { createScope, type Scope } from '../scope.js';
import { keepVerifiableSecrets, MAX_CONCURRENT, renderVerifySummary, verifyCredentials, withVerification } from '../verify/verify.js';
import { parseApiBase } from '../verify/api-base.js';
import { activeRules, readProjectConfig } from '../config/read-config.js';
import { DEFAULT_CONFIG, formatConfigError, type ProjectConfig } from '../config/config-types.js';
import type { Suppression } from '../filter/pipeline.js';
import { BaselineRun } from './baseline-run.js';
import { separateWarnings } from '../filter/file-facts.js';
import { renderWarning } from '../report/advice.js';
import type { TrustedSource } from '../sources/git-file.js';

/** Below this, starting worker threads costs more than it saves. */
const POOL_AFTER_BYTES = 16 * 1024 * 1024;

declare const __KEYGUARD_VERSION__: string | undefined;
export const VERSION = typeof __KEYGUARD_VERSION__ === 'string' ? __KEYGUARD_VERSION__ : '0.0.0-dev';

export interface RunIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Monotonic milliseconds. */
  now: () => number;
  /** Today as YYYY-MM-DD. */
  today: () => string;
  /** The node binary and CLI script running now, for hooks that must find keyguard again. */
  self?: { node: string; cli: string };
  /** The built detection worker (dist/worker.js); without it every scan runs on one thread. */
  workerUrl?: URL;
  /** Cores to use (os.availableParallelism()). */
  cores?: number;
  /** A progress bar on stderr (main.ts gives one only when stderr is a terminal); tests leave it out. */
  progressBar?: () => ProgressBar;
  /**
   * Owns what the run starts (git processes, sockets, threads, the progress bar); the run closes it when it ends,
   * and main.ts on a signal. Without one, the run makes its own.
   */
  scope?: Scope;
}

/** What a progress bar needs (cli-progress's SingleBar fits). */
export interface ProgressBar {
  start(total: number, value: number, payload?: object): void;
  update(value: number, payload?: object): void;
  setTotal(total: number): void;
  stop(): void;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CommonArgs {
  format: ReportFormat;
  output?: string;
  showSecrets: boolean;
  color?: boolean;
  quiet: boolean;
  exitCode: number;
  /** Show a progress bar: default on a terminal, never in CI, when piped or with --quiet. */
  progress?: boolean;
  /** --verify: check API keys and auth keys against Google after the scan. Off unless set (a config may set it). */
  verify?: boolean;
  /** --verify-timeout: seconds per request (default 5). */
  verifyTimeout?: number;
  /** --config FILE (else KEYGUARD_CONFIG, else .keyguard.yaml at the work tree root). */
  config?: string;
  /** --baseline FILE: report only findings whose fingerprint it does not hold. */
  baseline?: string;
  /** --baseline-update: rewrite the --baseline file with this scan's findings. */
  baselineUpdate?: boolean;
  /** Set by keyguard baseline (not an option): write the --baseline file from scratch, whatever it holds. */
  baselineFresh?: boolean;
  /** --no-inline-allow (history, scan, staged): ignore keyguard:allow and the like, so a reviewer decides. */
  inlineAllow?: boolean;
}

/** "42s", "3m05s": an ETA for the progress bar. */
export function formatEta(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export class Context {
  stdout = '';
  stderr = '';
  private rules: Rule[] | undefined;
  private builtins: Rule[] | undefined;
  /** The project configuration: the defaults until loadConfig() ran. */
  config: ProjectConfig = DEFAULT_CONFIG;
  /** Where the scan runs, relative to the work tree root ('' at the root): allowlists and baselines are root-relative. */
  private pathPrefix = '';
  /** That work tree root, with forward slashes. */
  private workRoot: string | undefined;
  private baselineRun: BaselineRun | undefined;
  /** Where the configuration and the baseline were read from, when not the disk (the index, a range's base). */
  private trusted: TrustedSource | undefined;
  /** --verify only: credential id → raw API key, in memory until verify() ran. */
  private secrets: Map<string, string> | undefined;
  /** --verify only: the endpoint prepareVerify checked. */
  private verifyBase: string | undefined;

  /** Work tree roots asked of git in this run, by folder: the config lookup and the tree source share them. */
  private workTrees = new Map<string, Promise<string | undefined>>();

  /** What this run started and must end, whichever way it ends (see src/scope.ts): end() closes it. */
  readonly scope: Scope;

  constructor(readonly io: RunIO) {
    this.scope = io.scope ?? createScope();
  }

  /**
   * The run is over (done, failed or interrupted): end every git process, socket and thread it started and stop the
   * progress bar, and wait (a few seconds at most) until they are gone. Every entry point calls it in a `finally`.
   */
  end(): Promise<void> {
    return this.scope.close();
  }

  /** The git work tree around `dir` (git rev-parse once per folder in this run). */
  workTreeOf(dir: string): Promise<string | undefined> {
    let root = this.workTrees.get(dir);
    if (!root) this.workTrees.set(dir, (root = findWorkTree(dir, this.io.env, this.scope)));
    return root;
  }

  warn(line: string): void {
    this.stderr += `${line}\n`;
  }

  /** The git work tree around the current folder, or a usage error naming the command that needs one. */
  async requireWorkTree(command: string): Promise<string> {
    const root = await findWorkTree(this.io.cwd, this.io.env, this.scope);
    if (!root) throw new UsageError(`${this.io.cwd}: not inside a git work tree; run ${command} in a git repository`);
    return root;
  }

  /**
   * Worker threads for a big scan: by default started only after POOL_AFTER_BYTES were scanned on the main thread,
   * so small repositories never pay for them. None without a built worker, on one core, or with --jobs 1.
   */
  detectPool(jobs: number | undefined, rules: Rule[]): { pool?: { start: () => DetectPool; afterBytes: number } } {
    const url = this.io.workerUrl;
    // By default one thread fewer than cores: the main thread (reading) and git's readers need one. On 2 cores that
    // is none, which the bench measured faster and cheaper than two threads contending with git.
    const size = jobs ?? Math.max(1, (this.io.cores ?? 1) - 1);
    if (!url || size < 2 || !existsSync(url)) return {};
    // An explicit --jobs starts the threads at once; the default waits until the scan proves big.
    // Tests only: make a worker fail (see WorkerFailure in detect-pool.ts).
    const injected = this.io.env['KEYGUARD_TEST_WORKER_FAILURE'];
    const failForTest = injected === 'throw' || injected === 'crash' || injected === 'exit' ? (injected satisfies WorkerFailure) : undefined;
    const start = (): DetectPool => {
      if (this.io.env['KEYGUARD_DEBUG']) this.warn(`keyguard: detecting on ${size} worker threads`);
      return createDetectPool(url, rules, size, { scope: this.scope, failForTest });
    };
    return { pool: { start, afterBytes: jobs !== undefined ? 0 : POOL_AFTER_BYTES } };
  }

  /**
   * A progress callback for a long scan, or undefined when no bar should show: off with --quiet or
   * --no-progress, in CI, and when stderr is not a terminal. `total` is read at each update (it may become known
   * only once the scan is under way).
   */
  progress(args: CommonArgs, unit: string, total: () => number | undefined): ((done: { files: number; bytes: number }) => void) & { stop(): void } | undefined {
    const ci = this.io.env['CI'] !== undefined && this.io.env['CI'] !== '' && this.io.env['CI'] !== 'false';
    if (args.quiet || args.progress === false || !this.io.progressBar || (args.progress !== true && (ci || !this.io.stderrIsTTY))) return undefined;
    const bar = this.io.progressBar();
    const started = this.io.now();
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
    const release = this.scope.own(stopBar);
    const update = (done: { files: number; bytes: number }): void => {
      if (stopped) return;
      const now = this.io.now();
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

  private async builtinRules(): Promise<Rule[]> {
    if (this.builtins) return this.builtins;
    const loaded = await loadRuleDir(builtinRulesDir());
    if (!loaded.ok) {
      const first = loaded.errors[0]!;
      const more = loaded.errors.length > 1 ? ` (and ${loaded.errors.length - 1} more)` : '';
      throw new UsageError(`${formatRuleError(first)}${more}: fix the rule file`);
    }
    this.builtins = loaded.value;
    return this.builtins;
  }

  /** The rules that run: built-in ones (unless the configuration says `extends: false`), the user's, minus `disable`. */
  async loadRules(): Promise<Rule[]> {
    this.rules ??= activeRules(await this.builtinRules(), this.config);
    return this.rules;
  }

  /**
   * Load the project configuration before the rules (src/config/read-config.ts says where it is looked up). `root`:
   * the work tree of what is scanned (else found from `scanPath`, else the current folder's); `from` reads a
   * configuration (and later the baseline) inside the repository from git: the index (the hook) or the base of a range.
   * The configuration's `verify` is --verify's default.
   */
  async loadConfig(args: CommonArgs, where: { root?: string | undefined; scanPath?: string; from?: TrustedSource | undefined }): Promise<ProjectConfig> {
    let root = where.root;
    if (root === undefined) {
      const target = resolve(this.io.cwd, where.scanPath ?? '.');
      const dir = existsSync(target) && statSync(target).isDirectory() ? target : dirname(target);
      root = await this.workTreeOf(dir);
    }
    const loaded = await readProjectConfig({ cwd: this.io.cwd, env: this.io.env, explicit: args.config, root, from: where.from, builtins: await this.builtinRules() });
    if (!loaded.ok) {
      const more = loaded.errors.length > 1 ? ` (and ${loaded.errors.length - 1} more)` : '';
      throw new UsageError(`${formatConfigError(loaded.errors[0]!)}${more}`);
    }
    if (!args.quiet) for (const w of loaded.value.warnings) this.warn(w);
    this.config = loaded.value.config;
    this.rules = undefined;
    // keyguard scan reports paths relative to the current folder; staged and history, relative to the root already.
    const rel = root && where.scanPath !== undefined ? relative(root, this.io.cwd) : '';
    this.pathPrefix = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : '';
    this.workRoot = root?.split(sep).join('/');
    this.trusted = root ? where.from : undefined;
    if (args.verify === undefined && this.config.verify !== undefined) args.verify = this.config.verify;
    return this.config;
  }

  /**
   * Scan options for the suppression layers: inline markers (unless --no-inline-allow), the configuration's
   * allowlists, then --baseline (read now, so a bad file fails before the scan, from where loadConfig read the
   * configuration). In a range scan the findings only a marker hides are listed for review.
   */
  async suppression(args: CommonArgs): Promise<{ suppress: Suppression; keepBaselined?: (findings: Finding[]) => void }> {
    const trusted = this.trusted && this.workRoot ? { root: this.workRoot, source: this.trusted } : undefined;
    const run = await BaselineRun.open(args, this.io.cwd, { fresh: args.baselineFresh ?? false, trusted, env: this.io.env, warn: (line) => !args.quiet && this.warn(line) });
    this.baselineRun = run;
    const suppress: Suppression = {
      allowlists: { global: this.config.allowlist, byRule: this.config.ruleAllowlists },
      pathPrefix: this.pathPrefix,
      ...(this.workRoot ? { root: this.workRoot } : {}),
      ...(args.inlineAllow === false ? { inline: false } : {}),
      ...(this.trusted?.type === 'revision' ? { reviewInline: true } : {}),
    };
    if (!run) return { suppress };
    suppress.baseline = run.fingerprints();
    return { suppress, keepBaselined: (found) => run.keep(found) };
  }

  /** After the scan, with --baseline-update: rewrite the baseline. `partial`: the scan did not look everywhere, so it only adds. */
  finishBaseline(result: ScanResult, args: CommonArgs, partial: boolean): void {
    const done = this.baselineRun?.finish(result, { prefix: this.pathPrefix, root: this.workRoot }, partial);
    if (done && !args.quiet) this.warn(`keyguard: baseline ${this.baselineRun!.file} now holds ${done.entries} finding(s) (${done.added} added, ${done.removed} removed)`);
  }

  async loadRuleSet(): Promise<RuleSet> {
    return createRuleSet(await this.loadRules());
  }

  /**
   * Scan options for --verify (none without it): the scan hands over the raw secrets of API keys and auth keys, kept
   * in this context's memory for verify() and nowhere else. Checks the options first, so a typo fails before the scan.
   */
  prepareVerify(args: CommonArgs): { keepSecrets?: (raw: readonly RawFinding[]) => void } {
    if (!args.verify) return {};
    const timeout = args.verifyTimeout ?? 5;
    const base = parseApiBase(this.io.env);
    if (!base.ok) throw new UsageError(`KEYGUARD_GOOGLE_API_BASE=${this.io.env['KEYGUARD_GOOGLE_API_BASE']}: ${base.errors[0]}; set it to a URL like https://generativelanguage.googleapis.com or unset it`);
    this.verifyBase = base.value;
    const secrets = (this.secrets ??= new Map());
    return { keepSecrets: (raw) => keepVerifiableSecrets(raw, secrets) };
  }

  /**
   * --verify, after the scan and before the report: one GET /v1beta/models per API key or auth key (never per finding),
   * `verification` on every finding, a summary line on stderr. The only network access in keyguard.
   */
  async verify(result: ScanResult, args: CommonArgs): Promise<ScanResult> {
    const base = this.verifyBase;
    if (!args.verify || base === undefined) return result;
    const secrets = this.secrets ?? new Map<string, string>();
    let verified = result;
    if (result.findings.length > 0) {
      // Loaded only here: the hook's path and every scan without --verify never load the HTTP client.
      const { createGoogleClient } = await import('../verify/http.js');
      const client = createGoogleClient(base, { env: this.io.env, timeoutSeconds: args.verifyTimeout ?? 5, userAgent: `keyguard/${VERSION}` });
      try {
        verified = withVerification(result, await verifyCredentials(result.findings, secrets, { probe: (key) => client.probe(key), concurrency: MAX_CONCURRENT }));
      } finally {
        await client.close();
      }
    }
    secrets.clear();
    if (!(args.quiet && result.findings.length === 0)) this.warn(`keyguard: ${renderVerifySummary(verified.findings)}`);
    return verified;
  }

  useColor(args: CommonArgs): boolean {
    if (args.color === false || args.output) return false;
    if (this.io.env['NO_COLOR'] !== undefined && this.io.env['NO_COLOR'] !== '') return false;
    if (args.color === true || this.io.env['FORCE_COLOR']) return true;
    return this.io.stdoutIsTTY && args.format === 'text';
  }

  /** Check --output before scanning, so a bad path fails fast and a scanned file is never overwritten. */
  checkOutput(args: CommonArgs, scanned: string[]): void {
    if (!args.output) return;
    const target = resolve(this.io.cwd, args.output);
    const folder = dirname(target);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      throw new UsageError(`--output ${args.output}: folder ${folder} does not exist; create it or choose another path`);
    }
    if (existsSync(target) && statSync(target).isFile()) {
      for (const p of scanned) {
        const root = resolve(this.io.cwd, p);
        if (target === root || target.startsWith(`${root}/`)) {
          throw new UsageError(`--output ${args.output}: that file is inside the scanned path ${p}; write the report outside it or delete the file first`);
        }
      }
    }
  }

  /**
   * Take the matches of `warnOnly` rules (a .env of public settings) out of the findings: one warning line each on
   * stderr, and in the report's notes for machine formats. They never block a commit or fail a scan.
   */
  separateWarnings(scanned: ScanResult, rules: readonly Rule[], args: CommonArgs): ScanResult {
    const { result, warned } = separateWarnings(scanned, rules);
    const warnings = warned.map((f) => renderWarning(f, scanned.mode));
    for (const w of warnings) this.warn(`keyguard: warning: ${w}`);
    if (args.format !== 'text') result.notes.push(...warnings);
    return result;
  }

  /** Render a result, write it, and return the exit code for it. */
  report(result: ScanResult, args: CommonArgs): number {
    const options = { color: this.useColor(args), toolVersion: VERSION, today: this.io.today(), rules: this.rules ?? [] };
    const rendered = reporters[args.format](result, options);
    if (args.output) {
      try {
        writeFileSync(resolve(this.io.cwd, args.output), rendered);
      } catch (err) {
        throw new UsageError(`--output ${args.output}: cannot write the report (${(err as Error).message}); choose a writable path`);
      }
      if (!args.quiet) this.warn(result.findings.length > 0 ? `keyguard: ${result.findings.length} findings; report written to ${args.output}` : `keyguard: no leaks found; report written to ${args.output}`);
    } else if (!(args.quiet && args.format === 'text' && result.findings.length === 0 && !result.review?.length)) {
      this.stdout += rendered;
    }
    // In GitHub Actions, --format github also appends the Markdown job summary (table + leak-response checklist).
    const stepSummary = this.io.env['GITHUB_STEP_SUMMARY'];
    if (args.format === 'github' && stepSummary) {
      try {
        appendFileSync(stepSummary, renderSummary(result, options));
      } catch (err) {
        this.warn(`keyguard: warning: cannot append the job summary to GITHUB_STEP_SUMMARY (${(err as Error).message})`);
      }
    }
    if (result.skipped.length > 0 && !args.quiet && args.format !== 'text') {
      this.warn(`keyguard: ${result.skipped.length} file(s) skipped (see "skipped" in the report)`);
    }
    if (args.format === 'text' && !args.quiet) {
      for (const s of result.skipped.slice(0, 20)) this.warn(`skipped ${s.path}: ${s.reason}`);
      if (result.skipped.length > 20) this.warn(`… and ${result.skipped.length - 20} more skipped`);
    }
    return result.findings.length > 0 ? args.exitCode : 0;
  }
}
