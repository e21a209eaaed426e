import { describe, expect, it } from 'vitest';
import { convertGitleaksIgnore, mergeIntoConfig, parseIgnoreLine, renderAllowYaml } from '../../src/config/gitleaksignore.js';
import { parseConfig } from '../../src/config/project-config.js';
import { loadBuiltinRules } from '../helpers/rules.js';

const builtins = loadBuiltinRules();
const known = new Set(builtins.map((r) => r.id));
const sha = 'a'.repeat(8) + '0123456789abcdef0123456789abcdef';

describe('parseIgnoreLine', () => {
  it('reads both gitleaks forms, paths with colons included', () => {
    expect(parseIgnoreLine(`${sha}:src/app.js:gcp-api-key:12`, 1)).toEqual({ line: 1, commit: sha, path: 'src/app.js', ruleId: 'gcp-api-key', findingLine: 12 });
    expect(parseIgnoreLine('config/a:b.env:generic-api-key:3', 2)).toEqual({ line: 2, path: 'config/a:b.env', ruleId: 'generic-api-key', findingLine: 3 });
    expect(parseIgnoreLine('  # a comment', 3)).toBeUndefined();
    expect(parseIgnoreLine('', 4)).toBeUndefined();
    expect(parseIgnoreLine('just some words', 5)).toMatchObject({ reason: expect.stringMatching(/not a gitleaks fingerprint/) });
  });
});

describe('convertGitleaksIgnore', () => {
  it('maps Google rules to per-rule path allowlists and lists what it cannot convert', () => {
    const text = [
      '# ignored findings',
      `${sha}:src/app.js:gcp-api-key:12`,
      'docs/setup.md:gcp-api-key:4',
      'docs/setup.md:gcp-api-key:9',
      'keys/sa.json:google-service-account-key:5',
      'infra/aws.tf:aws-access-token:2',
      'garbage',
    ].join('\n');
    const c = convertGitleaksIgnore(text, known);
    expect([...c.allow]).toEqual([
      ['google-api-key', ['docs/setup.md', 'src/app.js']],
      ['google-service-account-key', ['keys/sa.json']],
    ]);
    expect(c.converted).toBe(4);
    expect(c.unconverted.map((u) => [u.line, u.reason.split(' (')[0]])).toEqual([
      [6, 'gitleaks rule aws-access-token has no keyguard equivalent'],
      [7, 'not a gitleaks fingerprint'],
    ]);
    const yaml = renderAllowYaml(c.allow);
    const parsed = parseConfig(yaml, 'snippet.yaml', builtins);
    expect(parsed.ok && parsed.value.ruleAllowlists.get('google-api-key')?.path?.('docs/setup.md')).toBe(true);
  });
});

describe('mergeIntoConfig', () => {
  const allow = new Map([['google-api-key', ['docs/setup.md', 'src/app.js']]]);

  it('adds to an existing configuration, keeping its comments, without duplicates', () => {
    const existing = '# our config\nallowlist:\n  paths: [fixtures/**] # test data\nruleAllowlists:\n  google-api-key:\n    paths:\n      - src/app.js\n';
    const merged = mergeIntoConfig(existing, allow);
    expect(merged.added).toBe(1);
    expect(merged.text).toContain('# our config');
    expect(merged.text).toContain('# test data');
    const parsed = parseConfig(merged.text, 'x.yaml', builtins);
    expect(parsed.ok).toBe(true);
    const again = mergeIntoConfig(merged.text, allow);
    expect(again.added).toBe(0);
  });

  it('writes a new configuration', () => {
    const merged = mergeIntoConfig('', allow);
    expect(merged.added).toBe(2);
    expect(parseConfig(merged.text, 'x.yaml', builtins).ok).toBe(true);
  });
});
