// Pure: given what each blob holds and what each commit changed, report each secret once per path, at the commit
// that introduced it there (present in the commit's blob, absent from every parent's blob at that path).
import type { RawFinding } from './types.js';
import type { ChangedFile, CommitMeta } from './sources/log-parse.js';
import { classifyExposure } from './detect/exposure.js';

export function secretKey(f: Pick<RawFinding, 'kind' | 'rawSecret'>): string {
  return `${f.kind}\0${f.rawSecret}`;
}

export interface AttributionInput {
  commits: CommitMeta[];
  files: ChangedFile[];
  /** Findings per blob id; a blob absent here was scanned and holds nothing (or was not scanned: see `scanned`). */
  findings: Map<string, RawFinding[]>;
  /** Commits reachable only from refs/stash: their findings are labelled `stash`. */
  stashOnly?: Set<string>;
}

/** Which parent blobs must be scanned before attribution can be exact. */
export function parentBlobsNeeded(files: ChangedFile[], findings: Map<string, RawFinding[]>, scanned: Set<string>): Set<string> {
  const need = new Set<string>();
  for (const f of files) {
    if (!findings.has(f.oid)) continue;
    for (const p of f.parentOids) if (p && !scanned.has(p)) need.add(p);
  }
  return need;
}

export function attributeFindings(input: AttributionInput): RawFinding[] {
  const out: RawFinding[] = [];
  const keysOf = new Map<string, Set<string>>();
  const keys = (oid: string): Set<string> => {
    let s = keysOf.get(oid);
    if (!s) {
      s = new Set((input.findings.get(oid) ?? []).map(secretKey));
      keysOf.set(oid, s);
    }
    return s;
  };
  for (const f of input.files) {
    const found = input.findings.get(f.oid);
    if (!found || found.length === 0) continue;
    const before = f.parentOids.filter((p): p is string => p !== undefined).map(keys);
    const commit = input.commits[f.commit];
    if (!commit) continue;
    for (const raw of found) {
      const k = secretKey(raw);
      if (before.some((s) => s.has(k))) continue;
      const attributed: RawFinding = {
        ...raw,
        file: f.path,
        exposure: classifyExposure(f.path, raw.excerpt),
        commit: commit.sha,
        author: commit.author,
        email: commit.email,
        date: commit.date,
      };
      if (input.stashOnly?.has(commit.sha)) attributed.refs = ['stash'];
      out.push(attributed);
    }
  }
  return out;
}
