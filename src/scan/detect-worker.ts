// A detection worker: rules arrive once, then batches of blob bytes; findings go back, one message per batch. No
// I/O beyond the message port.
import { parentPort, workerData } from 'node:worker_threads';
import { createRuleSet } from '../detect/engine.js';
import { createKeywordGate } from '../detect/gate.js';
import { unboxRules } from '../detect/transfer.js';
import { scanContent, type ContentOutcome } from './content.js';
import type { WorkItem } from './detect-pool.js';

const ruleSet = createRuleSet(unboxRules((workerData as { rules: unknown }).rules));
const gate = createKeywordGate(ruleSet);

parentPort?.on('message', (batch: WorkItem[]) => {
  (async () => {
    const outcomes: { id: number; outcome: ContentOutcome }[] = [];
    for (const req of batch) {
      const content = Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength);
      outcomes.push({ id: req.id, outcome: await scanContent(content, { path: req.path, blobId: req.oid }, ruleSet, gate) });
    }
    return outcomes;
  })().then(
    (outcomes) => parentPort!.postMessage({ outcomes }),
    (err: unknown) => parentPort!.postMessage({ error: String((err as Error).message ?? err) }),
  );
});
