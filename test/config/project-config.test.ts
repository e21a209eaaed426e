import { describe, expect, it } from 'vitest';
import { formatConfigError, parseConfig } from '../../src/config/project-config.js';
import { activeRules } from '../../src/config/read-config.js';
import { loadBuiltinRules } from '../helpers/rules.js';
import { fakeGoogleApiKey } from '../helpers/keys.js';
import { acmeRuleYaml, acmeToken } from '../helpers/config.js';

const builtins = loadBuiltinRules();

function errorOf(text: string): string {
  const r = parseConfig(text, '.keyguard.yaml', builtins);
  if (r.ok) throw new Error('expected an error');
  return formatConfigError(r.errors[0]!);
}

describe('parseConfig', () => {
  it('gives the defaults for an empty file', () => {
    const r = parseConfig('', '.keyguard.yaml', builtins);
    expect(r.ok && r.value).toMatchObject({ extends: true, rules: [], disable: [], failOpen: false });
  });

  it('loads every key', () => {
    const text = `${acmeRuleYaml()}disable: [google-oauth-access-token]
allowlist:
  description: fixtures
  paths: ['test/fixtures/**', '*.snap']
  regexes: ['^AIzaSyTEST']
  lineRegexes: ['example_key']
  stopwords: [Sample]
  commits: [0123456789abcdef0123456789abcdef01234567]
ruleAllowlists:
  google-api-key:
    paths: [docs/**]
maxFileSize: 10MiB
failOpen: true
verify: true
`;
    const r = parseConfig(text, '.keyguard.yaml', builtins);
    if (!r.ok) throw new Error(formatConfigError(r.errors[0]!));
    const c = r.value;
    expect(c.rules.map((x) => x.id)).toEqual(['acme-internal-token']);
    expect(c.maxFileSize).toBe(10 * 1024 * 1024);
    expect(c).toMatchObject({ failOpen: true, verify: true, disable: ['google-oauth-access-token'] });
    expect(c.allowlist?.stopwords).toEqual(['sample']);
    expect(c.allowlist?.path?.('test/fixtures/a/b.json')).toBe(true);
    expect(c.allowlist?.path?.('src/a.snap')).toBe(true);
    expect(c.allowlist?.path?.('src/test/fixtures/a.json')).toBe(false);
    expect(c.ruleAllowlists.get('google-api-key')?.path?.('docs/x.md')).toBe(true);
    const ids = activeRules(builtins, c).map((x) => x.id);
    expect(ids).toContain('acme-internal-token');
    expect(ids).not.toContain('google-oauth-access-token');
    expect(ids).toContain('google-api-key');
  });

  it('takes user path rules (credential files by name), their examples being paths', () => {
    const text = 'rules:\n  - id: acme-key-file\n    title: Acme key file\n    description: d\n    severity: high\n    kind: credential-file\n    paths: ["*.acmekey"]\n    examples: [deploy/prod.acmekey]\n    negativeExamples: [docs/acmekey.md]\n';
    expect(parseConfig(text, '.keyguard.yaml', builtins).ok).toBe(true);
    expect(errorOf(text.replace('[deploy/prod.acmekey]', '[deploy/prod.key]'))).toMatch(/rule 'acme-key-file' field 'rules\[0\]\.examples\[0\]': example 1 is not found/);
  });

  it('extends: false runs only the user rules', () => {
    const r = parseConfig(`extends: false\n${acmeRuleYaml()}`, '.keyguard.yaml', builtins);
    expect(r.ok && activeRules(builtins, r.value).map((x) => x.id)).toEqual(['acme-internal-token']);
  });

  it('a folder glob covers what is under it, a name without a slash matches at any depth', () => {
    const r = parseConfig('allowlist:\n  paths: [vendor, fixtures/]\n', '.keyguard.yaml', builtins);
    const path = r.ok ? r.value.allowlist!.path! : () => false;
    expect(path('vendor/lib.js')).toBe(true);
    expect(path('a/vendor/lib.js')).toBe(true);
    expect(path('fixtures/x')).toBe(true);
    expect(path('src/vendors.js')).toBe(false);
  });

  describe('errors are one line naming the file, the line and the field', () => {
    it('a YAML syntax error', () => {
      expect(errorOf('allowlist:\n  paths: [a\n  b: c\n')).toMatch(/^\.keyguard\.yaml:3: not valid YAML: /);
    });

    it('a syntax error on a line holding a secret never quotes the line', () => {
      const key = fakeGoogleApiKey(5);
      const message = errorOf(`allowlist:\n  regexes: ["${key}": [\n`);
      expect(message).toMatch(/^\.keyguard\.yaml:\d+: not valid YAML/);
      expect(message).not.toContain(key);
      expect(message).not.toContain('\n');
    });

    it('an unknown key', () => {
      expect(errorOf('extends: true\nallowlists:\n  paths: []\n')).toBe(".keyguard.yaml:2: field 'allowlists': is not a known field (check the spelling; see schema/config.schema.json)");
    });

    it('an unknown key inside an allowlist', () => {
      expect(errorOf('allowlist:\n  path: [a]\n')).toMatch(/^\.keyguard\.yaml:2: field 'allowlist\.path': is not a known field/);
    });

    it('a wrong type', () => {
      expect(errorOf('failOpen: "yes"\n')).toBe(".keyguard.yaml:1: field 'failOpen': must be boolean");
      expect(errorOf('allowlist:\n  paths: notalist\n')).toBe(".keyguard.yaml:2: field 'allowlist.paths': must be array");
    });

    it('a catastrophic pattern in a user rule names the rule', () => {
      const message = errorOf(acmeRuleYaml('(?<secret>acme_live_(a+)+$)'));
      expect(message).toMatch(/^\.keyguard\.yaml:8: rule 'acme-internal-token' field 'rules\[0\]\.pattern': pattern can backtrack catastrophically/);
    });

    it('a catastrophic allowlist regex', () => {
      expect(errorOf("allowlist:\n  regexes: ['(a+)+$']\n")).toMatch(/^\.keyguard\.yaml:2: field 'allowlist\.regexes\[0\]': pattern can backtrack catastrophically/);
      expect(errorOf("ruleAllowlists:\n  google-api-key:\n    lineRegexes: ['(x|xy)*z']\n")).toMatch(/^\.keyguard\.yaml:3: field 'ruleAllowlists\.google-api-key\.lineRegexes\[0\]': pattern can backtrack/);
    });

    it('invalid regex syntax names the rule', () => {
      expect(errorOf(acmeRuleYaml('(?<secret>acme_live_[A-Z'))).toMatch(/^\.keyguard\.yaml:8: rule 'acme-internal-token' field 'rules\[0\]\.pattern': invalid regular expression/);
    });

    it('a user rule whose example it does not find', () => {
      expect(errorOf(acmeRuleYaml(undefined, 'token = acme_live_short # keyguard:allow'))).toMatch(/^\.keyguard\.yaml:11: rule 'acme-internal-token' field 'rules\[0\]\.examples\[0\]': example 1 is not found by the rule/);
    });

    it('a user rule that reports its negative example', () => {
      const text = acmeRuleYaml().replace("'token = acme_live_XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX'", `'other = ${acmeToken(3)} # keyguard:allow'`);
      expect(errorOf(text)).toMatch(/^\.keyguard\.yaml:13: rule 'acme-internal-token' field 'rules\[0\]\.negativeExamples\[0\]': negative example 1 is reported/);
    });

    it('a user rule without examples', () => {
      const text = acmeRuleYaml().split('\n').filter((l) => !/examples:|keyguard:allow|XXXX/i.test(l)).join('\n');
      expect(errorOf(text)).toMatch(/^\.keyguard\.yaml:2: rule 'acme-internal-token' field 'rules\[0\]\.(negativeE|e)xamples': is required/);
    });

    it('a misspelt rule field comes before the "required" it causes', () => {
      expect(errorOf(acmeRuleYaml().replace('    pattern:', '    patern:'))).toMatch(/field 'rules\[0\]\.patern': is not a known field/);
    });

    it('an unknown rule id in disable or ruleAllowlists', () => {
      expect(errorOf('disable:\n  - google-api-key\n  - google-api-keyy\n')).toBe(".keyguard.yaml:3: field 'disable[1]': 'google-api-keyy' is not a rule id; keyguard rules lists them");
      expect(errorOf('ruleAllowlists:\n  nope:\n    paths: [x]\n')).toMatch(/^\.keyguard\.yaml:\d: field 'ruleAllowlists\.nope': 'nope' is not a rule id/);
    });

    it('a user rule with a built-in id', () => {
      expect(errorOf(acmeRuleYaml().replace('acme-internal-token', 'google-api-key'))).toMatch(/field 'rules\[0\]\.id': 'google-api-key' is a built-in rule id/);
    });

    it('a bad rule id and a bad reference', () => {
      expect(errorOf('disable: [Google_API_Key]\n')).toBe(".keyguard.yaml:1: field 'disable[0]': must be a rule id (lower-case words joined by -)");
      expect(errorOf(acmeRuleYaml().replace('    entropy: 3', '    entropy: 3\n    references: [docs.acme.internal]'))).toMatch(/rule 'acme-internal-token' field 'rules\[0\]\.references\[0\]': must match \^https\?:\/\//);
    });

    it('a bad size and a bad commit id', () => {
      expect(errorOf('maxFileSize: 10XB\n')).toBe(".keyguard.yaml:1: field 'maxFileSize': must be a size: bytes, or units like 10MiB");
      expect(errorOf('allowlist:\n  commits: [main]\n')).toMatch(/field 'allowlist\.commits\[0\]': must be a commit id/);
    });

    it('a user rule with neither a pattern nor paths says what it needs, before any field missing in the choice', () => {
      const rule = 'rules:\n  - id: x\n    title: t\n    description: d\n    severity: high\n    kind: google-secret\n    examples: [a]\n    negativeExamples: [b]\n';
      expect(errorOf(rule)).toMatch(/^\.keyguard\.yaml:2: rule 'x' field 'rules\[0\]': needs exactly one of pattern, structure, decode or paths/);
      expect(errorOf('rules:\n  - id: x\n')).toMatch(/field 'rules\[0\]\.title': is required/);
    });

    it('a file that is not a mapping', () => {
      expect(errorOf('- a\n- b\n')).toMatch(/^\.keyguard\.yaml:1: must be a YAML mapping/);
    });
  });
});
