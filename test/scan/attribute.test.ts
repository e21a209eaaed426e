import { describe, expect, it } from 'vitest';
import { attributeFindings, parentBlobsNeeded } from '../../src/scan/attribute.js';
import type { RawFinding } from '../../src/types.js';
import type { ChangedFile, CommitMeta } from '../../src/sources/log-parse.js';

const commit = (sha: string): CommitMeta => ({ sha, parents: [], author: 'Ada', email: 'ada@example.com', date: '2025-01-01T00:00:00Z' });
const finding = (secret: string, line = 1): RawFinding => ({
  ruleId: 'google-api-key', title: 't', description: 'd', severity: 'high', kind: 'google-api-key', file: 'first/path.js',
  line, column: 1, endLine: line, endColumn: 2, start: 0, end: 1, rawSecret: secret, entropy: 4, excerpt: 'x', exposure: 'server',
});

describe('attributeFindings', () => {
  it('reports a secret where it is new against every parent, at the path of that commit', () => {
    const commits = ['c0', 'c1', 'c2', 'm'].map(commit);
    const files: ChangedFile[] = [
      { commit: 0, path: 'a.js', oid: 'blob1', mode: '100644', parentOids: [undefined] },
      { commit: 1, path: 'a.js', oid: 'blob2', mode: '100644', parentOids: ['blob1'] },
      { commit: 2, path: 'public/b.js', oid: 'blob2', mode: '100644', parentOids: [undefined] },
      { commit: 3, path: 'a.js', oid: 'blob3', mode: '100644', parentOids: ['blob2', 'blob1'] },
    ];
    const findings = new Map([
      ['blob1', [finding('S1')]],
      ['blob2', [finding('S1', 2), finding('S2', 3)]],
      ['blob3', [finding('S1'), finding('S2'), finding('S3', 9)]],
    ]);
    const out = attributeFindings({ commits, files, findings, stashOnly: new Set(['m']) });
    expect(out.map((f) => [f.commit, f.file, f.rawSecret, f.line, f.exposure, f.refs])).toEqual([
      ['c0', 'a.js', 'S1', 1, 'server', undefined],
      ['c1', 'a.js', 'S2', 3, 'server', undefined],
      ['c2', 'public/b.js', 'S1', 2, 'client', undefined],
      ['c2', 'public/b.js', 'S2', 3, 'client', undefined],
      ['m', 'a.js', 'S3', 9, 'server', ['stash']],
    ]);
  });

  it('asks for parent blobs only where a finding needs them', () => {
    const files: ChangedFile[] = [
      { commit: 0, path: 'a', oid: 'x', mode: '100644', parentOids: ['p1'] },
      { commit: 0, path: 'b', oid: 'y', mode: '100644', parentOids: ['p2'] },
    ];
    expect([...parentBlobsNeeded(files, new Map([['x', [finding('S')]]]), new Set())]).toEqual(['p1']);
    expect([...parentBlobsNeeded(files, new Map([['x', [finding('S')]]]), new Set(['p1']))]).toEqual([]);
  });
});
