// The keyword gate's scan loop (see gate.ts) as WebAssembly: the same tables and the same answers, faster than the
// JavaScript loop. The gate is the largest single cost of a history scan in keyguard's own process. The module is a few hundred bytes, assembled here (no build step, no binary in the
// repository); content is copied into its memory a window at a time, so memory stays small whatever a file's size.

import type { KeywordGate } from './gate.js';
import { streamGate } from './gate-stream.js';

/** The gate's tables, as gate.ts builds them. */
export interface GateTables {
  stride: number;
  /** One bit per byte pair: some keyword is anchored on it. */
  hit: Int32Array;
  /** Byte pair → its slot. */
  slotOf: Uint16Array;
  /** Per slot, 16 words: the bytes allowed just before (0–7) and just after (8–15) the pair. */
  around: Int32Array;
  /** Candidates of slot s: candStart[s] .. candStart[s + 1]. */
  candStart: Int32Array;
  candOffset: Int32Array;
  candFold: Uint8Array;
  candWord: Uint8Array[];
  lower: Uint8Array;
}

// Opcodes used below (WebAssembly 1.0).
const BLOCK = 0x02, LOOP = 0x03, IF = 0x04, END = 0x0b, BR = 0x0c, BR_IF = 0x0d, RETURN = 0x0f, EMPTY = 0x40;
const GET = 0x20, SET = 0x21, TEE = 0x22;
const LOAD = 0x28, LOAD8 = 0x2d, LOAD16 = 0x2f;
const CONST = 0x41, EQZ = 0x45, NE = 0x47, LT_S = 0x48, GT_U = 0x4b, GE_U = 0x4f;
const ADD = 0x6a, SUB = 0x6b, AND = 0x71, OR = 0x72, SHL = 0x74, SHR_U = 0x76;
const I32 = 0x7f;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => [...uleb(s.length), ...Buffer.from(s, 'latin1')];

// The functions return an i32; the stride and the tables' addresses are constants in gate's code:
//   gate(p, n)                                                           → 1 if a keyword occurs in p[0, n)
//   check(p, n, i, around, candStart, candOffset, candLen, candWord, candFold) → 1 if one is anchored at i
const P = 0, N = 1, AT = 2, AROUND = 3, CSTART = 4, COFF = 5, CLEN = 6, CWORD = 7, CFOLD = 8;
const PARAMS = 9;
const CALL = 0x10;

interface Emit {
  get(l: number): number[];
  set(l: number): number[];
  k(v: number): number[];
  load(offset?: number): number[];
  load8(offset?: number): number[];
  /** bit (value & 31) of the i32 at table + (value >> 5) * 4, as 0 or 1 */
  bitOf(table: number[], value: number[]): number[];
}

const emit: Emit = {
  get: (l) => [GET, l],
  set: (l) => [SET, l],
  k: (v) => [CONST, ...sleb(v)],
  load: (offset = 0) => [LOAD, 2, ...uleb(offset)],
  load8: (offset = 0) => [LOAD8, 0, ...uleb(offset)],
  bitOf: (table, value) => [...table, ...value, CONST, 5, SHR_U, CONST, 2, SHL, ADD, LOAD, 2, 0, ...value, CONST, 31, AND, SHR_U, CONST, 1, AND],
};

/**
 * The sampling loop, four samples at a time with one branch (most hit nothing). A sample is the byte pair at
 * i (one 16-bit load) looked up in a byte table: zero for a pair that anchors no keyword, else a mask over the low
 * three bits of the bytes that may follow it. In a group that hits, a sample whose next byte and previous byte both
 * fit their masks goes to `check` (which then tests the bytes exactly and the keywords); the masks turn away most of
 * the common pairs that short keywords force into the table ("en" of genai, "//" of 1//0), without a call.
 */
