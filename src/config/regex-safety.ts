// Is a user-supplied regular expression safe to run on every commit? A pattern that can backtrack catastrophically
// ((a+)+$, (a|aa)+, (\w+\s?)*$) can take minutes on one line, and a pre-commit hook must never hang. Pure, and fast
// enough to run on every load (microseconds per pattern), so the hook pays nothing for it.
//
// Why not safe-regex2 or recheck: safe-regex2 cannot parse lookbehind (which the built-in rules use) and misses
// overlapping alternatives (a|aa)+; recheck is exact but takes 0.1 to 5 seconds per pattern, too slow for a hook.
//
// The check: inside a repetition that can run many times (max > 10), the text one iteration consumes must split
// only one way. It reports (1) a repeated part whose characters can also be matched by what follows it, the next
// iteration included ((a+)+, (x+x+)+, (\w+\s?)*, (.*a){20}), and (2) alternatives that can start with the same
// character ((a|aa)+). Both are conservative: a few safe patterns like (ab|ac)+ are refused too; rewrite them
// (a[bc])+ so each repetition is unambiguous.

/** ASCII characters as bits, plus "some character beyond ASCII". */
interface CharSet {
  bits: bigint;
  other: boolean;
}

const NONE: CharSet = { bits: 0n, other: false };
const ALL_BITS = (1n << 128n) - 1n;
const ANY: CharSet = { bits: ALL_BITS, other: true };

function bit(code: number): bigint {
  return 1n << BigInt(code);
}
function range(from: number, to: number): bigint {
  let b = 0n;
  for (let c = from; c <= Math.min(to, 127); c++) b |= bit(c);
  return b;
}
function union(a: CharSet, b: CharSet): CharSet {
  return { bits: a.bits | b.bits, other: a.other || b.other };
}
function overlaps(a: CharSet, b: CharSet): boolean {
  return (a.bits & b.bits) !== 0n || (a.other && b.other);
}
function negate(a: CharSet): CharSet {
  return { bits: ALL_BITS & ~a.bits, other: true };
}
function char(code: number): CharSet {
  return code < 128 ? { bits: bit(code), other: false } : { bits: 0n, other: true };
}

const DIGIT: CharSet = { bits: range(48, 57), other: false };
const WORD: CharSet = { bits: range(48, 57) | range(65, 90) | range(97, 122) | bit(95), other: false };
const SPACE: CharSet = { bits: range(9, 13) | bit(32), other: true };
const DOT: CharSet = { bits: ALL_BITS & ~(bit(10) | bit(13)), other: true };

type Node =
  | { t: 'set'; set: CharSet }
  | { t: 'empty' }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'group'; body: Node; look: boolean }
  | { t: 'rep'; body: Node; min: number; max: number; at: number };

class Parser {
  i = 0;
  constructor(
    readonly src: string,
    readonly ignoreCase: boolean,
  ) {}

  parse(): Node {
    const node = this.alt();
    // An unbalanced ')' ends the walk early; the engine's own compile reports real syntax errors.
    return node;
  }

  private alt(): Node {
    const alts = [this.seq()];
    while (this.src[this.i] === '|') {
      this.i++;
      alts.push(this.seq());
    }
    return alts.length === 1 ? alts[0]! : { t: 'alt', alts };
  }

  private seq(): Node {
    const items: Node[] = [];
    while (this.i < this.src.length && this.src[this.i] !== '|' && this.src[this.i] !== ')') {
      const at = this.i;
      const atom = this.atom();
      items.push(this.quantified(atom, at));
    }
    return { t: 'seq', items };
  }

