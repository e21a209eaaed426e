// Memory for object bodies, reused once the scan is done with them (history reads tens of thousands of blobs).

/**
 * Memory for object bodies that the consumer hands back once it is done with a body (scanned on the same thread):
 * a history holds tens of thousands of blobs, and fresh memory for each costs more in garbage collection than the
 * copy itself. Buffers come in power-of-two sizes from 4 KiB to 8 MiB, at most `keepBytes` of them kept; a body that
 * is never handed back (given to a worker thread) is simply garbage.
 */
export interface BodyPool {
  take(size: number): Buffer;
  /** Hand back a body from take() that nothing refers to any more. */
  give(body: Buffer): void;
}

const MIN_CLASS = 12;
const MAX_CLASS = 23;

export function createBodyPool(keepBytes = 32 * 1024 * 1024): BodyPool {
  const free: ArrayBuffer[][] = Array.from({ length: MAX_CLASS + 1 }, () => []);
  let kept = 0;
  const classOf = (n: number): number => Math.max(MIN_CLASS, Math.ceil(Math.log2(Math.max(1, n))));
  return {
    take(size) {
      const c = classOf(size);
      if (c > MAX_CLASS) return Buffer.allocUnsafeSlow(size);
      const reused = free[c]!.pop();
      if (reused) kept -= reused.byteLength;
      // Its own ArrayBuffer, never Node's shared pool, so a worker thread can still be given it.
      return Buffer.from(reused ?? Buffer.allocUnsafeSlow(2 ** c).buffer, 0, size);
    },
    give(body) {
      const ab = body.buffer as ArrayBuffer;
      const c = Math.log2(ab.byteLength);
      if (body.byteOffset !== 0 || !Number.isInteger(c) || c < MIN_CLASS || c > MAX_CLASS || ab.byteLength === 0) return;
      if (kept + ab.byteLength > keepBytes) return;
      kept += ab.byteLength;
      free[c]!.push(ab);
    },
  };
}
