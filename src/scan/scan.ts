// Composition root: source → detect → filter. The only I/O is the source it is given.
import type { CredentialWindow, FileFacts, Finding, Mode, RawFinding, ScanResult, Skipped, SourceEvent } from '../types.js';
import { detect, type RuleSet } from '../detect/engine.js';
import { filterFindings, suppressedStats, type Suppression } from '../filter/pipeline.js';
import { attributeFindings, computeWindows, parentBlobsNeeded, type WindowFacts } from './attribute.js';
import { credentialId } from '../filter/fingerprint.js';
import type { BlobContent } from '../sources/history.js';
import type { KeywordGate } from '../detect/gate.js';
import { scanContent, screenContent, type ContentOutcome } from './content.js';
import type { DetectPool } from './detect-pool.js';
import { createBodyScreen, type BodyScreen } from '../sources/content.js';
import { isBinaryFormatName } from '../sources/decode.js';
import { createQueue } from '../sources/queue.js';
import type { ChangedFile, CommitMeta } from '../sources/log-parse.js';
import { refinePkcs12Findings, type ReadFindingBytes } from '../sources/pkcs12-content.js';
import { dropTemplateFiles, foldPathFindings, isCredentialFileName, looksLikeTemplate } from '../detect/paths.js';
import { attachFileFacts, detectFile } from './file-facts.js';
import { lowerIgnored, markPathFindings } from '../filter/file-facts.js';
import { attributePathFindings, pathFindingBlobs } from './history-files.js';

export interface ScanOptions {
  mode: Mode;
  ruleSet: RuleSet;
  showSecrets: boolean;
  /** Milliseconds since some origin; injected so the pipeline never reads the clock itself. */
  now: () => number;
  onProgress?: (done: { files: number; bytes: number }) => void;
  /** --verify: sees the raw findings (secrets included) before redaction, to keep API keys in memory for the check. */
  keepSecrets?: (raw: readonly RawFinding[]) => void;
  /** The config allowlist and the baseline (see src/filter/pipeline.ts); stats.suppressed counts what each layer hid. */
  suppress?: Suppression;
  /** Sees the findings the baseline hid, for --baseline-update. */
  keepBaselined?: (findings: Finding[]) => void;
  /** The bytes of a file or blob found by its name, for the rules that judge such files by content (PKCS#12). */
  readFindingBytes?: ReadFindingBytes;
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
  let raw: RawFinding[] = [];
  const skipped: Skipped[] = [];
  /** Files not tracked by git, for the advice that fixes them (.gitignore line, chmod). */
  const untracked = new Map<string, FileFacts>();
  let files = 0;
  let bytes = 0;
  let binary = 0;
  /** Files named like credential files whose text is a template (placeholders where the secret would be). */
  const templates = new Set<string>();
  for await (const event of events) {
    switch (event.type) {
      case 'fragment':
        bytes += event.bytes;
        if (event.last) files++;
        if (isCredentialFileName(event.fragment.path, options.ruleSet) && looksLikeTemplate(event.fragment.text)) templates.add(event.fragment.path);
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
      case 'file':
        if (event.git === 'untracked' || event.git === 'ignored') untracked.set(event.path, event);
        for (const f of detectFile(event, options.ruleSet)) raw.push(f);
        break;
    }
    options.onProgress?.({ files, bytes });
  }
  if (options.readFindingBytes) raw = await refinePkcs12Findings(raw, options.readFindingBytes);
  raw = lowerIgnored(foldPathFindings(dropTemplateFiles(raw, options.ruleSet.pathRules, (f) => templates.has(f.file)), options.ruleSet.pathRules));
  options.keepSecrets?.(raw);
  const { findings, baselined, suppressed, review } = filterFindings(raw, { showSecrets: options.showSecrets, ...options.suppress });
  options.keepBaselined?.(baselined);
  attachFileFacts(markPathFindings(findings, options.ruleSet.pathRules), untracked);
  findings.sort(compareFindings);
  return {
    mode: options.mode,
    findings,
    skipped,
    stats: { files, bytes, binary, skipped: skipped.length, findings: findings.length, durationMs: Math.round(options.now() - started), ...suppressedStats(suppressed) },
    notes: [],
    ...(review.length > 0 ? { review } : {}),
  };
}

