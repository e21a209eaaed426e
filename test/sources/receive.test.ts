import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { openReceiver } from '../../src/sources/receive.js';

describe('openReceiver', () => {
  it('gives a child a socket for its stdout and hands every byte over, in order, in memory it reuses', async () => {
    const chunks: Buffer[] = [];
    const views = new Set<ArrayBufferLike>();
    const receiver = await openReceiver((chunk) => {
      views.add(chunk.buffer);
      chunks.push(Buffer.from(chunk));
    });
    // This machine (Linux or macOS) can make one; only Windows falls back to a pipe.
    expect(receiver).toBeDefined();
    // 3 MB that differ byte by byte, more than the socket and the reader's memory hold.
    const script = 'const b = Buffer.alloc(3e6); for (let i = 0; i < b.length; i++) b[i] = (i * 7 + (i >> 10)) & 255; process.stdout.write(b);';
    const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', receiver!.sink, 'inherit'] });
    receiver!.handed();
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    await receiver!.ended;
    expect(code).toBe(0);
    const got = Buffer.concat(chunks);
    expect(got.length).toBe(3e6);
    const bad = got.findIndex((v, i) => v !== ((i * 7 + (i >> 10)) & 255));
    expect(bad).toBe(-1);
    expect(chunks.length).toBeGreaterThan(1);
    // Every chunk was a view of the same memory.
    expect(views.size).toBe(1);
  });

  it('waits while paused: the child blocks on a full socket, and everything arrives once resumed', async () => {
    let received = 0;
    const receiver = (await openReceiver((chunk) => (received += chunk.length)))!;
    receiver.pause();
    const child = spawn(process.execPath, ['-e', 'process.stdout.write(Buffer.alloc(4e6, 1))'], { stdio: ['ignore', receiver.sink, 'inherit'] });
    receiver.handed();
    await new Promise((r) => setTimeout(r, 300));
    expect(received).toBe(0);
    receiver.resume();
    await receiver.ended;
    await new Promise((resolve) => child.on('close', resolve));
    expect(received).toBe(4e6);
  });
});

describe('openReceiver against another connection', () => {
  it('hands the child only the end our own client connected to, and closes a stranger that connected first', async () => {
    const chunks: Buffer[] = [];
    const strangers: { got: Buffer[]; closed: Promise<void> }[] = [];
    const receiver = await openReceiver((chunk) => chunks.push(Buffer.from(chunk)), {
      // Someone else on the machine connects first: one says nothing, one says the wrong thing.
      listening: async (path) => {
        for (const say of ['', 'x'.repeat(32)]) {
          const got: Buffer[] = [];
          const socket = net.connect({ path });
          socket.on('data', (d) => got.push(d));
          socket.on('error', () => undefined);
          await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
          if (say) socket.write(say);
          strangers.push({ got, closed: new Promise<void>((resolve) => socket.once('close', () => resolve())) });
        }
        await new Promise((r) => setTimeout(r, 50));
      },
    });
    expect(receiver).toBeDefined();
    const child = spawn(process.execPath, ['-e', 'process.stdout.write("the blob content")'], { stdio: ['ignore', receiver!.sink, 'inherit'] });
    receiver!.handed();
    await new Promise((resolve) => child.on('close', resolve));
    await receiver!.ended;
    expect(Buffer.concat(chunks).toString()).toBe('the blob content');
    // Neither stranger heard anything, and both were sent away.
    await Promise.all(strangers.map((s) => s.closed));
    expect(strangers.map((s) => Buffer.concat(s.got).length)).toEqual([0, 0]);
  });
});
