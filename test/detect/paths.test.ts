// Path rules: globs compiled the .gitignore way (no slash: the file name at any depth), allowlisted paths, and one
// report per file when its content already produced a finding.
import { describe, expect, it } from 'vitest';
import { compilePathGlob, detectPath, foldPathFindings, looksLikeTemplate, matchesAnyGlob } from '../../src/detect/paths.js';
import { parseRuleFile } from '../../src/config/rule-file.js';
import { createRuleSet } from '../../src/detect/engine.js';
import { builtinRuleSet } from '../helpers/rules.js';
import type { PathGlob, RawFinding } from '../../src/types.js';

const glob = (g: string): PathGlob => {
  const c = compilePathGlob(g);
  if (!c.ok) throw new Error(c.message);
  return c.value;
};

describe('path globs', () => {
  it('match the file name at any depth without a slash, the whole path with one', () => {
    expect(matchesAnyGlob([glob('*.p12')], 'a/b/key.p12')).toBe(true);
    expect(matchesAnyGlob([glob('*.p12')], 'a\\b\\KEY.P12')).toBe(true);
    expect(matchesAnyGlob([glob('secrets/*.json')], 'secrets/a.json')).toBe(true);
    expect(matchesAnyGlob([glob('secrets/*.json')], 'app/secrets/a.json')).toBe(false);
    expect(matchesAnyGlob([glob('**/secrets/*.json')], 'app/secrets/a.json')).toBe(true);
    expect(matchesAnyGlob([glob('.env')], './.env')).toBe(true);
    expect(matchesAnyGlob([glob('.env')], '.env/bin/python')).toBe(false);
  });

  it('a path rule reports a path, with the path as its secret and the glob in its excerpt', () => {
    const set = builtinRuleSet();
    const [f] = detectPath({ path: 'deploy/prod.p12', git: 'untracked', commit: 'abc' }, set);
    expect(f).toMatchObject({ ruleId: 'pkcs12-key-file', kind: 'credential-file', file: 'deploy/prod.p12', rawSecret: 'deploy/prod.p12', line: 1, git: 'untracked', commit: 'abc' });
    expect(f!.excerpt).toBe('file name matches `*.p12`');
    expect(detectPath({ path: '.env.example' }, set)).toEqual([]);
    expect(detectPath({ path: 'src/index.ts' }, set)).toEqual([]);
  });

  it('path rules never run on content and do not switch the keyword gate off', () => {
    const set = builtinRuleSet();
    expect(set.pathRules.length).toBeGreaterThanOrEqual(6);
    expect(set.always.filter((r) => r.paths)).toEqual([]);
  });
});

describe('foldPathFindings', () => {
  const set = builtinRuleSet();
  const content = { ruleId: 'google-api-key', file: '.env', commit: 'c1' } as RawFinding;
  it('drops the name finding of a file whose content produced one (same commit), keeps the others', () => {
    const byName = detectPath({ path: '.env', commit: 'c1' }, set);
    const elsewhere = detectPath({ path: 'web/.env', commit: 'c1' }, set);
    const later = detectPath({ path: '.env', commit: 'c2' }, set);
    const out = foldPathFindings([content, ...byName, ...elsewhere, ...later], set.pathRules);
    expect(out.map((f) => `${f.ruleId} ${f.file} ${f.commit}`)).toEqual(['google-api-key .env c1', 'env-file web/.env c1', 'env-file .env c2']);
  });
});

describe('path rule files', () => {
  const base = 'id: my-files\ntitle: t\ndescription: d\nseverity: low\nkind: credential-file\nexamples: [a.secret]\nnegativeExamples: [a.txt]\n';
  it('load with paths and no pattern; hook and allowlist paths are optional', () => {
    const r = parseRuleFile(`${base}paths: ['*.secret']\nwarnOnly: true\nallowlist:\n  paths: ['*.example.secret']\n`, 'my-files.yaml');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.paths?.map((g) => g.glob)).toEqual(['*.secret']);
      expect(r.value.warnOnly).toBe(true);
      expect(r.value.allowlist.paths?.map((g) => g.glob)).toEqual(['*.example.secret']);
    }
  });

  it('a glob with a slash matches whole paths, through the combined filter too', () => {
    const r = parseRuleFile(base.replace('[a.secret]', '[deploy/keys/a.json]') + "paths: ['deploy/keys/*.json']\n", 'my-files.yaml');
    if (!r.ok) throw new Error(r.errors[0]!.message);
    const set = createRuleSet([r.value]);
    expect(set.pathFilter.paths).toBeDefined();
    expect(detectPath({ path: 'deploy/keys/a.json' }, set).map((f) => f.ruleId)).toEqual(['my-files']);
    expect(detectPath({ path: 'other/deploy/keys/a.json' }, set)).toEqual([]);
    expect(detectPath({ path: 'a.json' }, set)).toEqual([]);
  });

  it('refuse paths together with a pattern or keywords, naming the choice', () => {
    const both = parseRuleFile(`${base}paths: ['*.secret']\npattern: abc\nkeywords: [abc]\n`, 'my-files.yaml');
    expect(both.ok).toBe(false);
    if (!both.ok) expect(both.errors.map((e) => e.message).join('\n')).toContain('exactly one of pattern, structure, decode or paths');
  });
});

describe('templates of credential files', () => {
  it('are recognised by a placeholder where the secret would be', () => {
    for (const t of [
      '"private_key": "-----BEGIN PRIVATE KEY-----\\nYOUR_PRIVATE_KEY\\n-----END PRIVATE KEY-----\\n"',
      '{"installed":{"client_secret":"<CLIENT_SECRET>"}}',
      'client_secret: REPLACE_ME',
      '"private_key": "..."',
      'GEMINI_API_KEY=your-api-key-here',
      'GOOGLE_API_KEY=${GOOGLE_API_KEY}',
      'client_secret: {{ .Values.clientSecret }}',
      '"refresh_token": "xxxxxxxxxxxxxxxx"',
    ])
      expect(looksLikeTemplate(t), t).toBe(true);
  });

  it('are not files with real-looking values, empty ones or a type alone', () => {
    for (const t of ['{}', '{ "type": "service_account" }', '{ "type": "placeholder" }', 'VITE_APP_TITLE=Hello', '"private_key": "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n"'])
      expect(looksLikeTemplate(t), t).toBe(false);
  });
});