/** What a history scan is given: the blobs to read and, once they are read, the commits that wrote them. */
export interface HistoryInput {
  commits: CommitMeta[];
  files: ChangedFile[];
  blobs: AsyncIterable<BlobContent>;
  /**
   * Have the blobs still to come screened as they are read (history.ts's setScreen), and those a screen decided
   * handed to `onScreened` at once rather than through `blobs`.
   */
  setScreen?: (screen: (path: string) => BodyScreen | 'binary' | undefined, onScreened?: (blob: BlobContent) => void) => void;
  /**
   * Read more blobs, whole: those a screen stopped on (asked as they come), and parents of blobs with findings
   * (outside a range).
   */
  readMore: (oids: Iterable<{ oid: string; path: string }> | AsyncIterable<{ oid: string; path: string }>) => AsyncIterable<BlobContent>;
  /** Told when a blob's content was scanned here and nothing refers to it any more (its memory can be reused). */
  release?: (content: Buffer) => void;
  stashOnly?: Set<string>;
}

export interface HistoryScanOptions extends ScanOptions {
  gate?: KeywordGate;
  /** Facts about HEAD and refs, read once the introducing commits are known, for each credential's exposure window. */
  windowFacts?: (introducingCommits: string[]) => Promise<WindowFacts>;
  /** Told when the first secret is found, so what windowFacts will need can be read while the scan goes on. */
  prepareWindowFacts?: () => void;
  /** Start detection workers once this many bytes were scanned on the main thread (default: never). */
  pool?: { start: () => DetectPool; afterBytes: number };
}

