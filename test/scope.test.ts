import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createScope, ownProcess } from '../src/scope.js';

describe('scope', () => {
  it('ends what it owns once, children with it, and at once what comes after it closed', async () => {
    const scope = createScope();
    const ended: string[] = [];
    scope.own(() => ended.push('a'));
    const release = scope.own(() => ended.push('released'));
    release();
    const child = scope.child();
    child.own(() => ended.push('child'));
    await Promise.all([scope.close(), scope.close()]);
    expect(ended.sort()).toEqual(['a', 'child']);
    expect(scope.signal.aborted && child.signal.aborted).toBe(true);
    scope.own(() => ended.push('late'));
    expect(ended).toContain('late');
  });

  it('a child closed on its own leaves its parent open', async () => {
    const scope = createScope();
    const child = scope.child();
    await child.close();
    expect(scope.signal.aborted).toBe(false);
  });

  it('ends a process and waits until it has exited; SIGKILL for one that ignores SIGTERM', async () => {
    const scope = createScope();
    const polite = spawn('sleep', ['60']);
    const stubborn = spawn('sh', ['-c', 'trap "" TERM; echo ready; while :; do sleep 0.1; done']);
    await new Promise((resolve) => stubborn.stdout.once('data', resolve));
    ownProcess(scope, polite);
    ownProcess(scope, stubborn);
    await scope.close();
    expect(polite.signalCode).toBe('SIGTERM');
    expect(stubborn.signalCode).toBe('SIGKILL');
  });
});
