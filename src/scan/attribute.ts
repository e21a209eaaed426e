// Pure: given what each blob holds and what each commit changed, report each secret once per path, at the commit
// that introduced it there (present in the commit's blob, absent from every parent's blob at that path).
import type { CredentialWindow, RawFinding } from '../types.js';
import type { ChangedFile, CommitMeta } from '../sources/log-parse.js';
import { classifyExposure } from '../detect/exposure.js';

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
    if (f.deleted || !findings.has(f.oid)) continue;
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
    if (f.deleted) continue;
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
        exposure: classifyExposure(f.path, raw.lineContext ?? raw.excerpt),
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

export interface WindowFacts {
  /** Blob ids in HEAD's tree. */
  headBlobs: Set<string>;
  /** Commits reachable from HEAD. */
  headCommits: Set<string>;
  /** Refs that reach each introducing commit (refs/heads/…, tags…). */
  refsOf: Map<string, string[]>;
}

/**
 * The exposure window of each credential: first committed, still at HEAD or when HEAD's history removed it, and
 * the refs that still reach it. `credentialOf` maps a raw finding to its credential id.
 */
export function computeWindows(
  input: AttributionInput,
  introduced: RawFinding[],
  facts: WindowFacts,
  credentialOf: (f: RawFinding) => string,
): CredentialWindow[] {
  const byCredential = new Map<string, RawFinding[]>();
  for (const f of introduced) {
    const id = credentialOf(f);
    const list = byCredential.get(id) ?? [];
    list.push(f);
    byCredential.set(id, list);
  }
  // Which blobs hold which credentials (only blobs with findings matter).
  const holders = new Map<string, Set<string>>();
  for (const [oid, found] of input.findings) {
    for (const f of found) {
      const id = credentialOf(f);
      const set = holders.get(id) ?? new Set<string>();
      set.add(oid);
      holders.set(id, set);
    }
  }
  const dateOf = new Map(input.commits.map((c) => [c.sha, c.date]));
  // The only changes that can remove a credential: on HEAD's history, from a blob that holds one. Found in one pass
  // over the changes, not one per credential (a history has tens of thousands of them).
  const held = new Set<string>();
  for (const set of holders.values()) for (const oid of set) held.add(oid);
  const removals = input.files.filter((f) => {
    const commit = input.commits[f.commit];
    return commit !== undefined && facts.headCommits.has(commit.sha) && f.parentOids.some((p) => p !== undefined && held.has(p));
  });
  const windows: CredentialWindow[] = [];
  for (const [credential, found] of byCredential) {
    const first = found.reduce((a, b) => ((b.date ?? '') < (a.date ?? '') ? b : a));
    const blobs = holders.get(credential) ?? new Set<string>();
    const presentAtHead = [...blobs].some((b) => facts.headBlobs.has(b));
    let removed: { commit: string; date: string } | undefined;
    if (!presentAtHead) {
      for (const f of removals) {
        const commit = input.commits[f.commit]!;
        const before = f.parentOids.some((p) => p !== undefined && blobs.has(p));
        const after = !f.deleted && blobs.has(f.oid);
        if (before && !after && (!removed || commit.date > removed.date)) removed = { commit: commit.sha, date: commit.date };
      }
    }
    const refs = new Set<string>();
    for (const f of found) for (const r of facts.refsOf.get(f.commit ?? '') ?? []) refs.add(r);
    windows.push({
      credential,
      firstCommitted: { commit: first.commit ?? '', date: first.date ?? dateOf.get(first.commit ?? '') ?? '' },
      presentAtHead,
      ...(removed ? { removed } : {}),
      refs: [...refs].sort(),
    });
  }
  return windows.sort((a, b) => (a.credential < b.credential ? -1 : 1));
}