/** Scan each blob once, then attribute each secret to the commit that introduced it at each path. */
export async function scanHistory(input: HistoryInput, options: HistoryScanOptions): Promise<ScanResult> {
  const started = options.now();
  const perBlob = new Map<string, RawFinding[]>();
  const scanned = new Set<string>();
  const skipped: Skipped[] = [];
  let blobs = 0;
  let bytes = 0;
  let binary = 0;
  let pool: DetectPool | undefined;
  /** Blobs of files named like credential files whose text is a template. */
  const templates = new Set<string>();
  /** Whether a path is named like a credential file, by path (a history holds many versions of each). */
  const credentialNames = new Map<string, boolean>();
  const credentialName = (path: string): boolean => {
    let named = credentialNames.get(path);
    if (named === undefined) credentialNames.set(path, (named = isCredentialFileName(path, options.ruleSet)));
    return named;
  };
  // Blobs in a binary format by name are not read at all, and the rest are screened as git streams them (files named
  // like credentials are read whole: their text is looked at). With detection workers (more than two cores) the
  // blobs go whole to the workers, which gate them side by side, instead of all on this thread.
  const streamed = options.pool ? undefined : options.gate;
  const record = (oid: string, outcome: ContentOutcome): void => {
    bytes += outcome.bytes;
    if (outcome.binary) binary++;
    if (outcome.skipped) skipped.push(outcome.skipped);
    if (outcome.found.length > 0) {
      if (perBlob.size === 0) options.prepareWindowFacts?.();
      perBlob.set(oid, outcome.found);
    }
    options.onProgress?.({ files: blobs, bytes });
  };
  // Blobs the screen stopped on as git streamed them are read again whole, by one more reader started at the first
  // such blob, beside the rest (most histories have none, a few dozen at most).
  let again: ReturnType<typeof createQueue<{ oid: string; path: string }>> | undefined;
  let rereading: Promise<void> | undefined;
  /** A blob its screen decided, without its bytes: counted, or (a hit) read again. */
  const screenedBlob = (blob: BlobContent): void => {
    if (blob.screened === 'hit') {
      if (!again) {
        again = createQueue();
        rereading = drain(input.readMore(again), true);
        // Awaited once the rest is read; a failure before then must not go unhandled.
        rereading.catch(() => undefined);
      }
      again.push({ oid: blob.oid, path: blob.path });
      return;
    }
    scanned.add(blob.oid);
    blobs++;
    record(blob.oid, { found: [], bytes: blob.size ?? 0, binary: blob.screened === 'binary' });
  };
  input.setScreen?.((path) => (credentialName(path) ? undefined : isBinaryFormatName(path) ? 'binary' : streamed && createBodyScreen(streamed)), screenedBlob);
  const drain = async (source: AsyncIterable<BlobContent>, allowPool: boolean): Promise<void> => {
    for await (const blob of source) {
      if (blob.screened) {
        screenedBlob(blob);
        continue;
      }
      scanned.add(blob.oid);
      blobs++;
      if (!blob.content) {
        skipped.push({ path: blob.path, reason: `object ${blob.oid.slice(0, 12)} is missing (partial clone or damaged repository); not fetched` });
        continue;
      }
      if (credentialName(blob.path) && looksLikeTemplate(blob.content.toString('utf8'))) templates.add(blob.oid);
      if (allowPool && !pool && options.pool && bytes >= options.pool.afterBytes) pool = options.pool.start();
      if (pool) await pool.submit(blob.oid, blob.path, blob.content, (outcome) => record(blob.oid, outcome));
      else {
        record(blob.oid, screenContent(blob.content, options.gate) ?? (await scanContent(blob.content, { path: blob.path, blobId: blob.oid }, options.ruleSet, options.gate)));
        input.release?.(blob.content);
      }
    }
  };
  try {
    try {
      await drain(input.blobs, true);
    } finally {
      again?.end();
    }
    await rereading;
    // Attribution needs every blob's findings: wait for the workers before looking at parents.
    await pool?.close();
    pool = undefined;
    const more = parentBlobsNeeded(input.files, perBlob, scanned);
    if (more.size > 0) await drain(input.readMore([...more].map((oid) => ({ oid, path: '(parent version)' }))), false);
  } finally {
    await pool?.close();
  }
  skipped.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const attribution = { commits: input.commits, files: input.files, findings: perBlob, ...(input.stashOnly ? { stashOnly: input.stashOnly } : {}) };
  let pathFound = dropTemplateFiles(attributePathFindings(attribution, options.ruleSet), options.ruleSet.pathRules, (f) => f.blobId !== undefined && templates.has(f.blobId));
  if (options.readFindingBytes) pathFound = await refinePkcs12Findings(pathFound, options.readFindingBytes);
  const raw = foldPathFindings([...attributeFindings(attribution), ...pathFound], options.ruleSet.pathRules);
  options.keepSecrets?.(raw);
  const { findings, baselined, suppressed, review } = filterFindings(raw, { showSecrets: options.showSecrets, ...options.suppress });
  options.keepBaselined?.(baselined);
  markPathFindings(findings, options.ruleSet.pathRules);
  findings.sort(compareFindings);
  let credentials: CredentialWindow[] | undefined;
  if (options.windowFacts && findings.length > 0) {
    const facts = await options.windowFacts([...new Set(findings.map((f) => f.commit ?? ''))].filter(Boolean));
    const place = (credential: string, commit: string | undefined, file: string, line: number): string => `${credential}\0${commit ?? ''}\0${file}\0${line}`;
    const reported = new Set(findings.map((f) => place(f.credential, f.commit, f.file, f.line)));
    const credentialOf = (r: RawFinding): string => credentialId(r.kind, r.rawSecret);
    const kept = raw.filter((r) => reported.has(place(credentialOf(r), r.commit, r.file, r.line)));
    // Files found by name are held by every blob they had at their path.
    const holders = new Map(perBlob);
    for (const [oid, found] of pathFindingBlobs(input.files, pathFound)) holders.set(oid, [...(holders.get(oid) ?? []), ...found]);
    credentials = computeWindows({ ...attribution, findings: holders }, kept, facts, credentialOf);
  }
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
      ...suppressedStats(suppressed),
    },
    notes: [],
    ...(credentials ? { credentials } : {}),
    ...(review.length > 0 ? { review } : {}),
  };
}
