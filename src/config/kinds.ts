// Kind files (rules/kinds/<kind>.yaml and _shared.yaml): validate what was parsed into one KindTable. Pure: the schema
// check (rules/kind.schema.json), then what a schema cannot say: every kind has a file, every `use` names a fragment,
// every `after`/`before` and `{deadline:NAME}` names a deadline, every placeholder is known, `insert` only where it
// can go. Reading the files is kind-file.ts.
import type { ErrorObject } from 'ajv';
import { KINDS, type ChecklistConditions, type ChecklistEntry, type Kind, type KindData, type KindTable, type Result, type SharedKindData } from '../types.js';
import { describeSchemaError, pointerToPath, type RuleError } from './schema-errors.js';
import { kindValidators } from './kind-validator.js';

/** The file of what every checklist shares (not a kind). */
export const SHARED_KIND_FILE = '_shared.yaml';

/** Condition names an entry's `when`/`unless` may test (docs/credential-kinds.md). */
export const CONDITION_NAMES = ['history', 'staged', 'client', 'firebase', 'notInGit', 'secretsFile', 'tracked', 'refs', 'verification', 'after', 'before'] as const satisfies readonly (keyof ChecklistConditions)[];

/** Placeholders a text may hold, besides `{deadline:NAME}`. */
export const PLACEHOLDERS = ['window', 'refs', 'files'] as const;

/** One parsed file: its name in the folder, how errors name it, its data, and the line of a field when known. */
export interface KindFileInput {
  name: string;
  source: string;
  data: unknown;
  locate?: (path: (string | number)[]) => number | undefined;
}

type Path = (string | number)[];

function describeKindSchemaError(e: ErrorObject): { field: string; message: string } {
  const path = pointerToPath(e.instancePath);
  const last = path.at(-1);
  if (e.keyword === 'additionalProperties' && (last === 'when' || last === 'unless')) {
    return { field: [...path, String(e.params['additionalProperty'])].join('.'), message: `is not a known condition: use ${CONDITION_NAMES.join(', ')}` };
  }
  const oneOf = path.includes('prefixes') ? 'needs exactly one of literal or pattern' : 'needs exactly one of text, use or insert';
  return describeSchemaError(e, oneOf);
}

function schemaErrors(validate: ReturnType<typeof kindValidators>['kind'], file: KindFileInput): RuleError[] {
  if (validate(file.data)) return [];
  const errors = (validate.errors ?? [])
    // Inside a oneOf, the missing alternatives are noise: the oneOf error says what is needed.
    .filter((e, _i, all) => !(e.keyword === 'required' && e.schemaPath.includes('/oneOf/') && all.some((o) => o.keyword === 'oneOf' && o.instancePath === e.instancePath)))
    .map((e) => {
      const { field, message } = describeKindSchemaError(e);
      const line = file.locate?.(pointerToPath(e.instancePath));
      return { source: file.source, field, message, ...(line ? { line } : {}) };
    });
  return dedupe(errors);
}

