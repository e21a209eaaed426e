// A detection worker: rules arrive once, then blob bytes; findings go back. No I/O beyond the message port.
import { parentPort, workerData } from 'node:worker_threads';
import { createRuleSet } from './detect/engine.js';
import { createKeywordGate } from './detect/gate.js';
import { unboxRules } from './detect/transfer.js';
import { scanContent } from './scan-content.js';

export interface WorkRequest {
  id: number;
  oid: string;
  path: string;
  bytes: Uint8Array;
}

const ruleSet = createRuleSet(unboxRules((workerData as { rules: unknown }).rules));
const gate = createKeywordGate(ruleSet);

parentPort?.on('message', (req: WorkRequest) => {
  const content = Buffer.from(req.bytes.buffer, req.bytes.byteOffset, req.bytes.byteLength);
  scanContent(content, { path: req.path, blobId: req.oid }, ruleSet, gate).then(
    (outcome) => parentPort!.postMessage({ id: req.id, outcome }),
    (err: unknown) => parentPort!.postMessage({ id: req.id, error: String((err as Error).message ?? err) }),
  );
});
