import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileRegex, formatRuleError, loadRuleDir } from '../../src/config/rules.js';
import { parseRuleFile, readRuleDir } from '../../src/config/rule-file.js';
import { tempDir } from '../helpers/git-repo.js';
import { RULES_DIR } from '../helpers/rules.js';

const valid = `id: my-rule
title: My rule
description: Finds things
severity: high
kind: google-secret
keywords: [abc]
pattern: 'abc(?<secret>[0-9]{20})'
examples: ['abc12345678901234567890']
negativeExamples: ['abc123']
`;

describe('parseRuleFile', () => {
  it('accepts a valid rule and compiles its pattern', () => {
    const r = parseRuleFile(valid, 'rules/my-rule.yaml');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.pattern?.flags).toContain('g');
      expect(r.value.priority).toBe(50);
    }
  });

  it('names the file, line and field of a bad severity', () => {
    const r = parseRuleFile(valid.replace('severity: high', 'severity: urgent'), 'rules/my-rule.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatRuleError(r.errors[0]!)).toBe('rules/my-rule.yaml:4: field \'severity\': must be one of critical, high, medium, low');
  });

  it('rejects an invalid regex, naming the field', () => {
    const r = parseRuleFile(valid.replace("pattern: 'abc(?<secret>[0-9]{20})'", "pattern: 'abc(?<secret>[0-9'"), 'rules/my-rule.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors[0]!.field).toBe('pattern');
      expect(r.errors[0]!.line).toBe(7);
      expect(r.errors[0]!.message).toMatch(/invalid regular expression/);
    }
  });

  it('requires examples and negative examples', () => {
    const r = parseRuleFile(valid.replace(/negativeExamples:.*\n/, ''), 'rules/my-rule.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.field)).toContain('negativeExamples');
  });

  it('rejects unknown fields and a file name that differs from the id', () => {
    const unknown = parseRuleFile(`${valid}colour: red\n`, 'rules/my-rule.yaml');
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.errors[0]!.field).toBe('colour');
    const misnamed = parseRuleFile(valid, 'rules/other.yaml');
    expect(misnamed.ok).toBe(false);
    if (!misnamed.ok) expect(misnamed.errors[0]!.message).toMatch(/must equal the file name/);
  });

  it('reports YAML syntax errors with a line', () => {
    const r = parseRuleFile('id: [unclosed\n', 'rules/x.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]!.message).toMatch(/not valid YAML/);
  });

  it('needs exactly one of pattern, structure or decode', () => {
    const r = parseRuleFile(valid.replace("pattern: 'abc(?<secret>[0-9]{20})'", 'structure: service-account\ndecode: base64'), 'rules/my-rule.yaml');
    expect(r.ok).toBe(false);
  });
});

describe('loadRuleDir (the YAML parser loaded only for files the build did not parse)', () => {
  it('gives what readRuleDir gives, rules and errors alike', async () => {
    expect(await loadRuleDir(RULES_DIR)).toEqual(readRuleDir(RULES_DIR));
    const dir = join(tempDir(), 'rules');
    mkdirSync(dir);
    writeFileSync(join(dir, 'my-rule.yaml'), valid);
    expect(await loadRuleDir(dir)).toEqual(readRuleDir(dir));
    writeFileSync(join(dir, 'x.yaml'), 'id: [unclosed\n');
    const broken = await loadRuleDir(dir);
    expect(broken).toEqual(readRuleDir(dir));
    expect(broken.ok).toBe(false);
  });
});

describe('compileRegex', () => {
  it('names what is wrong with a pattern without quoting a key written in it', () => {
    const key = ['AI', 'zaSy', 'Q7v9Lm2Kx8Rt4Wp6Zb1Nc3Hd5Fg0Js7Ye'].join('');
    const compiled = compileRegex(`^(${key}`, '');
    expect(compiled.ok).toBe(false);
    const message = compiled.ok ? '' : compiled.message;
    expect(message).toMatch(/^invalid regular expression: .*Unterminated group/);
    expect(message).not.toContain(key.slice(4, 20));
  });
});
