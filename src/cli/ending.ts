// How the process ends, whatever happened: a signal ends the run's scope (every git process, socket and thread it
// started) and exits with 128 + the signal's number after one line; a finished run exits as soon as its report is
// written, even if something it started forgot to let go.
import type { Scope } from '../scope.js';

/** The signals that end a scan, with the exit code a shell gives a command they end. */
const SIGNALS = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/** After the report is written, how long anything left may keep the process alive before it exits anyway. */
const LINGER_MS = 1000;

/**
 * On SIGINT, SIGTERM or SIGHUP: close the scope (each git process gets SIGTERM, then SIGKILL a second later if it is
 * still there; threads are terminated; the progress bar is cleared and the cursor shown again), write one line on
 * stderr and exit 130, 143 or 129. A second signal while that happens exits at once.
 */
export function endOnSignals(scope: Scope): { received: () => boolean; exited: Promise<never> } {
  let got: keyof typeof SIGNALS | undefined;
  for (const name of Object.keys(SIGNALS) as (keyof typeof SIGNALS)[]) {
    process.on(name, () => {
      if (got) process.exit(SIGNALS[got]);
      got = name;
      void scope.close().then(() => process.stderr.write(`keyguard: stopped by ${name}; the scan did not finish\n`, () => process.exit(SIGNALS[name])));
    });
  }
  // What the run's own code waits on once a signal came: the exit above.
  return { received: () => got !== undefined, exited: new Promise<never>(() => undefined) };
}

/**
 * The report is written and the exit code set: exit once nothing is left, or after LINGER_MS if something still holds
 * the process (a handle no scope owned: a bug, said in one line, rather than a hook or a CI job that never ends).
 */
export function exitWhenDone(): void {
  const timer = setTimeout(() => {
    const left = process.getActiveResourcesInfo().filter((r) => r !== 'Timeout');
    process.stderr.write(`keyguard: internal error: still waiting on ${left.join(', ') || 'something'} after the report was written; exiting anyway (please report it)\n`, () => process.exit());
  }, LINGER_MS);
  timer.unref();
}
