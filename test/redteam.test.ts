// The red-team set (bench/redteam) through the built CLI: every planted credential found, nothing else reported.
// A regression in a rule or the engine shows here with the file and the case's note.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

describe('red team', () => {
  it('finds every planted credential and reports nothing else (seed 20261201)', () => {
    const work = mkdtempSync(join(tmpdir(), 'keyguard-redteam-'));
    try {
      const out = execFileSync(process.execPath, ['bench/redteam/score.mjs', '--json', '--work', work], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      const report = JSON.parse(out) as { summary: { recall: number; precision: number }; misses: unknown[]; falsePositives: unknown[] };
      expect(report.misses).toEqual([]);
      expect(report.falsePositives).toEqual([]);
      expect(report.summary.recall).toBe(100);
      expect(report.summary.precision).toBe(100);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