function dedupe(errors: RuleError[]): RuleError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.source}\0${e.field}\0${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Validate the files of a kind folder as a whole. `dir`: how errors name the folder (`rules/kinds/`). Pure. */
export function validateKindFiles(files: KindFileInput[], dir: string): Result<KindTable, RuleError> {
  const validators = kindValidators();
  const errors: RuleError[] = [];
  let shared: { file: KindFileInput; data: SharedKindData } | undefined;
  const kinds = new Map<Kind, { file: KindFileInput; data: KindData }>();
  for (const file of files) {
    if (file.name === SHARED_KIND_FILE) {
      const found = schemaErrors(validators.shared, file);
      errors.push(...found);
      if (found.length === 0) shared = { file, data: file.data as SharedKindData };
      continue;
    }
    const kind = file.name.replace(/\.ya?ml$/, '');
    if (!(KINDS as readonly string[]).includes(kind)) {
      errors.push({ source: file.source, field: '', message: `'${kind}' is not a kind: name a kind file after one of ${KINDS.join(', ')} (src/types.ts KINDS)` });
      continue;
    }
    const found = schemaErrors(validators.kind, file);
    errors.push(...found);
    if (found.length === 0) kinds.set(kind as Kind, { file, data: file.data as KindData });
  }
  const names = new Set(files.map((f) => f.name));
  if (!names.has(SHARED_KIND_FILE)) errors.push({ source: `${dir}${SHARED_KIND_FILE}`, field: '', message: 'is missing: it holds the notes and steps every checklist shares' });
  for (const kind of KINDS) {
    if (!names.has(`${kind}.yaml`)) errors.push({ source: `${dir}${kind}.yaml`, field: '', message: `is missing: every kind needs a file with its label and steps (copy another kind's file)` });
  }
  // The references of every file the schema accepted, so one run names every problem.
  if (shared) errors.push(...checkReferences(shared, kinds));
  if (errors.length > 0 || !shared) return { ok: false, errors: dedupe(errors) };
  const table: KindTable = { shared: shared.data, kinds: Object.fromEntries(KINDS.map((k) => [k, kinds.get(k)!.data])) as Record<Kind, KindData> };
  return { ok: true, value: table };
}

/** What a schema cannot check: names that refer elsewhere, placeholders, where `insert` may go, prefix patterns. */
function checkReferences(shared: { file: KindFileInput; data: SharedKindData }, kinds: Map<Kind, { file: KindFileInput; data: KindData }>): RuleError[] {
  const errors: RuleError[] = [];
  const at = (file: KindFileInput, path: Path, message: string): void => {
    const line = file.locate?.(path);
    errors.push({ source: file.source, field: path.join('.'), message, ...(line ? { line } : {}) });
  };
  const fragments = shared.data.fragments ?? {};
  for (const part of ['notes', 'steps'] as const) {
    const inserts = shared.data[part].flatMap((e, i) => ('insert' in e && e.insert === 'kind' ? [i] : []));
    if (inserts.length !== 1) at(shared.file, [part], `needs \`insert: kind\` exactly once (where each kind's own ${part} go), not ${inserts.length} times`);
  }
  shared.data.notes.forEach((e, i) => {
    if ('insert' in e && e.insert === 'hygiene') at(shared.file, ['notes', i, 'insert'], '`insert: hygiene` gives steps: put it in steps');
  });
  for (const [name, entries] of Object.entries(fragments)) {
    entries.forEach((e, i) => {
      if ('use' in e) at(shared.file, ['fragments', name, i, 'use'], 'a fragment cannot use another fragment: list its entries here');
      if ('insert' in e) at(shared.file, ['fragments', name, i, 'insert'], 'insert is for the notes and steps of _shared.yaml only');
    });
  }
  for (const [kind, { file, data }] of kinds) {
    for (const name of Object.keys(data.deadlines ?? {})) {
      if (shared.data.deadlines?.[name]) at(file, ['deadlines', name], `is defined in ${shared.file.source} too: give it one home`);
    }
    (data.prefixes ?? []).forEach((p, i) => {
      if (p.pattern === undefined) return;
      try {
        new RegExp(`^(?:${p.pattern})`);
      } catch (err) {
        at(file, ['prefixes', i, 'pattern'], `invalid regular expression: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`);
      }
    });
    const deadlines = { ...shared.data.deadlines, ...data.deadlines };
    // Each entry a checklist of this kind can show, with the file and path that hold it.
    const visit = (owner: KindFileInput, entries: ChecklistEntry[], path: Path, where: 'shared' | 'kind' | 'fragment'): void => {
      entries.forEach((e, i) => {
        const here = [...path, i];
        for (const key of ['when', 'unless'] as const) {
          for (const test of ['after', 'before'] as const) {
            const name = e[key]?.[test];
            if (name !== undefined && !deadlines[name]) at(owner, [...here, key, test], notADeadline(name, owner === file ? kind : undefined));
          }
        }
        if ('text' in e) checkText(e.text, deadlines, (message) => at(owner, [...here, 'text'], message), owner === file ? kind : undefined);
        else if ('use' in e) {
          const fragment = fragments[e.use];
          if (!fragment) at(owner, [...here, 'use'], `'${e.use}' is not a fragment of ${shared.file.source}`);
          else if (where !== 'fragment') visit(shared.file, fragment, ['fragments', e.use], 'fragment');
        } else if ('insert' in e && where === 'kind') at(owner, [...here, 'insert'], 'insert is for the notes and steps of _shared.yaml only');
      });
    };
    visit(shared.file, shared.data.notes, ['notes'], 'shared');
    visit(shared.file, shared.data.steps, ['steps'], 'shared');
    visit(file, data.notes ?? [], ['notes'], 'kind');
    visit(file, data.steps, ['steps'], 'kind');
  }
  return errors;
}

/** Every `{…}` must be a known placeholder; a brace is never literal text. */
/** A kind's own entry names its kind; a shared one is shown by every kind, so it needs a shared deadline. */
function notADeadline(name: string, kind: Kind | undefined): string {
  return kind ? `'${name}' is not a deadline of ${kind}: define it under deadlines` : `'${name}' is not a deadline of every kind that shows this: define it under deadlines in _shared.yaml`;
}

function checkText(text: string, deadlines: Record<string, unknown>, fail: (message: string) => void, kind: Kind | undefined): void {
  const rest = text.replace(/\{([^{}]*)\}/g, (whole, name: string) => {
    const deadline = /^deadline:(.+)$/.exec(name);
    if (deadline) {
      if (!deadlines[deadline[1]!]) fail(`{${name}}: ${notADeadline(deadline[1]!, kind)}`);
    } else if (!(PLACEHOLDERS as readonly string[]).includes(name)) {
      fail(`{${name}} is not a placeholder: use ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')} or {deadline:NAME}`);
    }
    return '';
  });
  if (/[{}]/.test(rest)) fail('has a brace that is not part of a placeholder ({window}, {refs}, {files}, {deadline:NAME})');
}
