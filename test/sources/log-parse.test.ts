import { describe, expect, it } from 'vitest';
import { createLogParser, type ChangedFile, type CommitMeta } from '../../src/sources/log-parse.js';

const Z = '0'.repeat(40);
const [A, B, C, D] = ['a', 'b', 'c', 'd'].map((c) => c.repeat(40)) as [string, string, string, string];

function parse(fields: string[]) {
  const commits: CommitMeta[] = [];
  const files: ChangedFile[] = [];
  const feed = createLogParser((c) => commits.push(c), (f) => files.push(f));
  for (const f of fields) feed(f);
  return { commits, files };
}

describe('createLogParser', () => {
  it('reads commits, renames, deletions and combined merge records', () => {
    const { commits, files } = parse([
      `\x1e${D}\x1f${A} ${B}\x1fAda\x1fada@example.com\x1f2025-01-01T00:00:00+00:00`,
      '',
      `::100644 100644 100644 ${A} ${Z} ${C} MA`,
      'p1.txt',
      'p2.txt',
      'merged.txt',
      `\x1e${A}\x1f${B}\x1fAda\x1fada@example.com\x1f2024-12-31T00:00:00+00:00`,
      `\n:100644 100644 ${B} ${C} R090`,
      'old name.txt',
      'new name.txt',
      `:100644 000000 ${B} ${Z} D`,
      'deleted.txt',
      `\x1e${B}\x1f\x1fAda\x1fada@example.com\x1f2024-12-30T00:00:00+00:00`,
      `\n:000000 100644 ${Z} ${B} A`,
      'first.txt',
    ]);
    expect(commits.map((c) => [c.sha[0], c.parents.length])).toEqual([
      ['d', 2],
      ['a', 1],
      ['b', 0],
    ]);
    expect(files).toEqual([
      { commit: 0, path: 'merged.txt', oid: C, mode: '100644', parentOids: [A, undefined] },
      { commit: 1, path: 'new name.txt', oid: C, mode: '100644', parentOids: [B] },
      { commit: 1, path: 'deleted.txt', oid: '', mode: '000000', parentOids: [B], deleted: true },
      { commit: 2, path: 'first.txt', oid: B, mode: '100644', parentOids: [undefined] },
    ]);
  });
});
