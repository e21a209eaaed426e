// Gates over content that arrives in parts (a blob streaming out of git): the same answer as over the whole, with
// no buffer the size of the whole.

/**
 * The gate over content fed in parts, in order: `push` says true once a keyword has been seen in what was pushed so
 * far (an occurrence across parts included), and then need not be called again. Pushes of different streams may
 * interleave (each keeps its own tail); each push runs to its end before another starts.
 */
export interface GateStream {
  push(part: Uint8Array): boolean;
}

/**
 * Streams over a whole-buffer gate: each part goes through `scan` after the tail of what came before it (the
 * longest keyword less a byte: where an occurrence across the boundary must start), in pieces the window holds.
 */
export function streamGate(window: Uint8Array, longest: number, scan: (n: number) => boolean): () => GateStream {
  const keep = Math.max(0, longest - 1);
  const room = window.length - keep;
  if (room <= 0) throw new RangeError('streamGate: the window must be longer than the longest keyword');
  return () => {
    const tail = new Uint8Array(keep);
    let kept = 0;
    let hit = false;
    return {
      push(part) {
        for (let at = 0; !hit && at < part.length; at += room) {
          const piece = part.subarray(at, at + room);
          window.set(tail.subarray(0, kept), 0);
          window.set(piece, kept);
          const n = kept + piece.length;
          hit = scan(n);
          kept = Math.min(keep, n);
          tail.set(window.subarray(n - kept, n));
        }
        return hit;
      },
    };
  };
}
