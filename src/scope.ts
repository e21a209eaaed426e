// What a run has started and must end, whichever way the run ends. Every git process, socket, worker thread and
// progress bar a scan starts is owned by a scope; closing the scope (when the command returns or throws, or on a
// signal) ends them all, so a failure in one part can never leave another waiting: no git process, socket or
// thread outlives the run, and nothing keeps the process from exiting.

/** How long close() waits for what it ended to be gone (a git process to exit, a thread to stop). */
const CLOSE_WAIT_MS = 3000;
/** A process still there this long after it was asked to end is killed outright. */
const KILL_AFTER_MS = 1000;

export interface Scope {
  /** Aborted once the scope closes. */
  readonly signal: AbortSignal;
  /**
   * Own a resource: `end` runs when the scope closes (at once if it has closed already), and close() then waits for
   * `gone` (bounded). Returns `release`, for a resource that ended by itself: the scope forgets it.
   */
  own(end: () => void, gone?: Promise<unknown>): () => void;
  /** A scope closed with this one, or on its own before it (a source that stops early). */
  child(): Scope;
  /** End everything owned, then wait (at most a few seconds) until it is gone. Closing twice is closing once. */
  close(): Promise<void>;
}

export function createScope(): Scope {
  const controller = new AbortController();
  const owned = new Map<number, { end: () => void; gone: Promise<unknown> | undefined }>();
  let next = 0;
  let closing: Promise<void> | undefined;
  const scope: Scope = {
    signal: controller.signal,
    own(end, gone) {
      if (controller.signal.aborted) {
        end();
        return () => undefined;
      }
      const id = next++;
      owned.set(id, { end, gone });
      return () => void owned.delete(id);
    },
    child() {
      const inner = createScope();
      let finished!: () => void;
      const gone = new Promise<void>((resolve) => (finished = resolve));
      const release = scope.own(() => void inner.close(), gone);
      const closeInner = inner.close;
      inner.close = () => {
        release();
        const closed = closeInner();
        void closed.then(finished);
        return closed;
      };
      return inner;
    },
    close() {
      if (closing) return closing;
      controller.abort();
      const all = [...owned.values()];
      owned.clear();
      const gone: Promise<unknown>[] = [];
      for (const r of all) {
        // One resource failing to end must not keep the others running.
        try {
          r.end();
        } catch {
          // ended as far as it can be
        }
        if (r.gone) gone.push(r.gone.catch(() => undefined));
      }
      closing = gone.length === 0 ? Promise.resolve() : waitAtMost(Promise.all(gone), CLOSE_WAIT_MS);
      return closing;
    },
  };
  return scope;
}

/** `p`, or nothing after `ms` (the timer never keeps the process alive). */
function waitAtMost(p: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    void p.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** What a child process needs to be ended: kill() and its exit. */
interface Killable {
  kill(signal?: NodeJS.Signals): boolean;
  exitCode: number | null;
  signalCode: NodeJS.Signals | null;
  once(event: 'exit', listener: () => void): unknown;
  once(event: 'error', listener: () => void): unknown;
}

/**
 * Own a child process: closing the scope sends it SIGTERM, then SIGKILL if it is still there a second later; the
 * scope forgets it once it has exited.
 */
export function ownProcess(scope: Scope | undefined, child: Killable): void {
  if (!scope) return;
  const exited = (): boolean => child.exitCode !== null || child.signalCode !== null;
  let done!: () => void;
  const gone = new Promise<void>((resolve) => (done = resolve));
  const release = scope.own(() => {
    if (exited()) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (!exited()) child.kill('SIGKILL');
    }, KILL_AFTER_MS);
    timer.unref();
    void gone.then(() => clearTimeout(timer));
  }, gone);
  const ended = (): void => {
    release();
    done();
  };
  child.once('exit', ended);
  // A process that could not start never exits.
  child.once('error', () => {
    if (exited() || (child as { pid?: number }).pid === undefined) ended();
  });
}
