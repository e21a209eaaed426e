// One file or blob's bytes through the gate, the decoder and the engine. Shared by the main thread and the
// detection workers, so both produce the same findings.
import type { Fragment, RawFinding } from '../types.js';
import { detect, type RuleSet } from '../detect/engine.js';
import type { KeywordGate } from '../detect/gate.js';
import { contentToEvents, screenBytes } from '../sources/content.js';

export interface ContentOutcome {
  found: RawFinding[];
  bytes: number;
  binary: boolean;
  skipped?: { path: string; reason: string };
}

/**
 * The outcome when the bytes alone decide it (binary, or no rule keyword in them: most blobs of a history), without
 * the events and promises of scanContent; undefined when the content must be scanned.
 */
export function screenContent(content: Buffer, gate: KeywordGate | undefined): ContentOutcome | undefined {
  const screened = screenBytes(content, gate);
  return screened ? { found: [], bytes: content.length, binary: screened === 'binary' } : undefined;
}

export async function scanContent(content: Buffer, base: Omit<Fragment, 'text'>, ruleSet: RuleSet, gate: KeywordGate | undefined): Promise<ContentOutcome> {
  const outcome: ContentOutcome = { found: [], bytes: 0, binary: false };
  for await (const event of contentToEvents(content, base, gate)) {
    switch (event.type) {
      case 'fragment':
        outcome.bytes += event.bytes;
        for (const f of detect(event.fragment, ruleSet)) outcome.found.push(f);
        break;
      case 'binary':
        outcome.binary = true;
        outcome.bytes += event.bytes;
        break;
      case 'clean':
        outcome.bytes += event.bytes;
        break;
      case 'skipped':
        outcome.skipped = { path: event.path, reason: event.reason };
        break;
    }
  }
  return outcome;
}
