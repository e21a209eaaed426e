import { describe, expect, it } from 'vitest';
import { createDealer, MAX_DEALT_PATHS } from '../../src/sources/dealer.js';

describe('createDealer', () => {
  it('sends every version of a path to the reader that got the path first, and a new path to the least busy', () => {
    const waiting = new Map([['a', 0], ['b', 0]]);
    const laneFor = createDealer(['a', 'b'], (l) => waiting.get(l)!);
    expect(laneFor('src/app.ts')).toBe('a');
    waiting.set('a', 5);
    // A path already dealt stays with its reader, however busy that one is.
    expect(laneFor('src/app.ts')).toBe('a');
    expect(laneFor('README.md')).toBe('b');
    waiting.set('b', 9);
    expect(laneFor('README.md')).toBe('b');
    expect(laneFor('package.json')).toBe('a');
    expect(laneFor('src/app.ts')).toBe('a');
  });

  it('with one reader deals everything to it, and past its memory of paths still deals each path to a reader', () => {
    expect(createDealer(['only'], () => 0)('x')).toBe('only');
    const waiting = { a: 0, b: 1 };
    const laneFor = createDealer(['a', 'b'] as const, (l) => waiting[l]);
    expect(laneFor('first')).toBe('a');
    waiting.a = 2;
    for (let i = 0; i < MAX_DEALT_PATHS; i++) laneFor(`p${i}`);
    // The memory started afresh: the first path is dealt again, to whichever is least busy now.
    expect(laneFor('first')).toBe('b');
  });
});
