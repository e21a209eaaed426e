// The shape of a clone, as far as a history scan cares: a partial clone reads only the objects it holds (never a lazy
// fetch), says how many blobs are missing and how to bring them, and `--fetch-missing` brings them in one batch.
import { gitOk, readPartialClone, readPresentObjects, runGit, GitError, type GitOptions, type PartialClone } from './git.js';

export interface CloneShape {
  /** The promisor remote and its filter, in a partial clone. */
  partial?: PartialClone;
  /**
   * In a partial clone, the objects present (read once, side by side with the rest): the readers ask git only for
   * these (ReadOptions.present), and the log runs without rename detection (HistoryOptions.renames).
   */
  present?: Promise<Set<string>>;
}

/** Read the clone's shape: one `git config` call, and in a partial clone one `git cat-file --batch-all-objects`. */
export async function readCloneShape(git: GitOptions): Promise<CloneShape> {
  const partial = await readPartialClone(git);
  if (!partial) return {};
  const present = readPresentObjects(git);
  // A failure is reported where the readers wait for it.
  present.catch(() => undefined);
  return { partial, present };
}

/** The history options a clone's shape asks for (spread into readHistory's and readBlobs' options). */
export function shapeReadOptions(shape: CloneShape): { renames?: boolean; present?: Promise<Set<string>> } {
  return shape.present ? { renames: false, present: shape.present } : {};
}

/** The reason a blob not in the repository is listed as skipped (scan.ts words it; this is the one to match). */
export const MISSING_REASON = /is missing \(partial clone or damaged repository\)/;

/**
 * The shell command that fetches a partial clone's missing blobs with git alone, on any git since 2.25 (what git's own
 * lazy fetch runs, given every missing id at once); `git backfill` does it from git 2.49.
 */
export function fetchMissingCommand(remote: string): string {
  const r = /^[A-Za-z0-9._-]+$/.test(remote) ? remote : `'${remote.replace(/'/g, `'\\''`)}'`;
  return `git rev-list --objects --all --missing=print | grep '^?' | cut -c2- | git -c fetch.negotiationAlgorithm=noop fetch ${r} --no-tags --no-write-fetch-head --recurse-submodules=no --filter=blob:none --stdin`;
}

/** The stderr line for blobs a scan could not read: how many, why, and the commands that bring them. */
export function renderMissingNote(missing: number, shape: CloneShape, command: string): string {
  if (shape.partial) {
    return `${missing} blob(s) are not in this partial clone (filter ${shape.partial.filter ?? 'unknown'}) and were not scanned (nothing is fetched without asking): run ${command} --fetch-missing to fetch them from ${shape.partial.remote} in one batch and scan everything, or fetch them with git: ${fetchMissingCommand(shape.partial.remote)} (git 2.49 and later: git backfill, for the history of HEAD)`;
  }
  return `${missing} blob(s) are missing from this repository (damaged, or objects removed) and were not scanned; git fsck --full names what is lost, and a fresh clone brings it back`;
}

/** What --fetch-missing did. */
export interface FetchOutcome {
  /** Objects fetched, over all rounds. */
  fetched: number;
  /** Objects still missing afterwards (the remote did not have them, or would not send them). */
  stillMissing: number;
}

/** The ids of the objects the revisions reach that are missing (rev-list never fetches with --missing=print). */
async function listMissing(git: GitOptions, revisions: string[]): Promise<string[]> {
  const out = await gitOk(['rev-list', '--objects', '--missing=print', ...revisions], git);
  const ids: string[] = [];
  for (const line of out.toString('latin1').split('\n')) if (line.startsWith('?')) ids.push(line.slice(1).trim());
  return ids;
}

/**
 * --fetch-missing: fetch every object the revisions reach and the clone lacks from its promisor remote, one batch per
 * round (a treeless clone needs a round for the trees, then one for their blobs), then say what is still missing.
 */
export async function fetchMissingObjects(git: GitOptions, partial: PartialClone, revisions: string[]): Promise<FetchOutcome> {
  let fetched = 0;
  let missing = await listMissing(git, revisions);
  for (let round = 0; round < 8 && missing.length > 0; round++) {
    const r = await runGit(
      ['-c', 'fetch.negotiationAlgorithm=noop', 'fetch', partial.remote, '--no-tags', '--no-write-fetch-head', '--recurse-submodules=no', '--filter=blob:none', '--stdin'],
      { ...git, input: `${missing.join('\n')}\n` },
    );
    if (r.code !== 0) {
      const why = r.stderr.trim().split('\n').filter((l) => !l.startsWith('warning:'))[0] ?? '';
      throw new GitError(`--fetch-missing: git fetch ${partial.remote} failed: ${why}; check the remote is reachable (git remote -v) and try again`, r.code, r.stderr);
    }
    const asked = missing;
    missing = await listMissing(git, revisions);
    const still = new Set(missing);
    const got = asked.filter((id) => !still.has(id)).length;
    fetched += got;
    // Nothing came (the remote lacks them): asking again would not help.
    if (got === 0) break;
  }
  return { fetched, stillMissing: missing.length };
}

/**
 * The lines that say what a history scan did not see, for stderr (and the notes of machine formats): what git could
 * not list (`listing`, from HistoryRead.incomplete) and the blobs that were missing (listed in `skipped`).
 */
export function describeIncomplete(skipped: readonly { reason: string }[], shape: CloneShape, listing: readonly string[], command: string): string[] {
  const missing = skipped.filter((s) => MISSING_REASON.test(s.reason)).length;
  return [...listing, ...(missing > 0 ? [renderMissingNote(missing, shape, command)] : [])];
}
