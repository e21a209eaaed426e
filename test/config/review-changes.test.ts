// What a range's change to a trusted file would loosen once merged, pure.
import { describe, expect, it } from 'vitest';
import { describeBaselineChange, describeConfigChange, describeGitleaksIgnoreChange, reviewConfigChange } from '../../src/config/review-changes.js';
import { fakeGoogleApiKey } from '../helpers/keys.js';

const baseline = (...entries: { fingerprint: string; ruleId: string; file: string }[]): string => JSON.stringify({ version: 1, entries });
const entry = (fp: string, file: string) => ({ fingerprint: `${fp}:${file}`, ruleId: 'google-api-key', file });

describe('describeConfigChange', () => {
  it('names widened allowlists, field by field, global and per rule', () => {
    expect(describeConfigChange(undefined, 'allowlist:\n  paths: ["**"]\n')).toEqual(['widens allowlist.paths: "**"']);
    expect(
      describeConfigChange(
        'allowlist:\n  paths: [docs/**]\nruleAllowlists:\n  google-api-key:\n    paths: [a]\n',
        'allowlist:\n  paths: [docs/**, src/**, lib/**]\n  commits: [abcdef1]\nruleAllowlists:\n  google-api-key:\n    paths: [a, b]\n  gemini-auth-key:\n    paths: [c]\n',
      ),
    ).toEqual(['widens allowlist.paths: "src/**", "lib/**"', 'widens allowlist.commits: "abcdef1"', 'widens ruleAllowlists.gemini-auth-key.paths: "c"', 'widens ruleAllowlists.google-api-key.paths: "b"']);
  });

  it('never quotes a regex or stopword in full: it may be the key itself', () => {
    const key = fakeGoogleApiKey(5);
    const [line] = describeConfigChange(undefined, `allowlist:\n  regexes: ["${key}"]\n`);
    expect(line).toMatch(/^widens allowlist.regexes: "AIza…/);
    expect(line).not.toContain(key);
  });

  it('counts entries beyond the first five', () => {
    const paths = Array.from({ length: 7 }, (_, i) => `p${i}`);
    expect(describeConfigChange(undefined, `allowlist:\n  paths: [${paths.join(', ')}]\n`)).toEqual(['widens allowlist.paths: "p0", "p1", "p2", "p3", "p4" and 2 more']);
  });

  it('names disabled rules, built-ins off, removed user rules and failOpen', () => {
    expect(describeConfigChange('rules:\n  - id: acme\n    pattern: x\n', 'extends: false\ndisable: [google-api-key]\nfailOpen: true\n')).toEqual([
      'disables rule google-api-key',
      'turns the built-in rules off (extends: false)',
      'removes user rule acme',
      'lets commits through when the hook fails (failOpen: true)',
    ]);
  });

  it('says nothing about what tightens the check, and flags a version that does not parse', () => {
    expect(describeConfigChange('allowlist:\n  paths: [a, b]\ndisable: [x]\n', 'allowlist:\n  paths: [a]\n')).toEqual([]);
    expect(describeConfigChange('allowlist:\n  paths: [a]\n', undefined)).toEqual([]);
    expect(describeConfigChange(undefined, 'allowlist: [\n')).toEqual(['the new version is not valid YAML (keyguard stops with an error once it is merged)']);
  });
});

describe('describeBaselineChange', () => {
  it('names new entries by file and rule, and those that hide a key of this range', () => {
    const a = entry('0123456789abcdef', 'src/a.js');
    const b = entry('fedcba9876543210', 'src/b.js');
    expect(describeBaselineChange(baseline(a), baseline(a, b), new Set([b.fingerprint]))).toEqual(['adds 1 entry: src/b.js (google-api-key)', 'it hides a credential this range adds']);
    expect(describeBaselineChange(undefined, baseline(a, b), new Set([b.fingerprint]))).toEqual(['adds 2 entries: src/a.js (google-api-key), src/b.js (google-api-key)', '1 of them hides a credential this range adds']);
    expect(describeBaselineChange(baseline(a, b), baseline(a), new Set())).toEqual([]);
    expect(describeBaselineChange(undefined, '{"version": 2}', new Set())[0]).toMatch(/^the new version is not a valid baseline/);
  });
});

describe('describeGitleaksIgnoreChange and reviewConfigChange', () => {
  it('count new ignore lines, and say keyguard does not read the file when scanning', () => {
    expect(describeGitleaksIgnoreChange('# old\n', 'abc:src/a.js:gcp-api-key:3\n\n')).toEqual([
      'adds 1 entry',
      'keyguard does not read it when scanning, but gitleaks does and keyguard import-gitleaksignore turns it into allowlist entries',
    ]);
  });

  it('tell added, changed and deleted apart', () => {
    expect(reviewConfigChange('.keyguard.yaml', 'config', undefined, 'disable: []\n', new Set())).toMatchObject({ change: 'added', details: [] });
    expect(reviewConfigChange('.keyguard.yaml', 'config', 'a: 1\n', 'a: 2\n', new Set())).toMatchObject({ change: 'changed' });
    expect(reviewConfigChange('.keyguard.yaml', 'config', 'a: 1\n', undefined, new Set())).toMatchObject({ change: 'deleted' });
  });
});
