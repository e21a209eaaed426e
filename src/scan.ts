// Composition root: source → detect → filter. The only I/O is the source it is given.
import type { Finding, Mode, RawFinding, ScanResult, Skipped, SourceEvent } from './types.js';
import { detect, type RuleSet } from './detect/engine.js';
import { filterFindings } from './filter/pipeline.js';

export interface ScanOptions {
  mode: Mode;
  ruleSet: RuleSet;
  showSecrets: boolean;
  /** Milliseconds since some origin; injected so the pipeline never reads the clock itself. */
  now: () => number;
  onProgress?: (done: { files: number; bytes: number }) => void;
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId);
}

/** Drain a source through the engine and the filters into a result. */
export async function scanEvents(events: AsyncIterable<SourceEvent>, options: ScanOptions): Promise<ScanResult> {
  const started = options.now();
  const raw: RawFinding[] = [];
  const skipped: Skipped[] = [];
  let files = 0;
  let bytes = 0;
  let binary = 0;
  for await (const event of events) {
    switch (event.type) {
      case 'fragment':
        bytes += event.bytes;
        if (event.last) files++;
        for (const f of detect(event.fragment, options.ruleSet)) raw.push(f);
        break;
      case 'binary':
        binary++;
        files++;
        bytes += event.bytes;
        break;
      case 'skipped':
        skipped.push({ path: event.path, reason: event.reason });
        break;
    }
    options.onProgress?.({ files, bytes });
  }
  const { findings } = filterFindings(raw, { showSecrets: options.showSecrets });
  findings.sort(compareFindings);
  return {
    mode: options.mode,
    findings,
    skipped,
    stats: { files, bytes, binary, skipped: skipped.length, findings: findings.length, durationMs: Math.round(options.now() - started) },
    notes: [],
  };
}
