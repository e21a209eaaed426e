// mulberry32: a small seeded PRNG, so a seed gives the same corpus, red-team set or synthetic repository every run.
// (test/helpers/keys.ts has the same one for the tests, which are TypeScript.)
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
