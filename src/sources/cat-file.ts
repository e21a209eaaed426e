// Object content from one long-lived `git cat-file --batch`: ids go in on stdin while content streams out, so a
// whole repository is read by one process with memory bounded by the largest object.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { GitError } from './git.js';

export type BlobRead =
  | { oid: string; type: string; size: number; content: Buffer }
  | { oid: string; missing: true };

export interface CatFileOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Where object bodies are read into; by default each gets memory of its own. */
  bodies?: BodyPool;
}

/**
 * Memory for object bodies that the consumer hands back once it is done with a body (scanned on the same thread):
 * a history holds tens of thousands of blobs, and fresh memory for each costs more in garbage collection than the
 * copy itself. Buffers come in power-of-two sizes from 4 KiB to 8 MiB, at most `keepBytes` of them kept; a body that
 * is never handed back (given to a worker thread) is simply garbage.
 */
export interface BodyPool {
  take(size: number): Buffer;
  /** Hand back a body from take() that nothing refers to any more. */
  give(body: Buffer): void;
}

const MIN_CLASS = 12;
const MAX_CLASS = 23;

export function createBodyPool(keepBytes = 32 * 1024 * 1024): BodyPool {
  const free: ArrayBuffer[][] = Array.from({ length: MAX_CLASS + 1 }, () => []);
  let kept = 0;
  const classOf = (n: number): number => Math.max(MIN_CLASS, Math.ceil(Math.log2(Math.max(1, n))));
  return {
    take(size) {
      const c = classOf(size);
      if (c > MAX_CLASS) return Buffer.allocUnsafeSlow(size);
      const reused = free[c]!.pop();
      if (reused) kept -= reused.byteLength;
      // Its own ArrayBuffer, never Node's shared pool, so a worker thread can still be given it.
      return Buffer.from(reused ?? Buffer.allocUnsafeSlow(2 ** c).buffer, 0, size);
    },
    give(body) {
      const ab = body.buffer as ArrayBuffer;
      const c = Math.log2(ab.byteLength);
      if (body.byteOffset !== 0 || !Number.isInteger(c) || c < MIN_CLASS || c > MAX_CLASS || ab.byteLength === 0) return;
      if (kept + ab.byteLength > keepBytes) return;
      kept += ab.byteLength;
      free[c]!.push(ab);
    },
  };
}

const NEWLINE = 10;

/** A running `git cat-file --batch --buffer`, with what is needed to say why it failed. */
export interface CatFileProcess {
  child: ChildProcessByStdio<Writable, Readable, Readable>;
  /** Its exit code, once it has exited and its output is closed. */
  exited: Promise<number | null>;
  /** Throw the error that explains an exit: it could not start, failed, or answered fewer ids than asked. */
  check(code: number | null, answeredTooFew: boolean): void;
}

export function spawnCatFile(cwd: string, env?: NodeJS.ProcessEnv): CatFileProcess {
  const child = spawn('git', ['cat-file', '--batch', '--buffer'], {
    cwd,
    env: { ...(env ?? process.env), GIT_TERMINAL_PROMPT: '0', GIT_NO_LAZY_FETCH: '1' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const stderr: Buffer[] = [];
  child.stderr.on('data', (d: Buffer) => stderr.push(d));
  child.stdin.on('error', () => undefined);
  let spawnError: Error | undefined;
  child.on('error', (e: NodeJS.ErrnoException) => {
    spawnError = new GitError(e.code === 'ENOENT' ? 'git is not installed or not on PATH: install git and try again' : `cannot run git: ${e.message}`, null, '');
  });
  return {
    child,
    exited: new Promise((resolve) => child.on('close', (code) => resolve(code))),
    check(code, answeredTooFew) {
      if (spawnError) throw spawnError;
      if (code !== 0 || answeredTooFew) {
        const why = Buffer.concat(stderr).toString('utf8').trim().split('\n')[0] ?? '';
        throw new GitError(`git cat-file failed${why ? `: ${why}` : ''}`, code, why);
      }
    },
  };
}

/**
 * A parser for `git cat-file --batch` output, fed chunks as they arrive: each object is handed over once its body is
 * complete. `take(n)` gives the memory for a body of n - 1 bytes (one extra for the newline after it, copied and
 * dropped); give it memory of its own (never Node's shared pool) so a worker thread can be handed it without a copy.
 */
export function createBatchParser(take: (size: number) => Buffer, onObject: (obj: BlobRead) => void): (chunk: Buffer) => void {
  // Either reading a header line, or filling the body of a known size.
  let header: Buffer[] = [];
  let body: Buffer | undefined;
  let bodyFilled = 0;
  let current: { oid: string; type: string; size: number } | undefined;
  return (chunk) => {
    let at = 0;
    while (at < chunk.length) {
      if (current && body) {
        const n = Math.min(body.length - bodyFilled, chunk.length - at);
        chunk.copy(body, bodyFilled, at, at + n);
        bodyFilled += n;
        at += n;
        if (bodyFilled === body.length) {
          const done = { ...current, content: body.subarray(0, current.size) };
          current = undefined;
          body = undefined;
          onObject(done);
        }
        continue;
      }
      const nl = chunk.indexOf(NEWLINE, at);
      if (nl < 0) {
        header.push(chunk.subarray(at));
        break;
      }
      header.push(chunk.subarray(at, nl));
      at = nl + 1;
      const line = Buffer.concat(header).toString('utf8');
      header = [];
      if (line === '') continue; // the newline that ends each body
      const parts = line.split(' ');
      if (parts.length === 2 && (parts[1] === 'missing' || parts[1] === 'ambiguous')) {
        onObject({ oid: parts[0]!, missing: true });
        continue;
      }
      const size = Number(parts[2]);
      if (parts.length !== 3 || !Number.isSafeInteger(size)) throw new GitError(`git cat-file: unexpected output: ${line.slice(0, 80)}`, null, '');
      current = { oid: parts[0]!, type: parts[1]!, size };
      body = take(size + 1);
      bodyFilled = 0;
    }
  };
}

/**
 * Read objects in the order given. `oids` may be produced lazily (for example while `git log` is still running);
 * results come back in the same order, one at a time, with backpressure all the way to git.
 */
export async function* readObjects(oids: AsyncIterable<string> | Iterable<string>, options: CatFileOptions): AsyncGenerator<BlobRead> {
  const git = spawnCatFile(options.cwd, options.env);
  const child = git.child;

  let requested = 0;
  let writeDone = false;
  let writeError: unknown;
  const writer = (async () => {
    try {
      // One write per id: node coalesces writes while the pipe is busy, and git starts on the first id at once.
      for await (const oid of oids) {
        requested++;
        if (!child.stdin.write(`${oid}\n`)) await new Promise<void>((r) => child.stdin.once('drain', r));
      }
    } catch (e) {
      writeError = e;
    } finally {
      writeDone = true;
      child.stdin.end();
    }
  })();

  let answered = 0;
  const ready: BlobRead[] = [];
  const feed = createBatchParser(
    (size) => (options.bodies ? options.bodies.take(size) : Buffer.allocUnsafeSlow(size)),
    (obj) => {
      ready.push(obj);
      answered++;
    },
  );

  try {
    for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
      feed(chunk);
      while (ready.length > 0) yield ready.shift()!;
    }
    await writer;
    const code = await git.exited;
    if (writeError) throw writeError;
    git.check(code, writeDone && answered < requested);
  } finally {
    if (child.exitCode === null) child.kill();
  }
}
