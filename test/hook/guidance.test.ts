// What the hook says under a blocked commit: advice that fits the file, in a few lines.
import { describe, expect, it } from 'vitest';
import { renderBlockedAdvice } from '../../src/hook/guidance.js';
import type { Finding } from '../../src/types.js';

const finding = (file: string, credential = 'c1'): Finding => ({
  ruleId: 'gemini-auth-key', title: 'Gemini API auth key', severity: 'critical', kind: 'gemini-auth-key', file, line: 1, column: 1, endLine: 1, endColumn: 54,
  secret: 'AQ.A…abcd', credential, fingerprint: `${credential}:${file}`, entropy: 5, exposure: 'server', excerpt: 'K=AQ.A…abcd',
});

describe('the blocked-commit advice', () => {
  it('takes a staged .env out of git (git rm --cached and the .gitignore line), not "load it from an environment variable"', () => {
    const text = renderBlockedAdvice([finding('web/.env')]);
    expect(text).toContain("web/.env: a file of secrets stays on disk, out of git: git rm --cached web/.env && printf '%s\\n' /web/.env >> .gitignore && git add .gitignore");
    expect(text).not.toContain('environment variable');
  });

  it('tells code to read the key from the environment, and JSON to use the config allowlist', () => {
    const text = renderBlockedAdvice([finding('src/gemini.ts'), finding('firebase.json', 'c2')]);
    expect(text).toContain('2 credentials are in the staged changes');
    expect(text).toContain('src/gemini.ts, firebase.json: read the key from an environment variable or a secret manager instead');
    expect(text).toContain('in firebase.json, JSON that cannot hold comments');
    const json = renderBlockedAdvice([finding('firebase.json')]);
    expect(json).not.toContain('add a keyguard:allow comment');
  });

  it('stays a few lines however many files, and points at the full checklist', () => {
    const many = Array.from({ length: 20 }, (_, i) => finding(`src/f${i}.ts`, `c${i}`));
    const text = renderBlockedAdvice(many);
    expect(text.trimEnd().split('\n')).toHaveLength(5);
    expect(text).toContain('(+17 more)');
    expect(text).toContain('keyguard staged --checklist');
    expect(renderBlockedAdvice(many, { checklist: true })).toContain('the steps are above');
  });
});
