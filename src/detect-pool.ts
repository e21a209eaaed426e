// Detection on worker threads, for scans big enough to pay for starting them. Content is screened on the calling
// thread first (binary, or no rule keyword per the byte gate: most blobs), which costs about what handing it to a
// thread would. Content that needs the engine is scanned on the calling thread too until `inlineBytes` of it were,
// and only then do the threads start: a history where a few files mention a keyword never pays for them. Work is
// handed out to the least busy worker; `submit` waits while every worker has `depth` blobs queued, so memory stays
// bounded.
import { Worker } from 'node:worker_threads';
import type { Rule } from './types.js';
import { boxRules } from './detect/transfer.js';
import { createRuleSet } from './detect/engine.js';
import { createKeywordGate } from './detect/gate.js';
import { screenBytes } from './sources/content.js';
import { scanContent, type ContentOutcome } from './scan-content.js';

export interface DetectPool {
  submit(oid: string, path: string, content: Buffer, done: (outcome: ContentOutcome) => void): Promise<void>;
  /** Wait for every submitted blob, then stop the workers. */
  close(): Promise<void>;
}

interface Slot {
  worker: Worker;
  pending: Map<number, (o: ContentOutcome) => void>;
}

export function createDetectPool(workerUrl: URL, rules: Rule[], size: number, depth = 8, inlineBytes = 8 * 1024 * 1024): DetectPool {
  const ruleSet = createRuleSet(rules);
  const gate = createKeywordGate(ruleSet);
  let workers: Slot[] | undefined;
  let inline = 0;
  let nextId = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  const signal = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  const start = (): Slot[] => {
    const data = { rules: boxRules(rules) };
    const slots = Array.from({ length: size }, () => ({ worker: new Worker(workerUrl, { workerData: data }), pending: new Map<number, (o: ContentOutcome) => void>() }));
    for (const w of slots) {
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
    return slots;
  };
  const waitForRoom = async (predicate: () => boolean): Promise<void> => {
    while (!predicate()) {
      if (failure) throw failure;
      await new Promise<void>((r) => (wake = r));
    }
    if (failure) throw failure;
  };
  return {
    async submit(oid, path, content, done) {
      if (failure) throw failure;
      const screened = screenBytes(content, gate);
      if (screened) {
        done({ found: [], bytes: content.length, binary: screened === 'binary' });
        return;
      }
      if (!workers && inline + content.length <= inlineBytes) {
        inline += content.length;
        done(await scanContent(content, { path, blobId: oid }, ruleSet, gate));
        return;
      }
      const slots = (workers ??= start());
      await waitForRoom(() => slots.some((w) => w.pending.size < depth));
      const w = slots.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
      const id = nextId++;
      w.pending.set(id, done);
      // The content's memory moves to the worker when it owns its whole buffer; else it is copied.
      // (A pooled Buffer never qualifies: its ArrayBuffer is far larger than it.)
      const owns = content.byteOffset === 0 && content.buffer.byteLength - content.byteLength <= 1;
      const bytes = owns ? new Uint8Array(content.buffer, 0, content.byteLength) : new Uint8Array(content);
      w.worker.postMessage({ id, oid, path, bytes }, [bytes.buffer as ArrayBuffer]);
    },
    async close() {
      const slots = workers;
      if (!slots) return;
      try {
        await waitForRoom(() => slots.every((w) => w.pending.size === 0));
      } finally {
        await Promise.all(slots.map((w) => w.worker.terminate()));
      }
    },
  };
}
