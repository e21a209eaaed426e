// Pure, incremental parser for `git log --raw -z -c --combined-all-paths --format=<COMMIT_FORMAT>`: commits and,
// for each, the files it changed with the blob ids on both sides.

import { showName } from './names.js';

/** %x1e starts a commit header, so a header is never mistaken for a path. */
export const COMMIT_FORMAT = '%x1e%H%x1f%P%x1f%an%x1f%ae%x1f%aI';

export interface CommitMeta {
  sha: string;
  parents: string[];
  author: string;
  email: string;
  date: string;
}

export interface ChangedFile {
  /** Index into the commit list. */
  commit: number;
  path: string;
  /** The blob at `path` in this commit. */
  oid: string;
  mode: string;
  /** The blob in each parent (at the path it had there), or undefined where the file did not exist. */
  parentOids: (string | undefined)[];
  /** The commit deleted the file (then `oid` is empty): kept to know when a secret left a branch. */
  deleted?: true;
}

const ZERO = /^0+$/;

/**
 * Feed NUL-separated fields one at a time. Callbacks receive each commit as its header arrives and each changed
 * file as its record completes.
 */
export function createLogParser(onCommit: (c: CommitMeta) => void, onFile: (f: ChangedFile) => void): (field: string | Buffer) => void {
  let commit = -1;
  // A raw record waiting for its paths.
  let pending: { parents: number; srcOids: string[]; dstOid: string; dstMode: string; status: string; paths: string[]; need: number } | undefined;
  return (raw: string | Buffer) => {
    if (pending) {
      // A path as git wrote it (bytes): shown plain, or C-quoted when it is not plain UTF-8 (names.ts).
      pending.paths.push(typeof raw === 'string' ? raw : showName(raw));
      if (pending.paths.length < pending.need) return;
      const p = pending;
      pending = undefined;
      const path = p.paths[p.paths.length - 1]!;
      const deleted = ZERO.test(p.dstOid);
      onFile({
        commit,
        path,
        oid: deleted ? '' : p.dstOid,
        mode: p.dstMode,
        parentOids: p.srcOids.map((o) => (ZERO.test(o) ? undefined : o)),
        ...(deleted ? { deleted: true as const } : {}),
      });
      return;
    }
    const field = typeof raw === 'string' ? raw : raw.toString('utf8');
    // Fields may carry the newline git puts between a header and its records.
    const f = field.charCodeAt(0) === 10 ? field.slice(1) : field;
    if (f.length === 0) return;
    if (f.charCodeAt(0) === 0x1e) {
      const [sha = '', parents = '', author = '', email = '', date = ''] = f.slice(1).split('\x1f');
      commit++;
      onCommit({ sha, parents: parents ? parents.split(' ') : [], author, email, date: date.trim() });
      return;
    }
    if (f.charCodeAt(0) !== 58 /* : */) return;
    let colons = 0;
    while (f.charCodeAt(colons) === 58) colons++;
    const parts = f.slice(colons).split(' ');
    // colons = number of parents; modes: parents + 1, oids: parents + 1, then the status letters.
    const modes = parts.slice(0, colons + 1);
    const oids = parts.slice(colons + 1, 2 * colons + 2);
    const status = parts[2 * colons + 2] ?? '';
    const renamed = colons === 1 && (status.startsWith('R') || status.startsWith('C'));
    // Combined records (merges) name every parent's path and then the result: parents + 1 paths.
    const need = colons > 1 ? colons + 1 : renamed ? 2 : 1;
    pending = { parents: colons, srcOids: oids.slice(0, colons), dstOid: oids[colons] ?? '', dstMode: modes[colons] ?? '', status, paths: [], need };
  };
}
