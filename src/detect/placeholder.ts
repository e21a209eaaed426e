// Fillers that look like keys: docs samples, test fixtures, templates.
// Each check is tuned so that a random key trips it rarely (see test/detect/placeholder.test.ts,
// which measures the false-placeholder rate on random keys).

/** Words that mark a value as a stand-in. Four letters or more, so a random key contains one by chance about once in 30,000. */
const FILLER_WORDS = [
  'example', 'sample', 'dummy', 'placeholder', 'your', 'insert', 'replace', 'changeme', 'change_me', 'redacted',
  'xxxx', 'fake', 'test', 'demo', 'mock', 'invalid', 'notreal', 'not_real', 'foobar', 'bogus', 'here', 'mykey',
  'apikey', 'api_key', 'secret', 'token', 'sk_live', 'todo', 'fixme', 'xyzxyz', 'abcabc', 'lorem', 'ipsum',
];
const FILLER_RE = new RegExp(FILLER_WORDS.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');

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

function countSequences(s: string, length: number): number {
  let count = 0;
  let run = 1;
  for (let i = 1; i < s.length; i++) {
    const a = s.charCodeAt(i - 1);
    const b = s.charCodeAt(i);
    if (charClass(a) !== 0 && charClass(a) === charClass(b) && Math.abs(b - a) === 1) run++;
    else {
      if (run >= length) count++;
      run = 1;
    }
  }
  if (run >= length) count++;
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

/**
 * Why a secret looks like a filler, or undefined when it looks real.
 * `body` is the part after a fixed prefix (AIza, GOCSPX-…), so the prefix never counts against it.
 */
export function placeholderReason(body: string): string | undefined {
  const word = FILLER_RE.exec(body);
  if (word) return `contains the filler word '${word[0]}'`;
  if (/[<>{}$%]|\.\.\.|…/.test(body)) return 'contains template or ellipsis characters';
  if (longestRepeat(body) >= 5) return 'repeats one character';
  if (body.length >= 12) {
    const distinct = new Set(body).size;
    if (distinct / body.length < 0.3) return 'uses too few distinct characters';
  }
  for (const stride of [1, 2]) {
    if (longestSequence(body, stride, 1) >= 5 || longestSequence(body, stride, -1) >= 5) return 'contains a run like abcde or 12345';
  }
  if (countSequences(body, 3) >= 3) return 'contains several runs like abc or 123';
  return undefined;
}
