// The placeholder checks must reject fillers without rejecting real keys: measured on random keys with fast-check.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { placeholderReason } from '../../src/detect/placeholder.js';
import { detect } from '../../src/detect/engine.js';
import { builtinRuleSet } from '../helpers/rules.js';

const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('');
const body = (length: number) => fc.array(fc.constantFrom(...URLSAFE), { minLength: length, maxLength: length }).map((a) => a.join(''));
const AIZA = ['AI', 'za'].join('');

function rejectionRate(length: number, runs: number, seed: number): number {
  const samples = fc.sample(body(length), { numRuns: runs, seed });
  return samples.filter((s) => placeholderReason(s) !== undefined).length / runs;
}

describe('placeholderReason on random keys', () => {
  // Every check is tuned to trip on a random body less than about once in ten million: none of 100,000 may.
  it('rejects none of 100,000 random 35-character AIza bodies', () => {
    const samples = fc.sample(body(35), { numRuns: 100_000, seed: 20260 });
    expect(samples.filter((s) => placeholderReason(s) !== undefined)).toEqual([]);
  });

  it('rejects none of 20,000 long random tokens (access tokens, FCM keys)', () => {
    expect(rejectionRate(150, 10_000, 7)).toBe(0);
    expect(rejectionRate(220, 10_000, 8)).toBe(0);
  });

  it('does not take a short filler word inside random characters for a filler', () => {
    // TEST, Mock, here or xxxx turn up by chance in about one random key in ten thousand.
    for (const b of ['SyhlgEY7hNL4TESTOEd7kvTYyijD3S59T7p', 'Mockhlg7hNL4EKwOEd7kvTYyijD3S59T7pY', 'SyhlgEY7hNL4EKwOEd7kvTYyijD3S5here', 'Sy9xxxx7hNL4EKwOEd7kvTYyijD3S59T7pY']) {
      expect(placeholderReason(b), b).toBeUndefined();
    }
  });

  it('lets the engine find random keys that are not placeholders', () => {
    const set = builtinRuleSet();
    fc.assert(
      fc.property(body(35), fc.constantFrom('KEY=%s\n', 'apiKey: "%s",', "key = '%s'", '<string name="k">%s</string>'), (b, wrap) => {
        fc.pre(placeholderReason(b) === undefined);
        const key = AIZA + b;
        const found = detect({ text: wrap.replace('%s', key), path: 'x.txt' }, set);
        return found.some((f) => f.ruleId === 'google-api-key' && f.rawSecret === key);
      }),
      { numRuns: 2000, seed: 99 },
    );
  });
});

describe('placeholderReason on fillers', () => {
  const alphabetRun = fc.tuple(fc.constantFrom('abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789'), fc.nat(), fc.integer({ min: 6, max: 9 }));

  it('rejects bodies with an ascending or descending run of six or more', () => {
    fc.assert(
      fc.property(body(35), alphabetRun, fc.boolean(), fc.nat(), (b, [alphabet, at, len], reverse, pos) => {
        const start = at % (alphabet.length - len + 1);
        let run = alphabet.slice(start, start + len);
        if (reverse) run = [...run].reverse().join('');
        const p = pos % (b.length - run.length);
        const filler = b.slice(0, p) + run + b.slice(p + run.length);
        return placeholderReason(filler) !== undefined;
      }),
      { numRuns: 3000, seed: 1 },
    );
  });

  it('rejects bodies with a character repeated six times or more', () => {
    fc.assert(
      fc.property(body(35), fc.constantFrom(...URLSAFE), fc.integer({ min: 6, max: 33 }), fc.nat(), (b, c, len, pos) => {
        const p = pos % (b.length - len);
        return placeholderReason(b.slice(0, p) + c.repeat(len) + b.slice(p + len)) !== undefined;
      }),
      { numRuns: 3000, seed: 2 },
    );
  });

  it('rejects repeated blocks', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...URLSAFE), { minLength: 4, maxLength: 6 }), (block) => {
        const b = block.join('').repeat(10).slice(0, 35);
        return placeholderReason(b) !== undefined;
      }),
      { numRuns: 1000, seed: 3 },
    );
  });

  it.each([
    ['SyABCDEFGHIJKLMNOPQRSTUVWXYZ1234567', 'run'],
    ['SyAbCdEfGhIjKlMnOpQrStUvWxYz_AbCdEf', 'AbCdEf'],
    ['SyA1B2C3D4E5F6G7H8I9J0K1L2M3N4O5P6Q', 'run'],
    ['SyDUMMY_KEY_FOR_TESTING_ONLY_1234567', 'made of words'],
    ['Sy_DUMMY_KEY_ONLY_12', 'filler word'],
    ['SyQwErTyUiOp_qwerty_walk1', 'filler word'],
    ['SyB-my-gemini-key-goes-here-0000000', 'filler word'],
    ['SyC0ffee_Example_Key_Do_Not_Use_x9q', 'filler word'],
    ['SyDOCAbC123dEf456GhI789jKl012-MnOpq', 'runs like abc'],
    ['SyKEYKEYKEYKEYKEYKEYKEYKEYKEYKEYKEY', 'too few'],
    ['Syk9Xv2Lr8Qw4ZQw4ZQw4Zt7Mn3Bp6Yc1Hs', 'block'],
    ['your-client-secret-here', 'filler word'],
    ['Sy••••••••', 'repeats one character'],
    ['SyababababcdcdcdcdababababcdcdcdcdabX', 'too few'],
    ['SyDEFAULT_GOOGLE_MAPS_KEY_VALUE_0001', 'made of words'],
    ['Sy-NOT-A-REAL-KEY-JUST-FOR-DOCS-1x2', 'made of words'],
    ['Sy_Put_Real_Key_In_Env_File_k3j5', 'made of words'],
    // base64 of a filler (a Kubernetes data: value): your-gemini-api-key-here
    ['eW91ci1nZW1pbmktYXBpLWtleS1oZXJl', 'base64 of a filler'],
  ])('rejects %s (%s)', (filler, why) => {
    const reason = placeholderReason(filler);
    expect(reason).toBeDefined();
    expect(reason).toContain(why === 'run' ? 'run like' : why);
  });

  it('does not take a filler word in random mixed case for a filler', () => {
    expect(placeholderReason('SyhlgEY7hNL4tEsTOEd7kvTYyijD3S59T7p')).toBeUndefined();
    expect(placeholderReason('SyhlgEY7hNL4_Test_Ed7kvTYyijD3S59T7p')).toContain('filler');
  });
});
