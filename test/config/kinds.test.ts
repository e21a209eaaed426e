// Kind files (rules/kinds/): the built-in folder is valid and covers every kind; a broken file gives one clear error
// naming the file, the line and the field; rules refer to a kind's situation note by name.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseKindTexts, readKindDir } from '../../src/config/kind-file.js';
import { formatRuleError } from '../../src/config/schema-errors.js';
import { parseRuleFile } from '../../src/config/rule-file.js';
import { BUILTIN_KINDS } from '../../src/config/builtin-kinds-data.js';
import { renderChecklist } from '../../src/report/response.js';
import { KINDS } from '../../src/types.js';
import { RULES_DIR } from '../helpers/rules.js';

const KINDS_DIR = join(RULES_DIR, 'kinds');
const files = (): Map<string, string> => new Map(readdirSync(KINDS_DIR).filter((n) => n.endsWith('.yaml')).map((n) => [n, readFileSync(join(KINDS_DIR, n), 'utf8')]));

/** The built-in files with one of them changed by `edit` (or removed when it returns undefined). */
function parseWith(name: string, edit: (text: string) => string | undefined) {
  const all = files();
  const text = edit(all.get(name) ?? '');
  if (text === undefined) all.delete(name);
  else all.set(name, text);
  return parseKindTexts([...all].map(([n, t]) => ({ name: n, text: t })));
}

/** The errors of a broken folder, as keyguard prints them. */
function errorsOf(result: ReturnType<typeof parseKindTexts>): string[] {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors.map(formatRuleError);
}

/** Replace exactly one occurrence, so the test fails when the file no longer holds what it edits. */
function once(from: string, to: string): (text: string) => string {
  return (text) => {
    expect(text.split(from).length - 1, from).toBe(1);
    return text.replace(from, to);
  };
}

const lineOf = (name: string, needle: string): number => files().get(name)!.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('built-in kind files', () => {
  it('are valid, one per kind, each with a label and steps in every situation', () => {
    const read = readKindDir(KINDS_DIR);
    expect(read.ok ? [] : read.errors.map(formatRuleError)).toEqual([]);
    if (!read.ok) return;
    expect(Object.keys(read.value.kinds).sort()).toEqual([...KINDS].sort());
    for (const kind of KINDS) {
      expect(read.value.kinds[kind].label, kind).not.toBe('');
      for (const history of [false, true]) {
        for (const firebase of [false, true]) {
          const s = { history, staged: false, client: false, firebase, notInGit: false };
          expect(renderChecklist(kind, s, read.value).steps.length, `${kind} ${JSON.stringify(s)}`).toBeGreaterThan(0);
        }
      }
    }
  });

  it('are what the sources run with', () => {
    const read = readKindDir(KINDS_DIR);
    expect(read.ok && read.value).toEqual(BUILTIN_KINDS);
  });
});

