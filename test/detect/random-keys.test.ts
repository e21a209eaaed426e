// Nothing random is dropped: keys of every kind, random in their free part, planted in every file type, are all
// found. A heuristic that drops a random-looking value must be an allowlist entry of its rule, never a side effect.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { detect } from '../../src/detect/engine.js';
import { builtinRuleSet } from '../helpers/rules.js';

const set = builtinRuleSet();
const P = (...parts: string[]): string => parts.join('');
const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'.split('');
const chars = (alphabet: string[], length: number) => fc.array(fc.constantFrom(...alphabet), { minLength: length, maxLength: length }).map((a) => a.join(''));

/** Each kind: its value from random characters, and the name it is assigned to. */
const KINDS: Record<string, { value: fc.Arbitrary<string>; name: string }> = {
  'google-api-key': { value: chars(URLSAFE, 35).map((b) => P('AI', 'za', b)), name: 'GOOGLE_API_KEY' },
  'gemini-auth-key': { value: chars(URLSAFE, 44).map((b) => P('AQ.', 'Ab8RN6', b)), name: 'GEMINI_API_KEY' },
  'google-oauth-client-secret': { value: chars(URLSAFE, 28).map((b) => P('GOC', 'SPX-', b)), name: 'client_secret' },
  'google-oauth-client-secret-legacy': { value: chars(URLSAFE, 24), name: 'client_secret' },
  'google-oauth-access-token': { value: chars(URLSAFE, 120).map((b) => P('ya', '29.', b)), name: 'access_token' },
  'google-oauth-refresh-token': { value: chars(URLSAFE, 60).map((b) => P('1/', '/0', b)), name: 'refresh_token' },
};

/** How each file type holds a value assigned to a name. */
const FILE_TYPES: Record<string, (name: string, value: string) => string> = {
  'app.js': (n, v) => `import x from "y";\nconst config = {\n  ${n}: "${v}",\n};\nexport default config;\n`,
  'main.py': (n, v) => `import os\n\n${n} = '${v}'\nclient = make(${n})\n`,
  '.env': (n, v) => `NODE_ENV=production\n${n}=${v}\nPORT=8080\n`,
  'config.json': (n, v) => `{\n  "name": "app",\n  "${n}": "${v}",\n  "port": 8080\n}\n`,
  'values.yaml': (n, v) => `app:\n  settings:\n    ${n}: ${v}\n    port: 8080\n`,
  'README.md': (n, v) => `# Setup\n\nSet the key:\n\n\`\`\`sh\nexport ${n}="${v}"\n\`\`\`\n`,
  'index.html': (n, v) => `<!doctype html><html><body><script>window.cfg = { ${n}: '${v}' };</script></body></html>\n`,
  'bundle.min.js': (n, v) => `!function(e){var t={};e.a=function(){return t}}({});var o={${n}:"${v}",u:"https://x"};module.exports=o;`,
};

describe('random keys of every kind in every file type', () => {
  it('are all found (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...Object.keys(KINDS)).chain((kind) => fc.tuple(fc.constant(kind), KINDS[kind]!.value)),
        fc.constantFrom(...Object.keys(FILE_TYPES)),
        ([kind, value], file) => {
          const text = FILE_TYPES[file]!(KINDS[kind]!.name, value);
          const found = detect({ text, path: file }, set);
          return found.some((f) => f.rawSecret === value);
        },
      ),
      // 48 kind and file-type pairs, each met about 30 times; the 100,000 keys below are the exhaustive check.
      { numRuns: 1500, seed: 2020 },
    );
  });

  it('finds every one of 100,000 distinct random standard keys', () => {
    const keys = [...new Set(fc.sample(KINDS['google-api-key']!.value, { numRuns: 100_000, seed: 100_000 }))];
    expect(keys.length).toBeGreaterThan(99_990);
    const text = keys.map((k, i) => `KEY_${i}=${k}`).join('\n');
    const found = new Set(detect({ text, path: 'keys.env' }, set).map((f) => f.rawSecret));
    expect(keys.filter((k) => !found.has(k)).length).toBe(0);
  });
});
