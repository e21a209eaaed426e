// A child process's standard output received into one reused buffer. Node reads a child's pipe into fresh memory
// for every chunk (a few hundred MB of it over a history, each page faulted in and later collected); a Unix socket
// made here and handed to the child as its stdout is read with `onread` into the same 256 KiB, which stays in the
// cache. Where such a socket cannot be made (Windows, or any error making it), the caller uses a pipe as before.
import net from 'node:net';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BUFFER_BYTES = 256 * 1024;

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
 * or undefined when none can be made here.
 */
export async function openReceiver(onChunk: (chunk: Buffer) => void): Promise<Receiver | undefined> {
  if (process.platform === 'win32') return undefined;
  const name = `keyguard-${process.pid}-${++made}-${Math.random().toString(36).slice(2, 10)}`;
  // Linux has an abstract namespace (no file); elsewhere the socket is a file in the temporary folder, removed once
  // the two ends are connected.
  const path = process.platform === 'linux' ? `\0${name}` : join(tmpdir(), `${name}.sock`);
  const server = net.createServer();
  try {
    const accepted = new Promise<net.Socket>((resolve, reject) => {
      server.once('connection', resolve);
      server.once('error', reject);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, resolve);
    });
    const buffer = Buffer.allocUnsafe(BUFFER_BYTES);
    let client: net.Socket | undefined;
    const connected = new Promise<net.Socket>((resolve, reject) => {
      const c = net.connect({ path, onread: { buffer, callback: (n: number) => (onChunk(buffer.subarray(0, n)), true) } }, () => resolve(c));
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
    // The child only writes: our end never sends, and the child's end is not read here.
    sink.pause();
    const ended = new Promise<void>((resolve, reject) => {
      reader.once('error', reject);
      reader.once('close', () => resolve());
    });
    ended.catch(() => undefined);
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
    server.close();
    if (process.platform !== 'linux') rmSync(path, { force: true });
  }
}
