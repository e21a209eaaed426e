// The checklist interpreter: kind data + situation → notes and steps. A small table of its own shows each piece of the
// language (when, unless, after/before, use, insert, placeholders); the built-in data shows how Firebase keys are known.
import { describe, expect, it } from 'vitest';
import { kindLabel, planLeakResponse, renderChecklist, type Situation } from '../../src/report/response.js';
import { BUILTIN_KINDS } from '../../src/config/builtin-kinds-data.js';
import type { Finding, KindData, KindTable } from '../../src/types.js';
import { scanResult } from './fixture.js';

const base: Situation = { history: false, staged: false, client: false, firebase: false, notInGit: false };

const hmac: KindData = {
  label: 'Test key',
  deadlines: { cutoff: { date: '2026-06-19', says: '19 June 2026' } },
  notes: [
    { when: { before: 'cutoff' }, text: 'Works until {deadline:cutoff}.' },
    { when: { after: 'cutoff' }, text: 'Rejected since {deadline:cutoff}.' },
  ],
  steps: [
    { text: 'Replace it.' },
    { use: 'deploy' },
    { unless: { staged: true, client: true }, text: 'Audit {window}.' },
    { when: { history: true }, text: 'Clean {files}.' },
  ],
};

const table: KindTable = {
  shared: {
    fragments: { deploy: [{ when: { client: false }, text: 'Deploy on the server.' }, { when: { client: true }, text: 'Deploy behind a backend.' }] },
    notes: [{ when: { verification: 'live' }, text: 'Live.' }, { insert: 'kind' }, { when: { tracked: true }, text: 'Tracked.' }],
    steps: [{ insert: 'hygiene' }, { insert: 'kind' }, { when: { history: true, refs: true }, text: 'Force-push {refs}.' }],
  },
  kinds: Object.fromEntries(Object.keys(BUILTIN_KINDS.kinds).map((k) => [k, hmac])) as KindTable['kinds'],
};

describe('checklist interpreter', () => {
  it('applies when, unless and the named deadlines, in the order of the data', () => {
    expect(renderChecklist('hmac-key', { ...base, today: '2026-06-18' }, table)).toEqual({
      notes: ['Works until 19 June 2026.'],
      steps: ['Replace it.', 'Deploy on the server.', 'Audit for the whole time it was exposed (`keyguard history` finds the commit that introduced it).'],
    });
    // On the day itself the deadline has passed; without a date it has not.
    expect(renderChecklist('hmac-key', { ...base, today: '2026-06-19' }, table).notes).toEqual(['Rejected since 19 June 2026.']);
    expect(renderChecklist('hmac-key', base, table).notes).toEqual(['Works until 19 June 2026.']);
    // unless: every one of its conditions must hold to leave the entry out.
    expect(renderChecklist('hmac-key', { ...base, staged: true }, table).steps).toContain('Audit for the whole time it was exposed (`keyguard history` finds the commit that introduced it).');
    expect(renderChecklist('hmac-key', { ...base, staged: true, client: true }, table).steps).toEqual(['Replace it.', 'Deploy behind a backend.']);
  });

  it('puts the shared entries around the kind, and fills the placeholders from the situation', () => {
    const s: Situation = {
      ...base,
      history: true,
      verification: 'live',
      window: { credential: 'c', firstCommitted: { date: '2026-01-02T00:00:00Z', commit: 'a'.repeat(40) }, presentAtHead: true, refs: ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'] },
      files: { files: ['my key.json'], tracked: ['my key.json'], gitignore: [], chmod: ['my key.json'] },
    };
    const { notes, steps } = renderChecklist('hmac-key', s, table);
    expect(notes).toEqual(['Live.', 'Works until 19 June 2026.', 'Tracked.']);
    expect(steps).toEqual([
      "Make it readable only by you: `chmod 600 'my key.json'`.",
      'Replace it.',
      'Deploy on the server.',
      'Audit since 2026-01-02, when it was committed (commit aaaaaaaaaaaa), until now (it is still in HEAD).',
      "Clean 'my key.json'.",
      'Force-push r1, r2, r3, r4, r5, r6, +1 more.',
    ]);
  });

  it('takes the label from the kind file', () => {
    expect(kindLabel('fcm-server-key', table)).toBe('Test key');
    expect(kindLabel('fcm-server-key')).toBe(BUILTIN_KINDS.kinds['fcm-server-key'].label);
  });
});

describe('Firebase web config keys', () => {
  const key = scanResult.findings.find((f) => f.kind === 'google-api-key')!;
  const firebaseNote = BUILTIN_KINDS.kinds['google-api-key'].situations!.firebase!.note;
  const plan = (f: Finding) => planLeakResponse({ mode: 'scan', findings: [f] })[0]!;

  it('are known by the note their kind file gives the situation, not by words in a note', () => {
    expect(plan({ ...key, note: firebaseNote }).situation.firebase).toBe(true);
    expect(plan({ ...key, note: 'Looks like a Firebase config, maybe.' }).situation.firebase).toBe(false);
    expect(plan({ ...key }).situation.firebase).toBe(false);
    // Another kind with the same note is not a Firebase key: only google-api-key's file has the situation.
    expect(plan({ ...key, kind: 'gemini-auth-key', note: firebaseNote }).situation.firebase).toBe(false);
  });

  it('follow the kind data passed in', () => {
    const other: KindTable = { ...BUILTIN_KINDS, kinds: { ...BUILTIN_KINDS.kinds, 'google-api-key': { ...BUILTIN_KINDS.kinds['google-api-key'], situations: { firebase: { note: 'web config' } } } } };
    expect(planLeakResponse({ mode: 'scan', findings: [{ ...key, note: 'web config' }] }, undefined, other)[0]!.situation.firebase).toBe(true);
    expect(planLeakResponse({ mode: 'scan', findings: [{ ...key, note: firebaseNote }] }, undefined, other)[0]!.situation.firebase).toBe(false);
  });
});
