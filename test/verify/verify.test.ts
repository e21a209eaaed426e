import { describe, expect, it } from 'vitest';
import type { Finding, RawFinding, ScanResult } from '../../src/types.js';
import { credentialId } from '../../src/filter/fingerprint.js';
import { keepVerifiableSecrets, renderVerifySummary, verifyCredentials, withVerification } from '../../src/verify/verify.js';
import type { ProbeOutcome } from '../../src/verify/classify.js';
import { stubAnswer } from '../helpers/google-stub.js';
import { fakeClientSecret, fakeGeminiAuthKey, fakeGoogleApiKey } from '../helpers/keys.js';

function finding(kind: Finding['kind'], secret: string, file = 'a.js'): Finding {
  const credential = credentialId(kind, secret);
  return { ruleId: kind, title: kind, severity: 'high', kind, file, line: 1, column: 1, endLine: 1, endColumn: 2, secret: 'AIza…xxxx', credential, fingerprint: `${credential}:${file}`, entropy: 4, exposure: 'server', excerpt: '' };
}

const live = (): ProbeOutcome => ({ type: 'response', ...stubAnswer('live', '') });

describe('verifyCredentials', () => {
  it('sends one request per credential, never one per finding, and only for API keys and auth keys', async () => {
    const a = fakeGoogleApiKey(1);
    const b = fakeGeminiAuthKey(2);
    const c = fakeClientSecret(3);
    const findings = [finding('google-api-key', a, 'x.js'), finding('google-api-key', a, 'y.js'), finding('gemini-auth-key', b), finding('oauth-client-secret', c)];
    const secrets = new Map<string, string>();
    keepVerifiableSecrets(
      findings.map((f, i) => ({ kind: f.kind, rawSecret: [a, a, b, c][i]! }) as RawFinding),
      secrets,
    );
    expect(secrets.size).toBe(2);
    const probed: string[] = [];
    const verdicts = await verifyCredentials(findings, secrets, { probe: async (k) => (probed.push(k), live()) });
    expect(probed.sort()).toEqual([a, b].sort());
    const result = withVerification({ mode: 'scan', findings, skipped: [], notes: [], stats: { files: 1, bytes: 1, binary: 0, skipped: 0, findings: 4, durationMs: 1 } } as ScanResult, verdicts);
    expect(result.findings.map((f) => f.verification?.status)).toEqual(['live', 'live', 'live', 'unverified']);
    expect(renderVerifySummary(result.findings)).toBe('verify: 2 live, 1 unverifiable; act now: 2 live keys can be used by anyone who copied them');
  });

  it('runs at most `concurrency` requests at once and at most maxKeys in all', async () => {
    const keys = Array.from({ length: 12 }, (_, i) => fakeGoogleApiKey(100 + i));
    const findings = keys.map((k) => finding('google-api-key', k));
    const secrets = new Map(keys.map((k) => [credentialId('google-api-key', k), k]));
    let running = 0;
    let peak = 0;
    const verdicts = await verifyCredentials(findings, secrets, {
      concurrency: 4,
      maxKeys: 10,
      probe: async () => {
        peak = Math.max(peak, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        return live();
      },
    });
    expect(peak).toBe(4);
    const statuses = [...verdicts.values()].map((v) => v.status);
    expect(statuses.filter((s) => s === 'live')).toHaveLength(10);
    expect([...verdicts.values()].filter((v) => /more than 10 keys/.test(v.reason))).toHaveLength(2);
  });

  it('a probe that throws is an error verdict, and a reason never carries the key', async () => {
    const k = fakeGoogleApiKey(7);
    const f = finding('google-api-key', k);
    const verdicts = await verifyCredentials([f], new Map([[f.credential, k]]), {
      probe: async () => {
        throw new Error(`boom ${k}`);
      },
    });
    expect(verdicts.get(f.credential)?.status).toBe('error');
    expect(JSON.stringify([...verdicts.values()])).not.toContain(k);
  });

  it('summarises by credential', () => {
    const f = (status: 'live' | 'invalid' | 'error', seed: number): Finding => ({ ...finding('google-api-key', fakeGoogleApiKey(seed)), verification: { status, reason: 'r' } });
    expect(renderVerifySummary([f('invalid', 1), f('invalid', 1), f('error', 2)])).toBe('verify: 1 invalid, 1 error');
    expect(renderVerifySummary([])).toBe('verify: nothing to verify');
  });
});