function gateBody(L: Layout): { locals: number; code: number[] } {
  const { afterAt, beforeAt, stride } = L;
  const { get, set, k, load8 } = emit;
  const I = 2, X = 3, K0 = 4, K1 = 5, K2 = 6, K3 = 7, AT_ = 8;
  const load16 = (offset = 0): number[] => [LOAD16, 1, ...uleb(offset)];
  /** check's table arguments, which are constants here. */
  const tables = [L.aroundAt, L.startAt, L.offAt, L.lenAt, L.wordAt, L.foldAt].flatMap((a) => k(a));
  /** The table byte of a pair key (the key is the address). */
  const table = (key: number[], at: number): number[] => [...key, ...load8(at)];
  /**
   * if (mask test passes && check(p, n, at)) return 1, for the sample at p + at (local AT_) with pair key K. The
   * byte before is tested only when at > 0 (at 0 there is none); the byte after is always inside the window here.
   */
  const probe = (key: number, at: number[]): number[] => [
    ...at, ...set(AT_),
    // (after[K] >> (p[at + 2] & 7)) & ((before[K] >> (p[at - 1] & 7)) | at == 0) & 1
    ...table(get(key), afterAt), ...get(P), ...get(AT_), ADD, ...load8(2), ...k(7), AND, SHR_U,
    ...table(get(key), beforeAt), ...get(P), ...get(AT_), ADD, ...k(1), SUB, ...load8(), ...k(7), AND, SHR_U,
    ...get(AT_), EQZ, OR, AND, ...k(1), AND,
    IF, EMPTY,
    ...get(P), ...get(N), ...get(AT_), ...tables, CALL, 1,
    IF, EMPTY, ...k(1), RETURN, END,
    END,
  ];
  const plus = (m: number): number[] => [...get(I), ...k(m * stride), ADD];
  /** after[K] >> (p[at + 2] & 7), whose low bit says whether the byte after the pair at `at` fits. */
  const after = (key: number, p: number[], at: number[]): number[] => [...table(get(key), afterAt), ...p, ...at, ADD, ...load8(2), ...k(7), AND, SHR_U];
  /** if (table[key] != 0 && check(p, n, at)) return 1: no masks (near the end, where p[at + 2] may be past n). */
  const checkIf = (key: number, at: number[]): number[] => [
    ...table(get(key), afterAt), IF, EMPTY,
    ...get(P), ...get(N), ...at, ...tables, CALL, 1,
    IF, EMPTY, ...k(1), RETURN, END,
    END,
  ];
  const code = [
    ...k(0), ...set(I),
    LOOP, EMPTY,
    // Room for four samples and the byte after the last (at i + 3 * stride + 2)?
    ...get(I), ...k(3 * stride), ADD, ...k(2), ADD, ...get(N), GE_U, EQZ,
    IF, EMPTY,
    ...get(P), ...get(I), ADD, ...set(X),
    ...get(X), ...load16(), ...set(K0),
    ...get(X), ...k(stride), ADD, TEE, X, ...load16(), ...set(K1),
    ...get(X), ...k(stride), ADD, TEE, X, ...load16(), ...set(K2),
    ...get(X), ...k(stride), ADD, TEE, X, ...load16(), ...set(K3),
    // Does some sample's next byte fit its mask? (after[K] >> (p[x + 2] & 7), low bits of the four OR-ed.)
    ...after(K0, get(P), get(I)), ...after(K1, get(P), plus(1)), OR, ...after(K2, get(P), plus(2)), OR, ...after(K3, get(P), plus(3)), OR,
    ...k(1), AND,
    IF, EMPTY,
    ...probe(K0, get(I)),
    ...probe(K1, plus(1)),
    ...probe(K2, plus(2)),
    ...probe(K3, plus(3)),
    END,
    ...get(I), ...k(3 * stride), ADD, ...k(stride), ADD, ...set(I),
    BR, 1,
    END,
    // The last few, one at a time.
    ...get(I), ...k(1), ADD, ...get(N), GE_U, IF, EMPTY, ...k(0), RETURN, END,
    ...get(P), ...get(I), ADD, ...load16(), ...set(K0),
    ...checkIf(K0, get(I)),
    ...get(I), ...k(stride), ADD, ...set(I),
    BR, 0,
    END,
    ...k(0),
    END,
  ];
  return { locals: 7, code };
}

