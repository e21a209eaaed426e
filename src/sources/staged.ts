// The index: what `git commit` would record. Two git calls (one diff, one cat-file) and nothing else: no stash,
// no checkout, no write to the index, the working tree or any ref. GIT_INDEX_FILE is passed through as git set it.
import type { SourceEvent } from '../types.js';
import { contentToEvents, type ContentGate } from './content.js';
import { startReading } from './cat-file.js';
import { gitOk } from './git.js';
import { parseAddedLines, parseRawDiff, type RawEntry } from './diff-parse.js';
import { showBinaryPath } from './names.js';
import type { Scope } from '../scope.js';

export interface StagedOptions {
  /** The work tree root (git paths are relative to it). */
  root: string;
  env?: NodeJS.ProcessEnv;
  /** Scan whole staged files instead of the lines added against HEAD. */
  allLines: boolean;
  /** Skips decoding files that hold no rule keyword. */
  gate?: ContentGate;
  /** The diff, if the caller started it already (startStagedDiff); else readStaged starts it. */
  diff?: Promise<Buffer>;
  /** Owns the git processes (see src/scope.ts). */
  scope?: Scope;
}

const ZERO_OID = /^0+$/;
const GITLINK = '160000';
const SYMLINK = '120000';

/** Why an index entry is not content to scan, or undefined when it is. */
export function describeUnscannable(e: RawEntry): string | undefined {
  if (e.status === 'D') return 'deleted';
  if (e.status === 'U') return 'unmerged: the merge conflict is not resolved yet';
  if (e.dstMode === GITLINK) return 'submodule (gitlink), not scanned';
  if (e.dstMode === SYMLINK) return 'symbolic link, not followed';
  if (ZERO_OID.test(e.dstOid)) return 'not staged (intent to add)';
  return undefined;
}

/**
 * Start the index's diff against HEAD (it needs no configuration or rule): the hook starts it as soon as it knows the
 * work tree, and hands it to readStaged, which reports its failure where it always did.
 */
export function startStagedDiff(options: Pick<StagedOptions, 'root' | 'env' | 'allLines' | 'scope'>): Promise<Buffer> {
  const git = { cwd: options.root, ...(options.env ? { env: options.env } : {}), ...(options.scope ? { scope: options.scope } : {}) };
  const args = ['-c', 'core.quotePath=true', '-c', 'diff.noprefix=false', '-c', 'diff.mnemonicPrefix=false', 'diff', '--cached', '--raw', '-z', '--no-abbrev', '-M', '--no-color', '--no-ext-diff', '--no-textconv', '--ignore-submodules=none'];
  if (!options.allLines) args.push('-p', '-U0', '--src-prefix=a/', '--dst-prefix=b/');
  const diff = gitOk(args, git);
  // Awaited by readStaged; this keeps a failure before then (the configuration still loading) from counting as unhandled.
  diff.catch(() => undefined);
  return diff;
}

export async function* readStaged(options: StagedOptions): AsyncGenerator<SourceEvent> {
  // git cat-file starts beside the diff and waits for its ids, so the hook pays for one git start less. One reader:
  // the blobs come back in the order asked.
  let giveIds: (ids: { oid: string; path: string }[]) => void = () => undefined;
  const idsReady = new Promise<{ oid: string; path: string }[]>((resolve) => (giveIds = resolve));
  const reading = startReading(
    (async function* () {
      yield* await idsReady;
    })(),
    { root: options.root, ...(options.env ? { env: options.env } : {}), ...(options.scope ? { scope: options.scope } : {}), readers: 1 },
  );
  try {
    // One character per byte (names.ts): a path that is not UTF-8 keeps its bytes, and is shown by showBinaryPath.
    const out = (await (options.diff ?? startStagedDiff(options))).toString('latin1');
    const { entries, rest } = parseRawDiff(out);
    const added = options.allLines ? undefined : parseAddedLines(rest, 'latin1');

    const scan: RawEntry[] = [];
    for (const e of entries) {
      const why = describeUnscannable(e);
      if (why === undefined) scan.push(e);
      // Deleted files are simply not part of the commit's new content.
      else if (e.status !== 'D') yield { type: 'skipped', path: showBinaryPath(e.path), reason: why };
    }
    // Files new at their path in this commit (added, copied or renamed into it; every file with --all-lines) go to
    // the path rules: a newly staged key file blocks even when keyguard recognises nothing in its content.
    for (const e of scan) {
      if (options.allLines || /^[ACR]/.test(e.status)) yield { type: 'file', path: showBinaryPath(e.path), blobId: e.dstOid };
    }
    const wanted = new Map<string, [number, number][] | undefined>();
    for (const e of scan) {
      // New files count whole; changed files count only the lines the patch adds.
      wanted.set(e.path, !added || e.status === 'A' ? undefined : (added.get(e.path) ?? []));
    }
    const todo = scan.filter((e) => wanted.get(e.path) === undefined || wanted.get(e.path)!.length > 0);
    giveIds(todo.map((e) => ({ oid: e.dstOid, path: e.path })));
    for await (const blob of reading.blobs) {
      if (!blob.content) {
        yield { type: 'skipped', path: showBinaryPath(blob.path), reason: `object ${blob.oid.slice(0, 12)} is missing from the repository` };
        continue;
      }
      const lines = wanted.get(blob.path);
      yield* contentToEvents(blob.content, { path: showBinaryPath(blob.path), blobId: blob.oid, ...(lines ? { lines } : {}) }, options.gate);
    }
  } finally {
    // No ids (nothing to read, or the diff failed): cat-file ends at once, or is stopped here.
    giveIds([]);
    reading.stop();
  }
}
