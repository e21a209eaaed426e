// Credential files by name in history: each is reported at the commit that added it at its path (like content
// findings, at the commit that introduced them). Pure: the commits and changed files `git log` listed, nothing else.
import type { RawFinding } from '../types.js';
import type { ChangedFile, CommitMeta } from '../sources/log-parse.js';
import { detectPath, type PathRules } from '../detect/paths.js';

export interface HistoryFiles {
  commits: CommitMeta[];
  files: ChangedFile[];
  stashOnly?: Set<string>;
}

/** A finding per credential file added to history (new at its path in that commit: not in any parent there). */
export function attributePathFindings(input: HistoryFiles, set: PathRules): RawFinding[] {
  if (set.pathRules.length === 0) return [];
  const out: RawFinding[] = [];
  for (const f of input.files) {
    if (f.deleted || f.parentOids.some((p) => p !== undefined)) continue;
    const commit = input.commits[f.commit];
    if (!commit) continue;
    for (const raw of detectPath({ path: f.path, commit: commit.sha, blobId: f.oid }, set)) {
      raw.author = commit.author;
      raw.email = commit.email;
      raw.date = commit.date;
      if (input.stashOnly?.has(commit.sha)) raw.refs = ['stash'];
      out.push(raw);
    }
  }
  return out;
}

/**
 * Every blob a credential file found by name had at its path, as blob → findings: what the exposure window needs to
 * tell whether HEAD still holds the file, and when HEAD's branch deleted it.
 */
export function pathFindingBlobs(files: ChangedFile[], pathFindings: RawFinding[]): Map<string, RawFinding[]> {
  const byPath = new Map<string, RawFinding[]>();
  for (const f of pathFindings) byPath.set(f.file, [...(byPath.get(f.file) ?? []), f]);
  const out = new Map<string, RawFinding[]>();
  if (byPath.size === 0) return out;
  for (const f of files) {
    const found = byPath.get(f.path);
    if (!found || f.deleted) continue;
    out.set(f.oid, [...new Set([...(out.get(f.oid) ?? []), ...found])]);
  }
  return out;
}