  private quantified(atom: Node, at: number): Node {
    const s = this.src;
    let min: number;
    let max: number;
    const c = s[this.i];
    if (c === '*') [min, max] = [0, Infinity];
    else if (c === '+') [min, max] = [1, Infinity];
    else if (c === '?') [min, max] = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i));
      if (!m) return atom;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] ? Number(m[3]) : Infinity;
      this.i += m[0].length - 1;
    } else return atom;
    this.i++;
    if (s[this.i] === '?') this.i++; // lazy: backtracks just as much
    return this.quantified({ t: 'rep', body: atom, min, max, at }, at);
  }

  private atom(): Node {
    const s = this.src;
    const c = s[this.i]!;
    if (c === '(') {
      this.i++;
      let look = false;
      if (s.startsWith('?:', this.i)) this.i += 2;
      else if (s.startsWith('?=', this.i) || s.startsWith('?!', this.i)) [this.i, look] = [this.i + 2, true];
      else if (s.startsWith('?<=', this.i) || s.startsWith('?<!', this.i)) [this.i, look] = [this.i + 3, true];
      else if (s.startsWith('?<', this.i)) {
        const end = s.indexOf('>', this.i);
        this.i = end < 0 ? s.length : end + 1;
      }
      const body = this.alt();
      if (s[this.i] === ')') this.i++;
      return { t: 'group', body, look };
    }
    if (c === '[') return { t: 'set', set: this.fold(this.charClass()) };
    this.i++;
    if (c === '.') return { t: 'set', set: DOT };
    if (c === '^' || c === '$') return { t: 'empty' };
    if (c === '\\') return this.escape(false);
    return { t: 'set', set: this.fold(char(c.codePointAt(0)!)) };
  }

  /** After a backslash. In a class, \b is a backspace and the zero-width escapes do not exist. */
  private escape(inClass: boolean): Node {
    const s = this.src;
    const c = s[this.i++] ?? '\\';
    switch (c) {
      case 'd':
        return { t: 'set', set: DIGIT };
      case 'D':
        return { t: 'set', set: negate(DIGIT) };
      case 'w':
        return { t: 'set', set: WORD };
      case 'W':
        return { t: 'set', set: negate(WORD) };
      case 's':
        return { t: 'set', set: SPACE };
      case 'S':
        return { t: 'set', set: negate(SPACE) };
      case 'b':
        return inClass ? { t: 'set', set: char(8) } : { t: 'empty' };
      case 'B':
        return { t: 'empty' };
      case 'n':
        return { t: 'set', set: char(10) };
      case 'r':
        return { t: 'set', set: char(13) };
      case 't':
        return { t: 'set', set: char(9) };
      case 'v':
        return { t: 'set', set: char(11) };
      case 'f':
        return { t: 'set', set: char(12) };
      case '0':
        return { t: 'set', set: char(0) };
      case 'c':
        this.i++;
        return { t: 'set', set: { bits: range(0, 31), other: false } };
      case 'x': {
        const m = /^[0-9a-fA-F]{2}/.exec(s.slice(this.i));
        if (!m) return { t: 'set', set: char(120) };
        this.i += 2;
        return { t: 'set', set: this.fold(char(parseInt(m[0], 16))) };
      }
      case 'u': {
        const m = /^(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{4}))/.exec(s.slice(this.i));
        if (!m) return { t: 'set', set: char(117) };
        this.i += m[0].length;
        return { t: 'set', set: this.fold(char(parseInt(m[1] ?? m[2]!, 16))) };
      }
      case 'p':
      case 'P':
        if (s[this.i] === '{') this.i = Math.max(this.i, s.indexOf('}', this.i) + 1);
        return { t: 'set', set: ANY };
      case 'k':
        if (s[this.i] === '<') this.i = Math.max(this.i, s.indexOf('>', this.i) + 1);
        return { t: 'rep', body: { t: 'set', set: ANY }, min: 0, max: Infinity, at: this.i };
      default:
        // A back-reference matches whatever its group matched: any text, any length.
        if (!inClass && /[1-9]/.test(c)) {
          while (/[0-9]/.test(s[this.i] ?? '')) this.i++;
          return { t: 'rep', body: { t: 'set', set: ANY }, min: 0, max: Infinity, at: this.i };
        }
        return { t: 'set', set: this.fold(char(c.codePointAt(0)!)) };
    }
  }

  private charClass(): CharSet {
    const s = this.src;
    this.i++; // [
    let negated = false;
    if (s[this.i] === '^') [negated, this.i] = [true, this.i + 1];
    let set = NONE;
    const single = (): { set: CharSet; code?: number } => {
      const c = s[this.i]!;
      if (c === '\\') {
        this.i++;
        const e = this.escape(true);
        const got = e.t === 'set' ? e.set : NONE;
        // A single character (for ranges) when the set has exactly one ASCII bit.
        const b = got.bits;
        const code = !got.other && b !== 0n && (b & (b - 1n)) === 0n ? b.toString(2).length - 1 : undefined;
        return code === undefined ? { set: got } : { set: got, code };
      }
      this.i++;
      const code = c.codePointAt(0)!;
      return { set: char(code), code };
    };
    while (this.i < s.length && s[this.i] !== ']') {
      const from = single();
      if (s[this.i] === '-' && s[this.i + 1] !== ']' && this.i + 1 < s.length && from.code !== undefined) {
        this.i++;
        const to = single();
        if (to.code !== undefined) {
          set = union(set, { bits: range(from.code, to.code), other: to.code > 127 });
          continue;
        }
        set = union(union(set, from.set), union(char(45), to.set));
        continue;
      }
      set = union(set, from.set);
    }
    this.i++; // ]
    return negated ? negate(set) : set;
  }

  private fold(set: CharSet): CharSet {
    if (!this.ignoreCase) return set;
    const upper = (set.bits >> 65n) & range(0, 25);
    const lower = (set.bits >> 97n) & range(0, 25);
    return { bits: set.bits | (lower << 65n) | (upper << 97n), other: set.other };
  }
}

