import { describe, expect, it } from 'vitest';
import { planLeakResponse, renderChecklist } from '../../src/report/response.js';
import { KINDS, type Finding } from '../../src/types.js';
import { historyResult, scanResult } from './fixture.js';

const base = { history: false, staged: false, client: false, firebase: false, notInGit: false };

describe('leak-response checklist', () => {
  it('is planned once per credential, not once per finding', () => {
    const plans = planLeakResponse(scanResult);
    expect(scanResult.findings).toHaveLength(5);
    expect(plans).toHaveLength(4);
    const key = plans.find((p) => p.credential === '3f9a1c0e5b7d2a4c')!;
    expect(key.findings).toHaveLength(2);
  });

  it('orders the steps: replace, deploy, only then disable, audit, restrict', () => {
    const { steps } = renderChecklist('gemini-auth-key', base);
    expect(steps[0]).toMatch(/^Create a replacement/);
    expect(steps[1]).toMatch(/^Deploy it/);
    expect(steps[2]).toMatch(/^Only then disable or delete/);
    expect(steps[3]).toMatch(/^Audit usage and billing/);
    expect(steps[4]).toMatch(/restricted/);
  });

  it('gives standard keys the migration to auth keys with Google dates', () => {
    const { notes, steps } = renderChecklist('google-api-key', base);
    expect(notes.join(' ')).toMatch(/rejects unrestricted standard keys from 19 June 2026 and all standard keys from September 2026/);
    expect(steps[0]).toMatch(/auth key/);
    expect(renderChecklist('gemini-auth-key', base).notes.join(' ')).not.toMatch(/June 2026/);
  });

  it("words Google's standard-key deadlines for the date the CLI passed in", () => {
    const note = (today: string, firebase = false) => renderChecklist('google-api-key', { ...base, today, firebase }).notes.join(' ');
    expect(note('2026-03-01')).toMatch(/rejects unrestricted standard keys from 19 June 2026 and all standard keys from September 2026/);
    expect(note('2026-07-01')).toMatch(/since 19 June 2026 the Gemini API rejects unrestricted standard keys, and from September 2026 it rejects all of them/);
    const after = note('2026-12-01');
    expect(after).toMatch(/since September 2026 the Gemini API rejects every standard key/);
    expect(after).toMatch(/may still be live for the other Google APIs on its project \(Maps, Firebase/);
    expect(after).toMatch(/Restrict or delete it, and move the app to an auth key/);
    expect(note('2026-12-01', true)).toMatch(/Keep the Gemini API off this key/);
  });

  it('says deleting the line does not unpublish a history leak, and puts the rewrite last and optional', () => {
    const { notes, steps } = renderChecklist('google-api-key', { ...base, history: true });
    expect(notes.join(' ')).toMatch(/does not unpublish it/);
    expect(steps.at(-1)).toMatch(/^Optional, and only after rotating: rewrite history/);
    expect(renderChecklist('google-api-key', base).steps.join(' ')).not.toMatch(/rewrite history/);
  });

  it('moves client-side keys behind a backend and names ephemeral tokens for the Live API', () => {
    const { steps } = renderChecklist('gemini-auth-key', { ...base, client: true });
    expect(steps.join(' ')).toMatch(/behind your backend/);
    expect(steps.join(' ')).toMatch(/Live API.*ephemeral tokens/);
  });

  it('has its own steps for secrets, tokens, service-account keys, user credentials, FCM and HMAC keys', () => {
    expect(renderChecklist('oauth-client-secret', base).steps[0]).toMatch(/new client secret.*Reset secret/);
    expect(renderChecklist('oauth-refresh-token', base).steps[0]).toMatch(/^Revoke/);
    expect(renderChecklist('oauth-access-token', base).steps[0]).toMatch(/^Revoke/);
    expect(renderChecklist('service-account-key', base).steps.join(' ')).toMatch(/gcloud iam service-accounts keys delete/);
    expect(renderChecklist('authorized-user', base).steps[0]).toMatch(/gcloud auth application-default revoke/);
    expect(renderChecklist('fcm-server-key', base).steps[0]).toMatch(/HTTP v1/);
    expect(renderChecklist('hmac-key', base).steps.join(' ')).toMatch(/--deactivate/);
    for (const kind of KINDS) expect(renderChecklist(kind, base).steps.length).toBeGreaterThan(2);
  });

  it('dates the exposure window from the earliest commit in history mode', () => {
    const plan = planLeakResponse(historyResult)[0]!;
    expect(plan.situation.since).toEqual({ date: '2026-02-14T09:30:00Z', commit: '2'.repeat(40) });
    // With the history scan's exposure window: until now, and where it still is.
    expect(plan.steps.join(' ')).toMatch(/since 2026-02-14, when it was committed \(commit 222222222222\), until now \(it left HEAD's branch on 2026-06-01/);
    expect(plan.steps.at(-1)).toMatch(/force-push every ref that still reaches it \(refs\/heads\/main, refs\/heads\/feature\)/);
    // Without one, from the findings' earliest commit.
    const token = planLeakResponse(historyResult).find((p) => p.kind === 'oauth-refresh-token')!;
    expect(token.steps.join(' ')).toMatch(/since 2026-04-01 \(commit 333333333333\)/);
  });

  it('lists live credentials first once --verify marks them', () => {
    const findings = scanResult.findings.map((f): Finding => (f.credential === '9988776655443322' ? ({ ...f, verification: { status: 'live', reason: 'HTTP 200' } } as unknown as Finding) : f));
    const plans = planLeakResponse({ mode: 'scan', findings });
    expect(plans[0]!.credential).toBe('9988776655443322');
    expect(plans[0]!.notes[0]).toMatch(/Google accepted this key/);
    const invalid = scanResult.findings.map((f): Finding => (f.kind === 'service-account-key' ? ({ ...f, verification: { status: 'invalid', reason: 'HTTP 400' } } as unknown as Finding) : f));
    expect(planLeakResponse({ mode: 'scan', findings: invalid }).at(-1)!.kind).toBe('service-account-key');
  });

  it('tells a staged leak apart from a committed one', () => {
    const plan = planLeakResponse({ mode: 'staged', findings: [scanResult.findings[0]!] })[0]!;
    expect(plan.notes[0]).toMatch(/staged, not yet committed/);
  });
});
