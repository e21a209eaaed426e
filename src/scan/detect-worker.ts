// A detection worker: rules arrive once, then batches of blob bytes; findings go back, one message per batch. No
// I/O beyond the message port.
import { parentPort, workerData } from 'node:worker_threads';
import { createRuleSet } from '../detect/engine.js';
import { createKeywordGate } from '../detect/gate.js';
import { unboxRules } from '../detect/transfer.js';
import { scanContent, type ContentOutcome } from './content.js';
import type { WorkerFailure, WorkItem } from './detect-pool.js';

const data = workerData as { rules: unknown; failForTest?: WorkerFailure };
const ruleSet = createRuleSet(unboxRules(data.rules));
const gate = createKeywordGate(ruleSet);

parentPort?.on('message', (batch: WorkItem[]) => {
  // Tests only (see WorkerFailure): fail on the first batch, the way asked.
  if (data.failForTest === 'crash') setImmediate(() => {
    throw new Error('injected failure (KEYGUARD_TEST_WORKER_FAILURE=crash)');
  });
  if (data.failForTest === 'exit') process.exit(3);
  (async () => {
    if (data.failForTest === 'throw') throw new Error('injected failure (KEYGUARD_TEST_WORKER_FAILURE=throw)');
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
