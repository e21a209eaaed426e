import { describe, expect, it } from 'vitest';
import { parseMode, planScan } from '../../src/action/plan.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const Z = '0'.repeat(40);

describe('what the action scans', () => {
  it('pull_request and pull_request_target: base..head', () => {
    for (const name of ['pull_request', 'pull_request_target']) {
      const p = planScan('auto', name, { pull_request: { number: 3, base: { sha: A }, head: { sha: B } } });
      expect(p).toMatchObject({ ok: true, value: { type: 'range', base: A, head: B } });
    }
  });

  it('push: before..after; a new branch when before is all zeros; nothing when the ref is deleted', () => {
    expect(planScan('auto', 'push', { before: A, after: B })).toMatchObject({ ok: true, value: { type: 'range', base: A, head: B } });
    expect(planScan('auto', 'push', { before: Z, after: B, created: true, repository: { default_branch: 'main' } })).toMatchObject({
      ok: true,
      value: { type: 'new-branch', head: B, defaultBranch: 'main' },
    });
    expect(planScan('auto', 'push', { before: A, after: Z, deleted: true })).toMatchObject({ ok: true, value: { type: 'nothing' } });
    expect(planScan('auto', 'push', {}, B)).toMatchObject({ ok: true, value: { type: 'new-branch', head: B } });
  });

  it('merge_group: base_sha..head_sha', () => {
    expect(planScan('auto', 'merge_group', { merge_group: { base_sha: A, head_sha: B } })).toMatchObject({ ok: true, value: { type: 'range', base: A, head: B } });
  });

  it('other events, and mode history: every commit; mode scan: the files', () => {
    expect(planScan('auto', 'schedule', {})).toMatchObject({ ok: true, value: { type: 'history' } });
    expect(planScan('history', 'pull_request', { pull_request: { base: { sha: A }, head: { sha: B } } })).toMatchObject({ ok: true, value: { type: 'history' } });
    expect(planScan('scan', 'push', {})).toMatchObject({ ok: true, value: { type: 'scan' } });
  });

  it('a pull_request payload without shas is an error naming the fields', () => {
    const p = planScan('auto', 'pull_request', {});
    expect(p.ok).toBe(false);
    if (!p.ok) expect(p.errors[0]).toMatch(/pull_request.base.sha/);
  });

  it('parses the mode input', () => {
    expect(parseMode('')).toEqual({ ok: true, value: 'auto' });
    expect(parseMode(' History ')).toEqual({ ok: true, value: 'history' });
    expect(parseMode('staged').ok).toBe(false);
  });
});
