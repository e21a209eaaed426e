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
import { compileWasmGate } from './gate-wasm.js';
import { streamGate, type GateStream } from './gate-stream.js';

export type { GateStream };

/** Could these bytes activate a rule? `stream` asks the same of content that arrives in parts. */
export type KeywordGate = ((bytes: Uint8Array) => boolean) & { stream?: () => GateStream };

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

/** byteWeight of each byte, and of a letter in either case (as a folded keyword's byte matches): tables, since the hook builds a gate at every start. */
const BYTE_WEIGHT = Float64Array.from({ length: 256 }, (_, b) => byteWeight(b));
const FOLDED_WEIGHT = Float64Array.from({ length: 256 }, (_, b) => {
  const lower = LOWER[b]!;
  return lower >= 97 && lower <= 122 ? BYTE_WEIGHT[lower]! + BYTE_WEIGHT[lower - 32]! : BYTE_WEIGHT[b]!;
});
const weightOf = (b: number, fold: boolean): number => (fold ? FOLDED_WEIGHT : BYTE_WEIGHT)[b]!;

/** The commonest letter pairs of English and code, commonest first (letter frequencies alone rank "le" below "oo"). */
const COMMON_PAIRS = (
  'th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ' +
  'ne ea ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us ac ot il tr ly nc et ut ss so rs un ' +
  'lo wa ge ie wh ee wi em ad ol rt po we na ul ni ts mo ow pa im mi ai sh ir su id os iv ia am fi ci vi pl ig tu ev ' +
  'ld ry mp fe bl ab gh ty op wo sa ay ex ke fr av ag if ap gr od bo sp rd do uc bu ei ov by rm ep tt oc fa ef cu rn ' +
  'sc gi da yo cr cl du ga qu ue ff ba ey ls va um pp ua up lu go ht ru ug ds lt pi rc rr eg au ck ew mu br bi pt ak ' +
  'pu ui rg ib tl ny ki rk ys ob mm fu ph og ms ye ud mb ip ub oi rl gu dr hr cc tw ft wn nu af hu nn eo vo rv nf xp oo'
).split(' ');
/** Each listed pair's place from the end of the list (0: not listed), by its lower-case bytes: 64 KiB, zeroed. */
const PAIR_PLACE = new Uint8Array(65536);
COMMON_PAIRS.forEach((p, rank) => (PAIR_PLACE[(p.charCodeAt(0) << 8) | p.charCodeAt(1)] = COMMON_PAIRS.length - rank));

/** How common a pair is expected to be; a folded pair matches in either case. */
function pairWeight(a: number, b: number, fold: boolean): number {
  // A listed pair is commoner than its letters say.
  return weightOf(a, fold) * weightOf(b, fold) * (1 + PAIR_PLACE[(LOWER[a]! << 8) | LOWER[b]!]! / 10);
}

/**
 * How often an anchor at offset o of word w passes the gate's first tests: its pair, then the bytes just before and
 * after it, which the gate checks when the word has them (each turns away most of the pair's other occurrences).
 */
function anchorWeight(w: Uint8Array, o: number, fold: boolean): number {
  return pairWeight(w[o]!, w[o + 1]!, fold) * (o > 0 ? contextPass(w[o - 1]!, fold) : 1) * (o + 2 < w.length ? contextPass(w[o + 2]!, fold) : 1);
}
/**
 * Roughly how much of a pair's text a test on one neighbouring byte lets through: more when that byte is common
 * (the WebAssembly gate tests its low three bits, shared with a few other bytes).
 */
const contextPass = (b: number, fold: boolean): number => 0.1 + weightOf(b, fold) / 15;

interface Word {
  bytes: Uint8Array;
  fold: boolean;
}

/**
 * A gate for this rule set, or undefined when some rule must see every fragment (no keywords, non-ASCII). It runs as
 * WebAssembly (gate-wasm.ts) where it can, else as the JavaScript below; `engine: 'js'` asks for the JavaScript.
 */