function nullable(n: Node): boolean {
  switch (n.t) {
    case 'set':
      return false;
    case 'empty':
      return true;
    case 'seq':
      return n.items.every(nullable);
    case 'alt':
      return n.alts.some(nullable);
    case 'group':
      return n.look || nullable(n.body);
    case 'rep':
      return n.min === 0 || nullable(n.body);
  }
}

/** Characters the node can start with. */
function first(n: Node): CharSet {
  switch (n.t) {
    case 'set':
      return n.set;
    case 'empty':
      return NONE;
    case 'seq': {
      let out = NONE;
      for (const item of n.items) {
        out = union(out, first(item));
        if (!nullable(item)) break;
      }
      return out;
    }
    case 'alt':
      return n.alts.reduce((acc, a) => union(acc, first(a)), NONE);
    case 'group':
      return n.look ? NONE : first(n.body);
    case 'rep':
      return first(n.body);
  }
}

/** Every character the node can consume. */
function chars(n: Node): CharSet {
  switch (n.t) {
    case 'set':
      return n.set;
    case 'empty':
      return NONE;
    case 'seq':
      return n.items.reduce((acc, a) => union(acc, chars(a)), NONE);
    case 'alt':
      return n.alts.reduce((acc, a) => union(acc, chars(a)), NONE);
    case 'group':
      return n.look ? NONE : chars(n.body);
    case 'rep':
      return chars(n.body);
  }
}

/** A repetition this many times or more is a loop that can multiply backtracking. */
const LOOP = 10;

export type RegexRisk = { kind: 'nested-repetition' | 'overlapping-alternatives'; at: number };

function walk(n: Node, follow: CharSet, inLoop: boolean): RegexRisk | undefined {
  switch (n.t) {
    case 'set':
    case 'empty':
      return undefined;
    case 'seq': {
      const after: CharSet[] = new Array<CharSet>(n.items.length);
      let f = follow;
      for (let i = n.items.length - 1; i >= 0; i--) {
        after[i] = f;
        const item = n.items[i]!;
        f = nullable(item) ? union(f, first(item)) : first(item);
      }
      for (let i = 0; i < n.items.length; i++) {
        const risk = walk(n.items[i]!, after[i]!, inLoop);
        if (risk) return risk;
      }
      return undefined;
    }
    case 'alt': {
      if (inLoop) {
        const firsts = n.alts.map(first);
        for (let a = 0; a < firsts.length; a++) {
          for (let b = a + 1; b < firsts.length; b++) if (overlaps(firsts[a]!, firsts[b]!)) return { kind: 'overlapping-alternatives', at: -1 };
        }
      }
      for (const alt of n.alts) {
        const risk = walk(alt, follow, inLoop);
        if (risk) return risk;
      }
      return undefined;
    }
    case 'group':
      // A lookaround is matched on its own and never re-entered once it succeeded.
      return n.look ? walk(n.body, NONE, false) : walk(n.body, follow, inLoop);
    case 'rep': {
      // A part whose length varies: a repetition (not a fixed count like {4}) or an optional part ((a?a?)+: one a can be
      // matched by either).
      const varies = n.max !== n.min;
      if (inLoop && varies && overlaps(chars(n.body), follow)) return { kind: 'nested-repetition', at: n.at };
      const loops = n.max > LOOP;
      const bodyFollow = n.max > 1 ? union(follow, first(n.body)) : follow;
      return walk(n.body, bodyFollow, inLoop || loops);
    }
  }
}

/** Why a pattern could backtrack catastrophically, in words, or undefined when it looks safe. */
export function regexRisk(source: string, flags = ''): string | undefined {
  const tree = new Parser(source, flags.includes('i')).parse();
  const risk = walk(tree, NONE, false);
  if (!risk) return undefined;
  return risk.kind === 'nested-repetition'
    ? `can backtrack catastrophically: a repeated part inside a repetition can also match what follows it, as in (a+)+ (near character ${risk.at + 1}); make each repetition unambiguous, for example with a separator or a bounded count`
    : 'can backtrack catastrophically: alternatives inside a repetition can start with the same character, as in (a|aa)+; factor the common start out, as in a(a)?';
}
