// A byte-level keyword gate: could this content activate any rule at all? Most blobs and files hold no rule
// keyword, and for those the gate saves decoding them to text and running the prefilter regex.
//
// It is exact with respect to the prefilter's effect: a keyword owned only by case-sensitive rules is looked for
// in its own case (the prefilter finds it in any case, then drops it), a keyword that some rule takes in any case
// is looked for with ASCII case folded, as the prefilter's `i` flag folds it. Keywords are ASCII.
//
// The gate reads one byte pair every s = m - 1 positions, m being the shortest keyword, so an occurrence of any
// keyword covers at least one sampled pair, at an offset inside the keyword whose residue modulo s depends only
// on where the occurrence starts. For each residue the table holds one pair of the keyword, the rarest one in
// source text among the offsets of that residue (long keywords have several to choose from), and a sampled pair
// found in the table is checked against the keywords anchored on it.
import type { RuleSet } from './engine.js';

export type KeywordGate = (bytes: Uint8Array) => boolean;

const LOWER = new Uint8Array(256);
for (let i = 0; i < 256; i++) LOWER[i] = i >= 65 && i <= 90 ? i + 32 : i;

/** Rough frequency of a byte in source code and prose (English letter frequencies; only the order matters). */
function byteWeight(b: number): number {
  const letters = 'etaoinshrdlcumwfgypbvkjxqz';
  const lower = LOWER[b]!;
  const at = letters.indexOf(String.fromCharCode(lower));
  if (at >= 0) return (b === lower ? 12 : 3) / (1 + at * 0.35);
  if (b === 32 || b === 10 || b === 9) return 15;
  if (b >= 48 && b <= 57) return 0.6;
  if ('._()=;,"\'/-:'.includes(String.fromCharCode(b))) return 1.5;
  return 0.3;
}

/** How common a pair is expected to be; a folded pair matches in either case. */
function pairWeight(a: number, b: number, fold: boolean): number {
  const w = (x: number): number => {
    const lower = LOWER[x]!;
    return fold && lower >= 97 && lower <= 122 ? byteWeight(lower) + byteWeight(lower - 32) : byteWeight(x);
  };
  return w(a) * w(b);
}

interface Word {
  bytes: Uint8Array;
  fold: boolean;
}

/** A gate for this rule set, or undefined when some rule must see every fragment (no keywords, non-ASCII). */
export function createKeywordGate(set: RuleSet): KeywordGate | undefined {
  if (set.always.length > 0) return undefined;
  const words: Word[] = [];
  for (const [key, owners] of set.owners) {
    if (key.length < 2 || /[^\x20-\x7e]/.test(key)) return undefined;
    if (owners.some((o) => o.ignoreCase)) words.push({ bytes: Buffer.from(key, 'latin1'), fold: true });
    else for (const spelling of new Set(owners.map((o) => o.keyword))) words.push({ bytes: Buffer.from(spelling, 'latin1'), fold: false });
  }
  if (words.length === 0) return undefined;
  const m = Math.min(...words.map((w) => w.bytes.length));
  const stride = Math.max(1, m - 1);

  // pair of raw bytes → the (word, offset) anchored on it; a folded word is entered under every case of its pair.
  const lists = new Map<number, { word: Word; offset: number }[]>();
  const cases = (b: number, fold: boolean): number[] => (fold && b >= 97 && b <= 122 ? [b, b - 32] : [b]);
  for (const word of words) {
    const w = word.bytes;
    for (let r = 0; r < stride; r++) {
      let best = r;
      for (let o = r + stride; o + 1 < w.length; o += stride) if (pairWeight(w[o]!, w[o + 1]!, word.fold) < pairWeight(w[best]!, w[best + 1]!, word.fold)) best = o;
      for (const a of cases(w[best]!, word.fold)) {
        for (const b of cases(w[best + 1]!, word.fold)) {
          const key = (a << 8) | b;
          const list = lists.get(key) ?? [];
          if (!list.some((c) => c.word === word && c.offset === best)) list.push({ word, offset: best });
          lists.set(key, list);
        }
      }
    }
  }
  // Flat tables: start[key]..start[key+1] index the candidates of a pair.
  const start = new Int32Array(65537);
  for (const [key, list] of lists) start[key + 1] = list.length;
  for (let k = 0; k < 65536; k++) start[k + 1]! += start[k]!;
  const total = start[65536]!;
  const candWord: Uint8Array[] = new Array<Uint8Array>(total);
  const candOffset = new Int32Array(total);
  const candFold = new Uint8Array(total);
  const fill = start.slice(0, 65536);
  for (const [key, list] of lists) {
    for (const c of list) {
      const at = fill[key]!++;
      candWord[at] = c.word.bytes;
      candOffset[at] = c.offset;
      candFold[at] = c.word.fold ? 1 : 0;
    }
  }
  const hit = new Uint8Array(65536);
  for (const key of lists.keys()) hit[key] = 1;

  const matchesAt = (bytes: Uint8Array, n: number, i: number, key: number): boolean => {
    for (let c = start[key]!, end = start[key + 1]!; c < end; c++) {
      const word = candWord[c]!;
      const from = i - candOffset[c]!;
      const len = word.length;
      if (from < 0 || from + len > n) continue;
      let j = 0;
      if (candFold[c] === 1) while (j < len && LOWER[bytes[from + j]!] === word[j]) j++;
      else while (j < len && bytes[from + j] === word[j]) j++;
      if (j === len) return true;
    }
    return false;
  };
  return (bytes: Uint8Array): boolean => {
    const n = bytes.length;
    for (let i = 0; i + 1 < n; i += stride) {
      const key = (bytes[i]! << 8) | bytes[i + 1]!;
      if (hit[key] === 1 && matchesAt(bytes, n, i, key)) return true;
    }
    return false;
  };
}
