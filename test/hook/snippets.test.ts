import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { addHuskyLine, isKeyguardHook, removeHuskyLine, renderHookScript, renderPreCommitSnippet, LEFTHOOK_SNIPPET } from '../../src/hook/snippets.js';
import { mergeLefthookConfig } from '../../src/hook/lefthook.js';

describe('hook snippets', () => {
  it('writes a POSIX hook that recognises itself and chains to the previous hook', () => {
    const script = renderHookScript({ node: '/usr/bin/node', cli: "/opt/it's/cli.js" });
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(isKeyguardHook(script)).toBe(true);
    expect(script).toContain(`'/opt/it'\\''s/cli.js'`);
    expect(script).toContain('pre-commit.pre-keyguard'.slice('pre-commit'.length));
  });

  it('adds the husky line once and removes only it', () => {
    const once = addHuskyLine('npm test\n');
    expect(once).toEqual({ text: 'npm test\nkeyguard staged\n', changed: true });
    expect(addHuskyLine(once.text).changed).toBe(false);
    expect(addHuskyLine('npx keyguard staged --all-lines\n').changed).toBe(false);
    expect(addHuskyLine(undefined).text).toBe('keyguard staged\n');
    expect(removeHuskyLine(once.text)).toEqual({ text: 'npm test\n', changed: true });
  });

  it('merges a keyguard job into lefthook configs of both generations, keeping comments', () => {
    const v2 = mergeLefthookConfig('# mine\npre-commit:\n  jobs:\n    - name: lint\n      run: npm run lint\n');
    expect(v2.ok && v2.text).toContain('# mine');
    expect(v2.ok && parse(v2.text)['pre-commit'].jobs).toEqual([
      { name: 'lint', run: 'npm run lint' },
      { name: 'keyguard', run: 'npx --no-install keyguard staged' },
    ]);
    const v1 = mergeLefthookConfig('pre-commit:\n  commands:\n    lint:\n      run: eslint\n');
    expect(v1.ok && parse(v1.text)['pre-commit'].commands.keyguard).toEqual({ run: 'npx --no-install keyguard staged' });
    const other = mergeLefthookConfig('pre-push:\n  jobs:\n    - run: npm test\n');
    expect(other.ok && parse(other.text)['pre-commit'].jobs).toEqual([{ name: 'keyguard', run: 'npx --no-install keyguard staged' }]);
    expect(mergeLefthookConfig(v2.ok ? v2.text : '').ok && mergeLefthookConfig(v2.ok ? v2.text : '')).toMatchObject({ changed: false });
    expect(mergeLefthookConfig('pre-commit: [1, 2]\n')).toMatchObject({ ok: false });
    expect(parse(LEFTHOOK_SNIPPET)['pre-commit'].jobs[0].run).toContain('keyguard staged');
  });

  it('prints a pre-commit framework block of the right shape', () => {
    const block = parse(renderPreCommitSnippet(undefined, '1.0.0'));
    const hook = block.repos[0].hooks[0];
    expect(block.repos[0].repo).toBe('local');
    expect(hook).toMatchObject({ id: 'keyguard', language: 'system', pass_filenames: false });
    expect(hook.stages).toEqual(['pre-commit', 'pre-merge-commit', 'manual']);
  });

  it('ships .pre-commit-hooks.yaml for the pre-commit framework', () => {
    const hooks = parse(readFileSync(new URL('../../.pre-commit-hooks.yaml', import.meta.url), 'utf8'));
    expect(hooks).toEqual([
      expect.objectContaining({ id: 'keyguard', entry: 'keyguard staged', language: 'node', pass_filenames: false, stages: ['pre-commit', 'pre-merge-commit', 'manual'] }),
    ]);
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    // pre-commit packs the repository with npm: the bin and the rules must be in the package.
    expect(pkg.bin.keyguard).toBe('dist/cli.js');
    expect(pkg.files).toEqual(expect.arrayContaining(['dist', 'rules']));
    expect(pkg.scripts.prepare).toBe('node scripts/prepare.mjs');
    expect(readFileSync(new URL('../../scripts/prepare.mjs', import.meta.url), 'utf8')).toContain('scripts/build.mjs');
  });

  it('this repository runs keyguard from husky', () => {
    expect(readFileSync(new URL('../../.husky/pre-commit', import.meta.url), 'utf8')).toMatch(/keyguard|dist\/cli\.js/);
  });
});