/** One sampled position whose pair is in the table: the bytes around it, then each keyword anchored on the pair. */
function checkBody(slotAt: number, lowerAt: number): { locals: number; code: number[] } {
  const { get, set, k, load, load8, bitOf } = emit;
  const I = AT;
  const KEY = 9, S = 10, BASE = 11, B = 12, C = 13, CEND = 14, FROM = 15, LEN = 16, J = 17, W = 18, FOLD = 19, X = 20;
  const code = [
    ...get(P), ...get(I), ADD, TEE, X, ...load8(), ...k(8), SHL, ...get(X), ...load8(1), OR, ...set(KEY),
    // s = slotOf[key]; base = around + s * 64
    ...get(KEY), ...k(1), SHL, ...[LOAD16, 1, ...uleb(slotAt)], ...set(S),
    ...get(AROUND), ...get(S), ...k(6), SHL, ADD, ...set(BASE),
    // the byte before (when i > 0) must be allowed
    ...get(I), IF, EMPTY,
    ...get(P), ...get(I), ADD, ...k(1), SUB, ...load8(), ...set(B),
    ...bitOf(get(BASE), get(B)), EQZ, IF, EMPTY, ...k(0), RETURN, END,
    END,
    // the byte after (when i + 2 < n) must be allowed
    ...get(I), ...k(2), ADD, ...get(N), LT_S, IF, EMPTY,
    ...get(P), ...get(I), ADD, ...load8(2), ...set(B),
    ...get(BASE), ...k(32), ADD, ...set(W),
    ...bitOf(get(W), get(B)), EQZ, IF, EMPTY, ...k(0), RETURN, END,
    END,
    // each candidate anchored on this pair
    ...get(CSTART), ...get(S), ...k(2), SHL, ADD, TEE, X, ...load(), ...set(C),
    ...get(X), ...load(4), ...set(CEND),
    BLOCK, EMPTY,
    LOOP, EMPTY,
    ...get(C), ...get(CEND), GE_U, BR_IF, 1,
    ...get(I), ...get(COFF), ...get(C), ...k(2), SHL, ADD, ...load(), SUB, ...set(FROM),
    ...get(CLEN), ...get(C), ...k(2), SHL, ADD, ...load(), ...set(LEN),
    // from >= 0 and from + len <= n
    ...get(FROM), ...k(0), LT_S, ...get(FROM), ...get(LEN), ADD, ...get(N), GT_U, OR, EQZ,
    IF, EMPTY,
    ...get(CWORD), ...get(C), ...k(2), SHL, ADD, ...load(), ...set(W),
    ...get(CFOLD), ...get(C), ADD, ...load8(), ...set(FOLD),
    ...get(P), ...get(FROM), ADD, ...set(B), // b: where the occurrence would start
    ...k(0), ...set(J),
    BLOCK, EMPTY,
    LOOP, EMPTY,
    ...get(J), ...get(LEN), GE_U, BR_IF, 1,
    ...get(B), ...get(J), ADD, ...load8(), ...set(X),
    ...get(FOLD), IF, EMPTY, ...k(lowerAt), ...get(X), ADD, ...load8(), ...set(X), END,
    ...get(X), ...get(W), ...get(J), ADD, ...load8(), NE, BR_IF, 1,
    ...get(J), ...k(1), ADD, ...set(J),
    BR, 0,
    END,
    END,
    // the whole word matched
    ...get(J), ...get(LEN), GE_U, IF, EMPTY, ...k(1), RETURN, END,
    END,
    ...get(C), ...k(1), ADD, ...set(C),
    BR, 0,
    END,
    END,
    ...k(0),
    END,
  ];
  return { locals: 12, code };
}

/** Where the tables are in memory (and the stride): constants in the module's code. */
interface Layout {
  stride: number;
  afterAt: number;
  beforeAt: number;
  slotAt: number;
  lowerAt: number;
  aroundAt: number;
  startAt: number;
  offAt: number;
  lenAt: number;
  wordAt: number;
  foldAt: number;
}

function moduleBytes(L: Layout): Uint8Array {
  const fn = ({ locals, code }: { locals: number; code: number[] }): number[] => {
    const bytes = [...uleb(1), ...uleb(locals), I32, ...code];
    return [...uleb(bytes.length), ...bytes];
  };
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, 2, I32, I32, 1, I32], [0x60, ...uleb(PARAMS), ...Array<number>(PARAMS).fill(I32), 1, I32]])),
    ...section(3, vec([[0], [1]])),
    ...section(5, vec([[0x00, 1]])),
    ...section(7, vec([[...name('gate'), 0x00, 0], [...name('memory'), 0x02, 0]])),
    ...section(10, vec([fn(gateBody(L)), fn(checkBody(L.slotAt, L.lowerAt))])),
  ]);
}

// The little of the WebAssembly API used here (the project's TypeScript libraries do not declare it).
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: Record<string, unknown> };
}
interface WasmMemory {
  buffer: ArrayBuffer;
  grow(pages: number): number;
}

const PAGE = 65536;
/** Content goes through in windows this big (plus the overlap), whatever its size. */
const WINDOW = 1024 * 1024;

/**
 * The fast loop's byte tables, indexed by a pair as a little-endian 16-bit load reads it (first byte low): for a
 * pair that anchors some keyword, which values of (byte & 7) may follow it and precede it (from `around`: never
 * zero, since some byte always may); zero for every other pair.
 */
