import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { spawnSync } from 'node:child_process';
import {
  addHuskyLine,
  isKeyguardHook,
  removeHuskyLine,
  renderHookScript,
  renderPreCommitSnippet,
  FIND_COMMAND,
  FIND_PRE_PUSH,
  HUSKY_PRE_PUSH,
  LEFTHOOK_SNIPPET,
} from '../../src/hook/snippets.js';
import { mergeLefthookConfig } from '../../src/hook/lefthook.js';

describe('hook snippets', () => {
  it('writes a POSIX hook that recognises itself and chains to the previous hook', () => {
    const script = renderHookScript({ node: '/usr/bin/node', cli: "/opt/it's/cli.js" });
    expect(script.startsWith('#!/bin/sh\n')).toBe(true);
    expect(isKeyguardHook(script)).toBe(true);
    expect(script).toContain(`'/opt/it'\\''s/cli.js'`);
    expect(script).toContain('pre-commit.pre-keyguard'.slice('pre-commit'.length));
  });

  it('writes hooks that sh accepts, each recognised as keyguard\'s', () => {
    for (const hook of ['pre-commit', 'pre-merge-commit', 'pre-push'] as const) {
      const script = renderHookScript({ node: '/usr/bin/node', cli: '/opt/cli.js' }, hook);
      expect(isKeyguardHook(script)).toBe(true);
      expect(script).toContain(`# keyguard ${hook} hook`);
      const check = spawnSync('sh', ['-n'], { input: script, encoding: 'utf8' });
      expect(check.status, `${hook}: ${check.stderr}`).toBe(0);
    }
    for (const text of [FIND_COMMAND, FIND_PRE_PUSH, `status=\n${HUSKY_PRE_PUSH}`]) expect(spawnSync('sh', ['-n'], { input: text, encoding: 'utf8' }).status).toBe(0);
    expect(isKeyguardHook('#!/bin/sh\nnpm test\n')).toBe(false);
  });

  it('finds keyguard in the project, then on PATH, then where install recorded it; never through npx', () => {
    const order = ['./node_modules/.bin/keyguard', 'command -v keyguard', 'git config keyguard.cli'].map((s) => FIND_COMMAND.indexOf(s));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(FIND_COMMAND).not.toContain('npx');
    expect(FIND_COMMAND).not.toContain('\n');
  });

  it('puts the husky line first (after a shebang), once, and removes only it', () => {
    const once = addHuskyLine('npm test\n');
    expect(once).toEqual({ text: 'keyguard staged\nnpm test\n', changed: true });
    expect(addHuskyLine(once.text).changed).toBe(false);
    expect(addHuskyLine('npx keyguard staged --all-lines\n').changed).toBe(false);
    expect(addHuskyLine(undefined).text).toBe('keyguard staged\n');
    expect(addHuskyLine('#!/usr/bin/env sh\nnpm test\n').text).toBe('#!/usr/bin/env sh\nkeyguard staged\nnpm test\n');
    expect(removeHuskyLine(once.text)).toEqual({ text: 'npm test\n', changed: true });
    const push = addHuskyLine('npm test\n', 'pre-push');
    expect(push.text.startsWith(HUSKY_PRE_PUSH)).toBe(true);
    expect(addHuskyLine(push.text, 'pre-push').changed).toBe(false);
    expect(removeHuskyLine(push.text, 'pre-push')).toEqual({ text: 'npm test\n', changed: true });
  });

  it('merges a keyguard job into lefthook configs of both generations, keeping comments', () => {
    const v2 = mergeLefthookConfig('# mine\npre-commit:\n  jobs:\n    - name: lint\n      run: npm run lint\n');
    expect(v2.ok && v2.text).toContain('# mine');
    expect(v2.ok && parse(v2.text)['pre-commit'].jobs).toEqual([
      { name: 'lint', run: 'npm run lint' },
      { name: 'keyguard', run: FIND_COMMAND },
    ]);
    expect(v2.ok && parse(v2.text)['pre-merge-commit'].jobs).toEqual([{ name: 'keyguard', run: FIND_COMMAND }]);
    const v1 = mergeLefthookConfig('pre-commit:\n  commands:\n    lint:\n      run: eslint\n');
    expect(v1.ok && parse(v1.text)['pre-commit'].commands.keyguard).toEqual({ run: FIND_COMMAND });
    // lefthook 1.x knows no jobs: the new hooks follow the file's style.
    expect(v1.ok && parse(v1.text)['pre-merge-commit']).toEqual({ commands: { keyguard: { run: FIND_COMMAND } } });
    const other = mergeLefthookConfig('pre-push:\n  jobs:\n    - run: npm test\n', true);
    expect(other.ok && parse(other.text)['pre-commit'].jobs).toEqual([{ name: 'keyguard', run: FIND_COMMAND }]);
    expect(other.ok && parse(other.text)['pre-push'].jobs).toEqual([{ run: 'npm test' }, { name: 'keyguard', run: FIND_PRE_PUSH, use_stdin: true }]);
    // The job of earlier versions (npx --no-install, which fails when keyguard is only on PATH) is replaced.
    const old = mergeLefthookConfig('pre-commit:\n  jobs:\n    - name: keyguard\n      run: npx --no-install keyguard staged\n');
    expect(old.ok && parse(old.text)['pre-commit'].jobs).toEqual([{ name: 'keyguard', run: FIND_COMMAND }]);
    expect(mergeLefthookConfig(v2.ok ? v2.text : '').ok && mergeLefthookConfig(v2.ok ? v2.text : '')).toMatchObject({ changed: false });
    expect(mergeLefthookConfig('pre-commit: [1, 2]\n')).toMatchObject({ ok: false });
    expect(parse(LEFTHOOK_SNIPPET)['pre-commit'].jobs[0].run).toBe(FIND_COMMAND);
  });

  it('prints a pre-commit framework block of the right shape', () => {
    const block = parse(renderPreCommitSnippet(undefined, '1.0.0'));
    const hook = block.repos[0].hooks[0];
    expect(block.repos[0].repo).toBe('local');
    expect(hook).toMatchObject({ id: 'keyguard', language: 'system', pass_filenames: false, entry: `sh -c '${FIND_COMMAND}'` });
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
    expect(pkg.files).toEqual(expect.arrayContaining(['dist/cli.js', 'dist/worker.js', 'dist/chunks/', 'rules/']));
    expect(pkg.scripts.prepare).toBe('node scripts/prepare.mjs');
    expect(readFileSync(new URL('../../scripts/prepare.mjs', import.meta.url), 'utf8')).toContain('scripts/build.mjs');
  });

  it('this repository runs keyguard from husky', () => {
    expect(readFileSync(new URL('../../.husky/pre-commit', import.meta.url), 'utf8')).toMatch(/keyguard|dist\/cli\.js/);
  });
});
