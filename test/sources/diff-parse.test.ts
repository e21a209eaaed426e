import { describe, expect, it } from 'vitest';
import { parseAddedLines, parseRawDiff, unquoteGitPath } from '../../src/sources/diff-parse.js';

const Z = '0'.repeat(40);
const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('parseRawDiff', () => {
  it('reads added, renamed and unmerged records and returns the patch after them', () => {
    const text = `:000000 100644 ${Z} ${A} A\0new file.txt\0:100644 100644 ${A} ${B} R087\0old.txt\0dir/new.txt\0:100644 000000 ${A} ${Z} U\0c.txt\0\0diff --git a/x b/x\n`;
    const { entries, rest } = parseRawDiff(text);
    expect(entries.map((e) => [e.status, e.srcPath, e.path])).toEqual([
      ['A', 'new file.txt', 'new file.txt'],
      ['R', 'old.txt', 'dir/new.txt'],
      ['U', 'c.txt', 'c.txt'],
    ]);
    expect(rest.startsWith('diff --git')).toBe(true);
  });
});

describe('unquoteGitPath', () => {
  it('undoes C quoting byte for byte', () => {
    expect(unquoteGitPath('"b/\\303\\274.txt"')).toBe('b/ü.txt');
    expect(unquoteGitPath('"b/a\\"q\\\\\\tt"')).toBe('b/a"q\\\tt');
    expect(unquoteGitPath('b/plain name')).toBe('b/plain name');
  });
});

describe('parseAddedLines', () => {
  it('collects added ranges per new path and ignores content lines that look like headers', () => {
    const patch = [
      'diff --git a/sp ace.txt b/sp ace.txt',
      'index 1..2 100644',
      '--- a/sp ace.txt\t',
      '+++ b/sp ace.txt\t',
      '@@ -1,0 +2,3 @@ ctx',
      '++++ not a header',
      '+@@ -1 +99 @@ neither',
      '+x',
      '@@ -10 +12 @@',
      '+y',
      '@@ -20,2 +22,0 @@',
      'diff --git "a/\\303\\274.txt" "b/\\303\\274.txt"',
      '--- "a/\\303\\274.txt"',
      '+++ "b/\\303\\274.txt"',
      '@@ -0,0 +1 @@',
      '+z',
      'diff --git a/bin b/bin',
      'Binary files a/bin and b/bin differ',
      'diff --git a/gone b/gone',
      '--- a/gone',
      '+++ /dev/null',
      '@@ -1 +0,0 @@',
      '-x',
    ].join('\n');
    const added = parseAddedLines(patch);
    expect(Object.fromEntries(added)).toEqual({ 'sp ace.txt': [[2, 4], [12, 12]], 'ü.txt': [[1, 1]] });
  });
});
