// Fillers that look like keys: docs samples, test fixtures, templates.
// Each check is tuned so that a random key trips it rarely: test/detect/placeholder.test.ts measures the rate on
// 100,000 random AIza bodies (below 0.1%) and on long random tokens, and checks that real fillers are rejected.

/** Words that mark a value as a stand-in. */
const FILLER_WORDS = [
  'example', 'sample', 'dummy', 'placeholder', 'your', 'insert', 'replace', 'changeme', 'change_me', 'redacted',
  'xxxx', 'fake', 'test', 'demo', 'mock', 'invalid', 'notreal', 'not_real', 'foobar', 'bogus', 'here', 'mykey',
  'apikey', 'api_key', 'secret', 'token', 'sk_live', 'todo', 'fixme', 'xyzxyz', 'abcabc', 'lorem', 'ipsum',
];
const FILLER_RE = new RegExp(FILLER_WORDS.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gi');

/**
 * A filler word counts when it is written as a word: all lower, all upper or Capitalised (`DUMMY`, `Test`,
 * `your`), not in random mixed case (`tEsT`), which is how it shows up by chance inside a real key.
 */
function fillerWord(body: string): string | undefined {
  FILLER_RE.lastIndex = 0;
  for (let m = FILLER_RE.exec(body); m; m = FILLER_RE.exec(body)) {
    const w = m[0];
    const letters = w.replace(/[^A-Za-z]/g, '');
    if (letters === letters.toLowerCase() || letters === letters.toUpperCase()) return w;
    if (letters[0] === letters[0]!.toUpperCase() && letters.slice(1) === letters.slice(1).toLowerCase()) return w;
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
  return letters >= 10 ? n : 0;
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
  const decoded = decodedText(body);
  if (decoded !== undefined) {
    const inner = placeholderReason(decoded);
    if (inner) return `base64 of a filler: ${inner}`;
  }
  const word = fillerWord(body);
  if (word) return `contains the filler word '${word}'`;
  if (/[<>{}$%]|\.\.\.|…/.test(body)) return 'contains template or ellipsis characters';
  if (wordSegments(body) >= 3) return 'is made of words (NOT_A_REAL_KEY, default-maps-key-value)';
  if (longestRepeat(body) >= 5) return 'repeats one character';
  if (body.length >= 12 && new Set(body).size < expectedDistinct(body.length) * 0.5) return 'uses too few distinct characters';
  if (repeatsBlock(body)) return 'repeats a block of characters';
  for (const stride of [1, 2]) {
    if (longestSequence(body, stride, 1) >= 5 || longestSequence(body, stride, -1) >= 5) return 'contains a run like abcde or 12345';
  }
  if (longestFoldedSequence(body) >= 6) return 'contains a run like AbCdEf';
  if (countSequences(body, 3) >= Math.max(3, Math.ceil(body.length / 40))) return 'contains several runs like abc or 123';
  return undefined;
}
