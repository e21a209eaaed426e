// Detection on worker threads, for scans big enough to pay for starting them. Work is handed out to the least
// busy worker; `submit` waits while every worker has `depth` blobs queued, so memory stays bounded.
import { Worker } from 'node:worker_threads';
import type { Rule } from './types.js';
import { boxRules } from './detect/transfer.js';
import type { ContentOutcome } from './scan-content.js';

export interface DetectPool {
  submit(oid: string, path: string, content: Buffer, done: (outcome: ContentOutcome) => void): Promise<void>;
  /** Wait for every submitted blob, then stop the workers. */
  close(): Promise<void>;
}

export function createDetectPool(workerUrl: URL, rules: Rule[], size: number, depth = 8): DetectPool {
  const data = { rules: boxRules(rules) };
  const workers = Array.from({ length: size }, () => ({ worker: new Worker(workerUrl, { workerData: data }), pending: new Map<number, (o: ContentOutcome) => void>() }));
  let nextId = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const signal = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  for (const w of workers) {
    w.worker.on('message', (msg: { id: number; outcome?: ContentOutcome; error?: string }) => {
      const done = w.pending.get(msg.id);
      w.pending.delete(msg.id);
      if (msg.error !== undefined) failure ??= new Error(`detection worker failed: ${msg.error}`);
      else done?.(msg.outcome!);
      signal();
    });
    w.worker.on('error', (e) => {
      failure ??= e;
      signal();
    });
  }
  const waitForRoom = async (predicate: () => boolean): Promise<void> => {
    while (!predicate()) {
      if (failure) throw failure;
      await new Promise<void>((r) => (wake = r));
    }
    if (failure) throw failure;
  };
  return {
    async submit(oid, path, content, done) {
      await waitForRoom(() => workers.some((w) => w.pending.size < depth));
      const w = workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      w.pending.set(id, done);
      // The content's memory moves to the worker when it owns its whole buffer; else it is copied.
      // (A pooled Buffer never qualifies: its ArrayBuffer is far larger than it.)
      const owns = content.byteOffset === 0 && content.buffer.byteLength - content.byteLength <= 1;
      const bytes = owns ? new Uint8Array(content.buffer, 0, content.byteLength) : new Uint8Array(content);
      w.worker.postMessage({ id, oid, path, bytes }, [bytes.buffer as ArrayBuffer]);
    },
    async close() {
      try {
        await waitForRoom(() => workers.every((w) => w.pending.size === 0));
      } finally {
        await Promise.all(workers.map((w) => w.worker.terminate()));
      }
    },
  };
}