export function createKeywordGate(set: RuleSet, options: { engine?: 'js' } = {}): KeywordGate | undefined {
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
      let bestWeight = anchorWeight(w, r, word.fold);
      for (let o = r + stride; o + 1 < w.length; o += stride) {
        const weight = anchorWeight(w, o, word.fold);
        if (weight < bestWeight) [best, bestWeight] = [o, weight];
      }
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
  // Thousands of keywords (user rules) would overflow the slots below: then no gate, every fragment is scanned.
  if (lists.size >= 65535) return undefined;
  // Each anchor pair gets a slot; the candidates of slot s are candStart[s]..candStart[s+1] in flat arrays. (Built
  // from the pairs in use only: the hook pays for this at every start.)
  const slotOf = new Uint16Array(65536);
  const candStart = new Int32Array(lists.size + 1);
  const candWord: Uint8Array[] = [];
  const candOffset: number[] = [];
  const candFold: number[] = [];
  // One bit per pair (8 KiB, which stays in the first-level cache between files).
  const hit = new Int32Array(2048);
  // Which bytes may sit just before and just after an anchor pair, over all its keywords (any byte where a keyword
  // starts or ends with the pair): a sampled pair that is common in text is mostly turned away by these two bits.
  const around = new Int32Array(lists.size * 16);
  let slot = 0;
  for (const [key, list] of lists) {
    slotOf[key] = slot;
    hit[key >> 5]! |= 1 << (key & 31);
    candStart[slot] = candWord.length;
    const base = slot * 16;
    const allow = (at: number, b: number | undefined, fold: boolean): void => {
      if (b === undefined) for (let k = 0; k < 8; k++) around[base + at + k] = -1;
      else for (const x of cases(b, fold)) around[base + at + (x >> 5)]! |= 1 << (x & 31);
    };
    for (const { word, offset } of list) {
      candWord.push(word.bytes);
      candOffset.push(offset);
      candFold.push(word.fold ? 1 : 0);
      allow(0, offset > 0 ? word.bytes[offset - 1] : undefined, word.fold);
      allow(8, offset + 2 < word.bytes.length ? word.bytes[offset + 2] : undefined, word.fold);
    }
    slot++;
  }
  candStart[slot] = candWord.length;
  const offsets = Int32Array.from(candOffset);
  const folds = Uint8Array.from(candFold);
  if (options.engine !== 'js') {
    const wasm = compileWasmGate({ stride, hit, slotOf, around, candStart, candOffset: offsets, candFold: folds, candWord, lower: LOWER });
    if (wasm) return wasm;
  }
  const longest = Math.max(...candWord.map((w) => w.length));

  const plausible = (bytes: Uint8Array, n: number, i: number, base: number): boolean => {
    if (i > 0) {
      const b = bytes[i - 1]!;
      if (((around[base + (b >> 5)]! >>> (b & 31)) & 1) === 0) return false;
    }
    if (i + 2 < n) {
      const b = bytes[i + 2]!;
      if (((around[base + 8 + (b >> 5)]! >>> (b & 31)) & 1) === 0) return false;
    }
    return true;
  };

  const matchesAt = (bytes: Uint8Array, n: number, i: number, s: number): boolean => {
    for (let c = candStart[s]!, end = candStart[s + 1]!; c < end; c++) {
      const word = candWord[c]!;
      const from = i - offsets[c]!;
      const len = word.length;
      if (from < 0 || from + len > n) continue;
      let j = 0;
      if (folds[c] === 1) while (j < len && LOWER[bytes[from + j]!] === word[j]) j++;
      else while (j < len && bytes[from + j] === word[j]) j++;
      if (j === len) return true;
    }
    return false;
  };
  const gate = (bytes: Uint8Array): boolean => {
    const n = bytes.length;
    for (let i = 0; i + 1 < n; i += stride) {
      const key = (bytes[i]! << 8) | bytes[i + 1]!;
      if (((hit[key >> 5]! >>> (key & 31)) & 1) === 0) continue;
      const s = slotOf[key]!;
      if (plausible(bytes, n, i, s * 16) && matchesAt(bytes, n, i, s)) return true;
    }
    return false;
  };
  // One window for every stream, made at the first (the hook never streams).
  let window: Uint8Array | undefined;
  const open = (): GateStream => {
    window ??= new Uint8Array(STREAM_WINDOW + longest);
    const w = window;
    return streamGate(w, longest, (n) => gate(w.subarray(0, n)))();
  };
  return Object.assign(gate, { stream: open });
}

/** The JavaScript gate's window for streams (the WebAssembly gate uses its own memory). */
const STREAM_WINDOW = 256 * 1024;