function pairMasks(t: GateTables): [Uint8Array, Uint8Array] {
  const after = new Uint8Array(65536);
  const before = new Uint8Array(65536);
  // Bytes 32w .. 32w + 31 are bits 0..31 of word w, so the bytes with (byte & 7) = c are bits c, c + 8, c + 16, c + 24.
  const mask = (base: number): number => {
    let m = 0;
    for (let w = 0; w < 8; w++) {
      const x = t.around[base + w]!;
      m |= x | (x >>> 8) | (x >>> 16) | (x >>> 24);
    }
    return m & 0xff;
  };
  for (let word = 0; word < t.hit.length; word++) {
    for (let bits = t.hit[word]!; bits !== 0; bits &= bits - 1) {
      const key = word * 32 + (31 - Math.clz32(bits & -bits));
      const base = t.slotOf[key]! * 16;
      const le = ((key & 0xff) << 8) | (key >> 8);
      after[le] = mask(base + 8);
      before[le] = mask(base);
    }
  }
  return [after, before];
}

/** The gate as a WebAssembly function over these tables, or undefined where WebAssembly cannot run. */
export function compileWasmGate(t: GateTables): KeywordGate | undefined {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) return undefined;
  const maxWord = Math.max(0, ...t.candWord.map((w) => w.length));
  // Layout: the tables one after the other (each 4-aligned), then the window.
  let at = 0;
  const place = (bytes: number): number => {
    const start = at;
    at = (at + bytes + 3) & ~3;
    return start;
  };
  const afterAt = place(65536);
  const beforeAt = place(65536);
  const slotAt = place(t.slotOf.byteLength);
  const lowerAt = place(256);
  const aroundAt = place(t.around.byteLength);
  const startAt = place(t.candStart.byteLength);
  const offAt = place(t.candOffset.byteLength);
  const lenAt = place(t.candWord.length * 4);
  const wordAt = place(t.candWord.length * 4);
  const foldAt = place(t.candFold.byteLength);
  const wordBytes = t.candWord.map((w) => place(w.length));
  // A keyword occurrence is whole inside at least one window when windows overlap by the longest keyword.
  const overlap = (Math.ceil(maxWord / t.stride) + 1) * t.stride;
  const windowAt = place(0);
  const pages = Math.ceil((windowAt + WINDOW + overlap + 8) / PAGE);
  let instance: { exports: Record<string, unknown> };
  let memory: WasmMemory;
  try {
    // Where code generation is off (--jitless, an embedder's policy) or memory is short, the JavaScript gate runs.
    instance = new api.Instance(new api.Module(moduleBytes({ stride: t.stride, afterAt, beforeAt, slotAt, lowerAt, aroundAt, startAt, offAt, lenAt, wordAt, foldAt })));
    memory = instance.exports['memory'] as WasmMemory;
    memory.grow(pages - memory.buffer.byteLength / PAGE);
  } catch {
    return undefined;
  }
  const mem = new Uint8Array(memory.buffer);
  const put = (where: number, data: ArrayBufferView): void => mem.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), where);
  const [after, before] = pairMasks(t);
  put(afterAt, after);
  put(beforeAt, before);
  put(slotAt, t.slotOf);
  put(lowerAt, t.lower);
  put(aroundAt, t.around);
  put(startAt, t.candStart);
  put(offAt, t.candOffset);
  put(lenAt, Int32Array.from(t.candWord, (w) => w.length));
  put(wordAt, Int32Array.from(wordBytes));
  put(foldAt, t.candFold);
  t.candWord.forEach((w, i) => put(wordBytes[i]!, w));
  const gate = instance.exports['gate'] as (...args: number[]) => number;
  const stride = t.stride;
  // Windows start on a multiple of the stride, so they sample the very positions one pass over the whole would.
  const step = WINDOW - (WINDOW % stride);
  const whole = (bytes: Uint8Array): boolean => {
    const n = bytes.length;
    for (let start = 0; start < n; start += step) {
      const len = Math.min(n - start, step + overlap);
      mem.set(start === 0 && len === n ? bytes : bytes.subarray(start, start + len), windowAt);
      if (gate(windowAt, len) !== 0) return true;
      if (start + len >= n) break;
    }
    return false;
  };
  // Streams fill the same window (the memory never grows after this, so the view stays valid).
  const stream = streamGate(mem.subarray(windowAt, windowAt + WINDOW + overlap), maxWord, (n) => gate(windowAt, n) !== 0);
  return Object.assign(whole, { stream });
}