describe('a broken kind file', () => {
  it('names the file, line and field of an unknown condition, once', () => {
    const result = parseWith('hmac-key.yaml', (t) => `${t}  - when: { histroy: true }\n    text: Rewrite it.\n`);
    const errors = errorsOf(result);
    const line = files().get('hmac-key.yaml')!.trimEnd().split('\n').length + 1;
    expect(errors).toEqual([`rules/kinds/hmac-key.yaml:${line}: field 'steps.5.when.histroy': is not a known condition: use history, staged, client, firebase, notInGit, secretsFile, tracked, refs, verification, after, before`]);
  });

  it('names a missing label', () => {
    expect(errorsOf(parseWith('hmac-key.yaml', once('label: Cloud Storage HMAC key\n', '')))).toEqual([expect.stringMatching(/^rules\/kinds\/hmac-key\.yaml(:\d+)?: field 'label': is required$/)]);
  });

  it('names a kind without a file, and a file that is no kind', () => {
    expect(errorsOf(parseWith('fcm-server-key.yaml', () => undefined))).toEqual([expect.stringMatching(/^rules\/kinds\/fcm-server-key\.yaml: is missing: every kind needs a file/)]);
    const result = parseKindTexts([...files()].map(([name, text]) => ({ name, text })).concat({ name: 'aws-key.yaml', text: 'label: AWS\nsteps: [{ text: Rotate. }]\n' }));
    expect(errorsOf(result)).toEqual([expect.stringMatching(/^rules\/kinds\/aws-key\.yaml: 'aws-key' is not a kind: name a kind file after one of google-api-key, /)]);
  });

  it('names a fragment, a deadline or a placeholder that does not exist', () => {
    const line = lineOf('gemini-auth-key.yaml', 'use: rotate-api-key');
    expect(errorsOf(parseWith('gemini-auth-key.yaml', once('use: rotate-api-key', 'use: rotate-key')))).toEqual([
      `rules/kinds/gemini-auth-key.yaml:${line}: field 'steps.1.use': 'rotate-key' is not a fragment of rules/kinds/_shared.yaml`,
    ]);
    expect(errorsOf(parseWith('google-api-key.yaml', once('{ firebase: true, after: all-standard-keys-rejected }', '{ firebase: true, after: all-keys-rejected }')))).toEqual([
      expect.stringMatching(/^rules\/kinds\/google-api-key\.yaml:\d+: field 'notes\.0\.when\.after': 'all-keys-rejected' is not a deadline of google-api-key: define it under deadlines$/),
    ]);
    expect(errorsOf(parseWith('google-api-key.yaml', once('since {deadline:all-standard-keys-rejected} the Gemini\n', 'since {deadline:september} the Gemini\n')))).toEqual([
      expect.stringMatching(/^rules\/kinds\/google-api-key\.yaml:\d+: field 'notes\.0\.text': \{deadline:september\}: 'september' is not a deadline of google-api-key/),
    ]);
    expect(errorsOf(parseWith('hmac-key.yaml', once('Audit {window}:', 'Audit {exposure}:')))).toEqual([
      expect.stringMatching(/^rules\/kinds\/hmac-key\.yaml:\d+: field 'steps\.3\.text': \{exposure\} is not a placeholder: use \{window\}, \{refs\}, \{files\} or \{deadline:NAME\}$/),
    ]);
    expect(errorsOf(parseWith('hmac-key.yaml', once('Audit {window}:', 'Audit {window:')))).toEqual([expect.stringMatching(/field 'steps\.3\.text': has a brace that is not part of a placeholder/)]);
  });

  it('a deadline in a shared entry must be shared', () => {
    const errors = errorsOf(parseWith('_shared.yaml', once('  - when: { client: true }\n    text: >-\n      It is in code', '  - when: { client: true, after: all-standard-keys-rejected }\n    text: >-\n      It is in code')));
    // Shown by every kind, and google-api-key alone has that deadline: one error, on the shared file.
    expect(errors).toEqual([expect.stringMatching(/^rules\/kinds\/_shared\.yaml:\d+: field 'notes\.9\.when\.after': 'all-standard-keys-rejected' is not a deadline of every kind that shows this: define it under deadlines in _shared\.yaml$/)]);
  });

  it('keeps insert where it can go', () => {
    expect(errorsOf(parseWith('hmac-key.yaml', (t) => `${t}  - insert: kind\n`))).toEqual([expect.stringMatching(/hmac-key\.yaml:\d+: field 'steps\.5\.insert': insert is for the notes and steps of _shared\.yaml only$/)]);
    expect(errorsOf(parseWith('_shared.yaml', once('  - insert: kind\n\nsteps:', '\nsteps:')))).toEqual([expect.stringMatching(/_shared\.yaml:\d+: field 'notes': needs `insert: kind` exactly once .*, not 0 times$/)]);
  });

  it('needs exactly one of literal or pattern in a prefix, and a pattern that compiles', () => {
    expect(errorsOf(parseWith('oauth-client-secret.yaml', once('  - literal: GOCSPX-\n', '  - literal: GOCSPX-\n    pattern: GOCSPX\n')))).toEqual([
      expect.stringMatching(/oauth-client-secret\.yaml:\d+: field 'prefixes\.0': needs exactly one of literal or pattern$/),
    ]);
    expect(errorsOf(parseWith('fcm-server-key.yaml', once("'AAAA[A-Za-z0-9_-]{7}:'", "'AAAA[A-Za-z0-9_-{7}:'")))).toEqual([
      expect.stringMatching(/fcm-server-key\.yaml:\d+: field 'prefixes\.0\.pattern': invalid regular expression: /),
    ]);
  });

  it('gives the line of a YAML error, and still checks the other files', () => {
    const errors = errorsOf(parseWith('hmac-key.yaml', (t) => `${t}steps: [\n`));
    expect(errors).toEqual([expect.stringMatching(/^rules\/kinds\/hmac-key\.yaml:\d+: not valid YAML: /)]);
  });
});

describe("a rule context's situation", () => {
  const rule = (kind: string) =>
    `id: my-rule\ntitle: My rule\ndescription: Finds things\nseverity: high\nkind: ${kind}\nkeywords: [abc]\npattern: 'abc(?<secret>[0-9]{20})'\n` +
    `context:\n  - pattern: firebaseConfig\n    severity: medium\n    situation: firebase\nexamples: ['abc12345678901234567890']\nnegativeExamples: ['abc123']\n`;

  it("gives the finding the note its kind file gives the situation", () => {
    const r = parseRuleFile(rule('google-api-key'), 'rules/my-rule.yaml');
    expect(r.ok && r.value.context[0]!.note).toBe(BUILTIN_KINDS.kinds['google-api-key'].situations!.firebase!.note);
  });

  it('is an error for a kind without that situation, and beside a note', () => {
    const r = parseRuleFile(rule('generic-secret'), 'rules/my-rule.yaml');
    expect(r.ok ? [] : r.errors.map(formatRuleError)).toEqual(["rules/my-rule.yaml:11: field 'context.0.situation': kind generic-secret has no firebase situation (rules/kinds/generic-secret.yaml situations); write a note instead"]);
    const both = parseRuleFile(rule('google-api-key').replace('situation: firebase', 'situation: firebase\n    note: Firebase.'), 'rules/my-rule.yaml');
    expect(both.ok ? [] : both.errors.map(formatRuleError)).toEqual([expect.stringMatching(/^rules\/my-rule\.yaml:\d+: field 'context\.0': needs exactly one of note or situation$/)]);
  });
});
