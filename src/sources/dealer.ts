// Which cat-file reader gets each blob, so that every version of a path meets its delta bases in one reader's cache.

/** Paths remembered with their reader, at most: past it the memory starts afresh (only the sharing of bases suffers). */
export const MAX_DEALT_PATHS = 1 << 16;

/**
 * Which reader gets a blob, by its path: every version of a path goes to the reader that got the path first, chosen
 * then as the one with the fewest ids waiting. Versions of a file are stored as deltas of each other, and a reader
 * that has just rebuilt one holds its base in git's delta cache; dealt one by one to whichever had the fewest waiting,
 * two readers each rebuilt the other's bases, for about a third more of git's work.
 */
export function createDealer<L>(lanes: readonly L[], waiting: (lane: L) => number): (path: string) => L {
  const laneOf = new Map<string, L>();
  return (path) => {
    let lane = lanes.length === 1 ? lanes[0]! : laneOf.get(path);
    if (lane === undefined) {
      lane = lanes[0]!;
      for (const l of lanes) if (waiting(l) < waiting(lane)) lane = l;
      if (laneOf.size >= MAX_DEALT_PATHS) laneOf.clear();
      laneOf.set(path, lane);
    }
    return lane;
  };
}
