// Detection on worker threads, for scans big enough to pay for starting them. Blobs go to the threads in batches
// (about 1 MiB, or 64 blobs, a message), so the cost of a message is shared by many blobs, and the calling thread
// only reads while the threads screen (binary, keyword gate) and scan. Each batch goes to the least busy worker;
// `submit` waits while every worker has `depth` batches queued, so memory stays bounded.
import { Worker } from 'node:worker_threads';
import type { Rule } from '../types.js';
import { boxRules } from '../detect/transfer.js';
import type { ContentOutcome } from './content.js';
import type { Scope } from '../scope.js';

/**
 * For tests only: how a worker fails on its first batch, to check that a failed thread ends the scan with one line
 * and leaves nothing running. `throw`: the scan throws (an error message back); `crash`: an uncaught exception in the
 * thread; `exit`: the thread exits without a word. The CLI takes it from KEYGUARD_TEST_WORKER_FAILURE (context.ts);
 * nothing else sets it.
 */
export type WorkerFailure = 'throw' | 'crash' | 'exit';

export interface DetectPool {
  submit(oid: string, path: string, content: Buffer, done: (outcome: ContentOutcome) => void): Promise<void>;
  /** Wait for every submitted blob, then stop the workers. */
  close(): Promise<void>;
}

/** One blob in a batch, as the worker receives it. */
export interface WorkItem {
  id: number;
  oid: string;
  path: string;
  bytes: Uint8Array;
}

interface Slot {
  worker: Worker;
  /** Batches sent and not answered yet. */
  batches: number;
}

const BATCH_BYTES = 1024 * 1024;
const BATCH_ITEMS = 64;

export interface PoolOptions {
  /** Batches queued per worker, at most. */
  depth?: number;
  /** Owns the threads: closing it terminates them (see src/scope.ts). */
  scope?: Scope | undefined;
  failForTest?: WorkerFailure | undefined;
}

export function createDetectPool(workerUrl: URL, rules: Rule[], size: number, options: PoolOptions = {}): DetectPool {
  const depth = options.depth ?? 4;
  const data = { rules: boxRules(rules), ...(options.failForTest ? { failForTest: options.failForTest } : {}) };
  const waiting = new Map<number, (o: ContentOutcome) => void>();
  let nextId = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const signal = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  /** close() ran: the threads end because they were told to. */
  let closed = false;
  const workers: Slot[] = Array.from({ length: size }, () => ({ worker: new Worker(workerUrl, { workerData: data }), batches: 0 }));
  for (const w of workers) {
    w.worker.on('message', (msg: { outcomes?: { id: number; outcome: ContentOutcome }[]; error?: string }) => {
      w.batches--;
      if (msg.error !== undefined) failure ??= new Error(`detection worker failed: ${msg.error}`);
      for (const { id, outcome } of msg.outcomes ?? []) {
        const done = waiting.get(id);
        waiting.delete(id);
        done?.(outcome);
      }
      signal();
    });
    w.worker.on('error', (e) => {
      failure ??= new Error(`detection worker failed: ${e.message}`);
      signal();
    });
    // A thread that ends before it is told to answers nothing more: what it was given would be waited for forever.
    w.worker.on('exit', (code) => {
      if (!closed) failure ??= new Error(`detection worker stopped unexpectedly (exit code ${code})`);
      signal();
    });
    const release = options.scope?.own(() => void w.worker.terminate(), new Promise((resolve) => w.worker.once('exit', resolve)));
    if (release) w.worker.once('exit', release);
  }
  const waitFor = async (predicate: () => boolean): Promise<void> => {
    while (!predicate()) {
      if (failure) throw failure;
      await new Promise<void>((r) => (wake = r));
    }
    if (failure) throw failure;
  };
  let batch: WorkItem[] = [];
  let batchBytes = 0;
  const send = async (): Promise<void> => {
    if (batch.length === 0) return;
    const items = batch;
    batch = [];
    batchBytes = 0;
    await waitFor(() => workers.some((w) => w.batches < depth));
    const w = workers.reduce((a, b) => (b.batches < a.batches ? b : a));
    w.batches++;
    w.worker.postMessage(items, items.map((i) => i.bytes.buffer as ArrayBuffer));
  };
  return {
    async submit(oid, path, content, done) {
      if (failure) throw failure;
      const id = nextId++;
      waiting.set(id, done);
      // The content's memory moves to the worker when it owns its whole buffer; else it is copied.
      // (A pooled Buffer never qualifies: its ArrayBuffer is far larger than it.)
      const owns = content.byteOffset === 0 && content.buffer.byteLength - content.byteLength <= 1;
      const bytes = owns ? new Uint8Array(content.buffer, 0, content.byteLength) : new Uint8Array(content);
      batch.push({ id, oid, path, bytes });
      batchBytes += bytes.byteLength;
      if (batchBytes >= BATCH_BYTES || batch.length >= BATCH_ITEMS) await send();
    },
    async close() {
      try {
        await send();
        await waitFor(() => waiting.size === 0);
      } finally {
        closed = true;
        await Promise.all(workers.map((w) => w.worker.terminate()));
      }
    },
  };
}
