// A byte-level keyword gate: does this content hold any rule keyword at all? Most blobs and files hold none, and
// for those the gate saves decoding them to text and running the prefilter regex. It is exact with respect to the
// prefilter (keywords are ASCII; case is folded the way the prefilter's `i` flag folds ASCII), and it samples
// only every (m-1)th position, m being the shortest keyword: every occurrence of a keyword of length ≥ m covers
// one sampled pair, whose offset inside the keyword says where to check it.
import type { RuleSet } from './engine.js';

export type KeywordGate = (bytes: Uint8Array) => boolean;

const LOWER = new Uint8Array(256);
for (let i = 0; i < 256; i++) LOWER[i] = i >= 65 && i <= 90 ? i + 32 : i;

/** A gate for this rule set, or undefined when some rule must see every fragment (no keywords, non-ASCII). */
export function createKeywordGate(set: RuleSet): KeywordGate | undefined {
  if (set.always.length > 0) return undefined;
  const words = [...set.owners.keys()];
  if (words.length === 0 || words.some((w) => w.length < 2 || /[^\x20-\x7e]/.test(w))) return undefined;
  const lowered = words.map((w) => Buffer.from(w.toLowerCase(), 'latin1'));
  const m = Math.min(...lowered.map((w) => w.length));
  const stride = Math.max(1, m - 1);
  // pair (two lowered bytes) → every (word, offset) whose pair at that offset it is, for offsets < stride.
  const table = new Uint8Array(65536);
  const candidates = new Map<number, { word: Uint8Array; offset: number }[]>();
  for (const word of lowered) {
    for (let o = 0; o < stride; o++) {
      const key = (word[o]! << 8) | word[o + 1]!;
      table[key] = 1;
      const list = candidates.get(key) ?? [];
      list.push({ word, offset: o });
      candidates.set(key, list);
    }
  }
  return (bytes: Uint8Array): boolean => {
    const n = bytes.length;
    for (let i = 0; i + 1 < n; i += stride) {
      const key = (LOWER[bytes[i]!]! << 8) | LOWER[bytes[i + 1]!]!;
      if (table[key] === 0) continue;
      for (const { word, offset } of candidates.get(key)!) {
        const start = i - offset;
        if (start < 0 || start + word.length > n) continue;
        let j = 0;
        while (j < word.length && LOWER[bytes[start + j]!] === word[j]) j++;
        if (j === word.length) return true;
      }
    }
    return false;
  };
}
