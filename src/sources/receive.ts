// A child process's standard output received into one reused buffer. Node reads a child's pipe into fresh memory
// for every chunk (a few hundred MB of it over a history, each page faulted in and later collected); a Unix socket
// made here and handed to the child as its stdout is read with `onread` into the same 256 KiB, which stays in the
// cache. Where such a socket cannot be made (Windows, or any error making it), the caller uses a pipe as before.
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scope } from '../scope.js';

const BUFFER_BYTES = 256 * 1024;
/** What our own client says first, so that no one else's connection is taken for it. */
const NONCE_BYTES = 32;
/** How long to wait for our own connection before using a pipe instead. */
const CONNECT_TIMEOUT_MS = 5000;

export interface Receiver {
  /** Give this as the child's stdout, then call `handed` once the child is spawned. */
  sink: net.Socket;
  /** The child has its own copy of the sink: close ours, so the output ends when the child's does. */
  handed(): void;
  pause(): void;
  resume(): void;
  /** Resolves once every byte was received and the output has ended; rejects on a socket error. */
  ended: Promise<void>;
}

let made = 0;

/**
 * A socket pair for a child's stdout: `onChunk` gets each chunk, valid only during the call (its memory is reused),
 * or undefined when none can be made here. `hooks.listening` runs once the socket listens, before our own client
 * connects (for tests: another process connecting first). `hooks.scope` owns the socket: closing it destroys the
 * socket, paused or not (a paused socket never reads the end of a child that was killed, and would keep the process
 * alive).
 */
export async function openReceiver(onChunk: (chunk: Buffer) => void, hooks: { listening?: (path: string) => Promise<void>; scope?: Scope | undefined } = {}): Promise<Receiver | undefined> {
  if (process.platform === 'win32') return undefined;
  const name = `keyguard-${process.pid}-${++made}-${randomBytes(6).toString('hex')}`;
  // Linux has an abstract namespace (no file); elsewhere the socket is a file in the temporary folder, removed once
  // the two ends are connected.
  const path = process.platform === 'linux' ? `\0${name}` : join(tmpdir(), `${name}.sock`);
  // Anyone on the machine may connect to a listening socket (an abstract one has no permissions at all), and what git
  // writes to the accepted end is blob content: the end handed to git is the one that first says a secret only our
  // own client knows, and any other connection is closed.
  const nonce = randomBytes(NONCE_BYTES);
  const server = net.createServer();
  let timer: NodeJS.Timeout | undefined;
  /** Every connection but the one handed to git is closed at the end, whatever it said. */
  const others = new Set<net.Socket>();
  let chosen: net.Socket | undefined;
  try {
    const accepted = new Promise<net.Socket>((resolve, reject) => {
      server.on('connection', (socket) => {
        others.add(socket);
        let said = Buffer.alloc(0);
        const hear = (d: Buffer): void => {
          said = Buffer.concat([said, d]);
          if (said.length < NONCE_BYTES) return;
          socket.off('data', hear);
          if (!chosen && said.length === NONCE_BYTES && said.equals(nonce)) {
            // The child only writes: nothing more is read from this end.
            socket.pause();
            chosen = socket;
            others.delete(socket);
            resolve(socket);
          } else socket.destroy();
        };
        socket.on('data', hear);
        socket.on('error', () => socket.destroy());
      });
      server.once('error', reject);
      timer = setTimeout(() => reject(new Error('no connection')), CONNECT_TIMEOUT_MS);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, resolve);
    });
    await hooks.listening?.(path);
    const buffer = Buffer.allocUnsafe(BUFFER_BYTES);
    let client: net.Socket | undefined;
    const connected = new Promise<net.Socket>((resolve, reject) => {
      const c = net.connect({ path, onread: { buffer, callback: (n: number) => (onChunk(buffer.subarray(0, n)), true) } }, () => {
        c.write(nonce);
        resolve(c);
      });
      c.once('error', reject);
      client = c;
    });
    let sink: net.Socket;
    try {
      [sink, client] = await Promise.all([accepted, connected]);
    } catch (e) {
      client?.destroy();
      throw e;
    }
    const reader = client;
    const ended = new Promise<void>((resolve, reject) => {
      reader.once('error', reject);
      reader.once('close', () => resolve());
    });
    ended.catch(() => undefined);
    if (hooks.scope) {
      const release = hooks.scope.own(() => {
        reader.destroy();
        sink.destroy();
      });
      reader.once('close', release);
    }
    return {
      sink,
      handed: () => sink.destroy(),
      pause: () => reader.pause(),
      resume: () => reader.resume(),
      ended,
    };
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
    server.close();
    for (const socket of others) socket.destroy();
    if (process.platform !== 'linux') rmSync(path, { force: true });
  }
}
