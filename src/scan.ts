// Composition root: source → detect → filter. The only I/O is the source it is given.
import type { Finding, Mode, RawFinding, ScanResult, Skipped, SourceEvent } from './types.js';
import { detect, type RuleSet } from './detect/engine.js';
import { filterFindings } from './filter/pipeline.js';
import { attributeFindings, parentBlobsNeeded } from './attribute.js';
import type { BlobEvents } from './sources/history.js';
import type { ChangedFile, CommitMeta } from './sources/log-parse.js';

export interface ScanOptions {
  mode: Mode;
  ruleSet: RuleSet;
  showSecrets: boolean;
  /** Milliseconds since some origin; injected so the pipeline never reads the clock itself. */
  now: () => number;
  onProgress?: (done: { files: number; bytes: number }) => void;
}

export function compareFindings(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || a.ruleId.localeCompare(b.ruleId) || (a.date ?? '').localeCompare(b.date ?? '') || (a.commit ?? '').localeCompare(b.commit ?? '');
}

/** Whether a finding touches one of the line ranges a fragment is limited to. */
export function onLines(f: { line: number; endLine: number }, lines: [number, number][] | undefined): boolean {
  if (!lines) return true;
  return lines.some(([from, to]) => f.line <= to && f.endLine >= from);
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
        for (const f of detect(event.fragment, options.ruleSet)) if (onLines(f, event.fragment.lines)) raw.push(f);
        break;
      case 'binary':
        binary++;
        files++;
        bytes += event.bytes;
        break;
      case 'clean':
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

/** What a history scan is given: the blobs to read and, once they are read, the commits that wrote them. */
export interface HistoryInput {
  commits: CommitMeta[];
  files: ChangedFile[];
  blobs: AsyncIterable<BlobEvents>;
  /** Read more blobs (parents of blobs with findings, outside a range). */
  readMore: (oids: { oid: string; path: string }[]) => AsyncIterable<BlobEvents>;
  stashOnly?: Set<string>;
}

/** Scan each blob once, then attribute each secret to the commit that introduced it at each path. */
export async function scanHistory(input: HistoryInput, options: ScanOptions): Promise<ScanResult> {
  const started = options.now();
  const perBlob = new Map<string, RawFinding[]>();
  const scanned = new Set<string>();
  const skipped: Skipped[] = [];
  let blobs = 0;
  let bytes = 0;
  let binary = 0;
  const drain = async (source: AsyncIterable<BlobEvents>): Promise<void> => {
    for await (const blob of source) {
      scanned.add(blob.oid);
      blobs++;
      const found: RawFinding[] = [];
      for await (const event of blob.events) {
        if (event.type === 'fragment') {
          bytes += event.bytes;
          for (const f of detect(event.fragment, options.ruleSet)) found.push(f);
        } else if (event.type === 'binary') {
          binary++;
          bytes += event.bytes;
        } else if (event.type === 'clean') {
          bytes += event.bytes;
        } else {
          skipped.push({ path: event.path, reason: event.reason });
        }
      }
      if (found.length > 0) perBlob.set(blob.oid, found);
      options.onProgress?.({ files: blobs, bytes });
    }
  };
  await drain(input.blobs);
  const more = parentBlobsNeeded(input.files, perBlob, scanned);
  if (more.size > 0) await drain(input.readMore([...more].map((oid) => ({ oid, path: '(parent version)' }))));
  const raw = attributeFindings({ commits: input.commits, files: input.files, findings: perBlob, ...(input.stashOnly ? { stashOnly: input.stashOnly } : {}) });
  const { findings } = filterFindings(raw, { showSecrets: options.showSecrets });
  findings.sort(compareFindings);
  return {
    mode: 'history',
    findings,
    skipped,
    stats: {
      files: blobs,
      bytes,
      binary,
      skipped: skipped.length,
      findings: findings.length,
      durationMs: Math.round(options.now() - started),
      commits: input.commits.length,
      blobs,
    },
    notes: [],
  };
}
