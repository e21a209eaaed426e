// How the facts the sources read about each file land on findings.
import { describe, expect, it } from 'vitest';
import { attachFileFacts, detectFile, readableByOthers } from '../../src/scan/file-facts.js';
import { builtinRuleSet } from '../helpers/rules.js';
import type { Finding } from '../../src/types.js';

const finding = (over: Partial<Finding>): Finding => ({
  ruleId: 'google-api-key', title: 'Google API key', severity: 'high', kind: 'google-api-key', file: '.env', line: 1, column: 1, endLine: 1, endColumn: 40,
  secret: 'AIza…abcd', credential: 'c1', fingerprint: 'c1:.env', entropy: 4.5, exposure: 'server', excerpt: 'K=AIza…abcd', ...over,
});

describe('file facts', () => {
  const set = builtinRuleSet();
  it('reports an ignored credential file by name only when others can read it', () => {
    expect(readableByOthers(0o644)).toBe(true);
    expect(readableByOthers(0o600)).toBe(false);
    expect(readableByOthers(0o640)).toBe(true);
    expect(detectFile({ path: '.env', git: 'ignored', mode: 0o600 }, set)).toEqual([]);
    expect(detectFile({ path: '.env', git: 'ignored', mode: 0o644 }, set).map((f) => f.ruleId)).toEqual(['env-file']);
    expect(detectFile({ path: '.env', git: 'untracked', mode: 0o600 }, set).map((f) => f.ruleId)).toEqual(['env-file']);
  });

  it('attaches the .gitignore line and mode', () => {
    const [a, b, c] = attachFileFacts([finding({ git: 'untracked' }), finding({ file: 'x', git: 'ignored' }), finding({ file: 'y', git: 'tracked' })], new Map([
      ['.env', { path: '.env', git: 'untracked' as const, mode: 0o600, ignoreLine: '/.env' }],
      ['x', { path: 'x', git: 'ignored' as const, mode: 0o604 }],
      ['y', { path: 'y', git: 'tracked' as const, mode: 0o644 }],
    ]));
    expect([a!.gitignore, a!.fileMode, b!.fileMode, c!.fileMode]).toEqual(['/.env', undefined, '604', undefined]);
  });
});
