// Fillers that look like keys: docs samples, test fixtures, templates.
// Each check is tuned so that a random key practically never trips it (each below about one in ten million random
// 35-character bodies, by the odds worked out beside it): a random key is never dropped as a filler. A value that
// looks random but is known not to be a secret (a published sample key) is an allowlist entry of its rule, with an
// example, not a heuristic here. test/detect/placeholder.test.ts measures the rate on random bodies and checks that
// real fillers are rejected.

/**
 * Words that mark a value as a stand-in. Six letters or more count anywhere (a random body spells one in one case
 * about twice in a hundred million); shorter ones only between separators (see fillerWord).
 */
const FILLER_WORDS = [
  'example', 'sample', 'dummy', 'placeholder', 'your', 'insert', 'replace', 'changeme', 'change_me', 'redacted',
  'xxxx', 'fake', 'test', 'demo', 'mock', 'invalid', 'notreal', 'not_real', 'foobar', 'bogus', 'here', 'mykey',
  'apikey', 'api_key', 'secret', 'token', 'sk_live', 'todo', 'fixme', 'xyzxyz', 'abcabc', 'lorem', 'ipsum',
  'qwerty', 'asdfgh', 'zxcvbn',
];
const FILLER_RE = new RegExp(FILLER_WORDS.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');
/** Shorter than this, a filler word counts only between separators. */
const LONG_WORD = 6;
const isSeparator = (c: string | undefined): boolean => c === '-' || c === '_' || c === '.';

/**
 * A filler word counts when it is written as a word: all lower, all upper or Capitalised (`DUMMY`, `Test`,
 * `your`), not in random mixed case (`tEsT`), which is how it shows up by chance inside a real key. A word of
 * four or five letters (`TEST`, `mock`, `here`) also shows up by chance in about one random key in ten thousand,
 * so it counts only with a separator on both sides (`-my-key-goes-here-`, `_FAKE_`); an end of the value is not
 * enough (a key starting or ending with `Mock_` is still one in a few million).
 */
function fillerWord(body: string, edges: boolean): string | undefined {
  const bounded = (c: string | undefined): boolean => isSeparator(c) || (edges && c === undefined);
  FILLER_RE.lastIndex = 0;
  for (let m = FILLER_RE.exec(body); m; m = FILLER_RE.exec(body)) {
    const w = m[0];
    const letters = w.replace(/[^A-Za-z]/g, '');
    const cased =
      letters === letters.toLowerCase() ||
      letters === letters.toUpperCase() ||
      (letters[0] === letters[0]!.toUpperCase() && letters.slice(1) === letters.slice(1).toLowerCase());
    if (!cased) continue;
    if (w.length >= LONG_WORD) return w;
    if (bounded(body[m.index - 1]) && bounded(body[m.index + w.length])) return w;
    // An overlapping later match (`xxxxx`) is tried from the next character.
    FILLER_RE.lastIndex = m.index + 1;
  }
  return undefined;
}

function charClass(c: number): number {
  if (c >= 48 && c <= 57) return 1; // digit
  if (c >= 65 && c <= 90) return 2; // upper
  if (c >= 97 && c <= 122) return 3; // lower
  return 0;
}

/** Longest run where each character is the previous one plus `step` (same class), looking `stride` apart. */
function longestSequence(s: string, stride: number, step: number): number {
  let best = 1;
  for (let start = 0; start < stride; start++) {
    let run = 1;
    for (let i = start + stride; i < s.length; i += stride) {
      const a = s.charCodeAt(i - stride);
      const b = s.charCodeAt(i);
      if (charClass(a) !== 0 && charClass(a) === charClass(b) && b - a === step) run++;
      else run = 1;
      if (run > best) best = run;
    }
  }
  return best;
}

/** Longest alphabetical run ignoring case (`AbCdEf`, `aBcDeF`): fillers typed to look random. */
function longestFoldedSequence(s: string): number {
  const folded = s.toLowerCase();
  let best = 1;
  let run = 1;
  for (let i = 1; i < folded.length; i++) {
    const a = folded.charCodeAt(i - 1);
    const b = folded.charCodeAt(i);
    run = a >= 97 && a <= 122 && b === a + 1 ? run + 1 : 1;
    if (run > best) best = run;
  }
  return best;
}

/** Runs of three or more like `abc`, `321` (one direction per run). */
function countSequences(s: string, length: number): number {
  let count = 0;
  let run = 1;
  let dir = 0;
  for (let i = 1; i <= s.length; i++) {
    const a = s.charCodeAt(i - 1);
    const b = i < s.length ? s.charCodeAt(i) : -1;
    const d = b - a;
    const step = charClass(a) !== 0 && charClass(a) === charClass(b) && (d === 1 || d === -1) ? d : 0;
    if (step !== 0 && (run === 1 || step === dir)) {
      dir = step;
      run++;
      continue;
    }
    if (run >= length) count++;
    run = step !== 0 ? 2 : 1;
    dir = step;
  }
  return count;
}

function longestRepeat(s: string): number {
  let best = 1;
  let run = 1;
  for (let i = 1; i < s.length; i++) {
    run = s.charCodeAt(i) === s.charCodeAt(i - 1) ? run + 1 : 1;
    if (run > best) best = run;
  }
  return best;
}

/** A block of four or more characters written three times or more (`Ab1Ab1Ab1…`, `KEYKEYKEY`). */
function repeatsBlock(s: string): boolean {
  const seen = new Map<string, number>();
  for (let i = 0; i + 4 <= s.length; i++) {
    const block = s.slice(i, i + 4);
    const n = (seen.get(block) ?? 0) + 1;
    if (n >= 3) return true;
    seen.set(block, n);
  }
  return false;
}

/**
 * How many `-`/`_`-separated segments are written as words: three or more letters in one case or Capitalised
 * (`DEFAULT_MAPS_KEY`, `-your-key-`). A random body has few separators and rarely single-case letters between them.
 */
function wordSegments(body: string): number {
  let n = 0;
  let letters = 0;
  for (const seg of body.split(/[-_]+/).slice(1, -1)) {
    if (/^(?:[A-Z]{3,}|[a-z]{3,}|[A-Z][a-z]{2,})$/.test(seg)) {
      n++;
      letters += seg.length;
    }
  }
  // Fifteen letters: thirteen still came up by chance in a few random bodies in ten million.
  return letters >= 15 ? n : 0;
}

/** How many distinct characters n uniform draws from a 64-symbol alphabet give on average. */
function expectedDistinct(n: number): number {
  return 64 * (1 - Math.pow(63 / 64, n));
}

/**
 * The text a value decodes to when it is padded base64 of printable ASCII (a Kubernetes `data:` value, a CI
 * variable), else undefined. A random key decodes to such text almost never (each byte must land in 95 of 256).
 */
function decodedText(body: string): string | undefined {
  if (body.length < 8 || body.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) return undefined;
  const text = Buffer.from(body, 'base64').toString('latin1').replace(/\r?\n$/, '');
  return /^[\x20-\x7e]+$/.test(text) ? text : undefined;
}

/**
 * Why a secret looks like a filler, or undefined when it looks real.
 * `body` is the part after a fixed prefix (AIza, GOCSPX-…), so the prefix never counts against it.
 */
export function placeholderReason(body: string): string | undefined {
  return reasonFor(body, false);
}

/**
 * `decoded`: the body is text a base64 value decoded to, which a random key almost never is, so a short filler word
 * at either end counts too (`your-gemini-api-key-here`).
 */
function reasonFor(body: string, decoded: boolean): string | undefined {
  const text = decoded ? undefined : decodedText(body);
  if (text !== undefined) {
    const inner = reasonFor(text, true);
    if (inner) return `base64 of a filler: ${inner}`;
  }
  const word = fillerWord(body, decoded);
  if (word) return `contains the filler word '${word}'`;
  if (/[<>{}$%]|\.\.\.|…/.test(body)) return 'contains template or ellipsis characters';
  if (wordSegments(body) >= 3) return 'is made of words (NOT_A_REAL_KEY, default-maps-key-value)';
  // Odds for a random 35-character body: one character six times, about 3e-8.
  if (longestRepeat(body) >= 6) return 'repeats one character';
  if (body.length >= 12 && new Set(body).size < expectedDistinct(body.length) * 0.5) return 'uses too few distinct characters';
  if (repeatsBlock(body)) return 'repeats a block of characters';
  for (const stride of [1, 2]) {
    // A run of six (abcdef, 123456, or every other character: A1B2C3D4E5F6), each about 1e-8 (five: 2e-6).
    if (longestSequence(body, stride, 1) >= 6 || longestSequence(body, stride, -1) >= 6) return 'contains a run like abcdef or 123456';
  }
  // Seven letters in alphabetical order in any case (AbCdEfG), about 1e-8.
  if (longestFoldedSequence(body) >= 7) return 'contains a run like AbCdEfG';
  // Four runs of three (123…456…789…012), about 1e-9 (three: 1e-6).
  if (countSequences(body, 3) >= Math.max(4, Math.ceil(body.length / 30))) return 'contains several runs like abc or 123';
  return undefined;
}
