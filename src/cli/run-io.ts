// What a run of the CLI gets from outside (injected, so tests run commands in-process), what it gives back, and the
// options every scanning command shares.
import type { ReportFormat } from '../report/index.js';
import type { Scope } from '../scope.js';

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
