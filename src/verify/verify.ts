// --verify orchestration: which credentials to check, at most MAX_CONCURRENT at once and MAX_KEYS per run, one request
// per credential whatever the number of places it was found; verdicts attached to every finding of the credential.
// No I/O here: the probe (src/verify/http.ts) is passed in.
import type { Finding, Kind, RawFinding, ScanResult, Verification } from '../types.js';
import { credentialId } from '../filter/fingerprint.js';
import { redactSecret } from '../mask/redact.js';
import { classifyProbe, type ProbeOutcome, type VerificationStatus } from './classify.js';

/** Standard API keys and Gemini auth keys: what one GET /v1beta/models can check. */
export const VERIFIABLE_KINDS: ReadonlySet<Kind> = new Set<Kind>(['google-api-key', 'gemini-auth-key']);
export const MAX_CONCURRENT = 4;
export const MAX_KEYS = 50;

export const UNVERIFIABLE: Verification = { status: 'unverified', reason: 'keyguard verifies only API keys and Gemini auth keys' };

/** Add the raw secrets of verifiable findings to `into`, by credential id (in memory only, and only with --verify). */
export function keepVerifiableSecrets(raw: readonly RawFinding[], into: Map<string, string>): void {
  for (const r of raw) if (VERIFIABLE_KINDS.has(r.kind)) into.set(credentialId(r.kind, r.rawSecret), r.rawSecret);
}

export interface VerifyOptions {
  probe: (key: string) => Promise<ProbeOutcome>;
  concurrency?: number;
  maxKeys?: number;
}

/** One verdict per verifiable credential of the findings, in the order they were first found. */
export async function verifyCredentials(findings: readonly Finding[], secrets: ReadonlyMap<string, string>, options: VerifyOptions): Promise<Map<string, Verification>> {
  const concurrency = Math.max(1, options.concurrency ?? MAX_CONCURRENT);
  const maxKeys = options.maxKeys ?? MAX_KEYS;
  const verdicts = new Map<string, Verification>();
  const queue: { credential: string; secret: string }[] = [];
  const seen = new Set<string>();
  for (const f of findings) {
    if (!VERIFIABLE_KINDS.has(f.kind) || seen.has(f.credential)) continue;
    seen.add(f.credential);
    const secret = secrets.get(f.credential);
    if (secret === undefined) verdicts.set(f.credential, { status: 'error', reason: 'not verified: the key was not kept from the scan' });
    else if (queue.length >= maxKeys) verdicts.set(f.credential, { status: 'error', reason: `not verified: more than ${maxKeys} keys (keyguard checks at most ${maxKeys} per run)` });
    else queue.push({ credential: f.credential, secret });
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < queue.length) {
      const { credential, secret } = queue[next++]!;
      let outcome: ProbeOutcome;
      try {
        outcome = await options.probe(secret);
      } catch {
        outcome = { type: 'network', code: 'request failed' };
      }
      verdicts.set(credential, scrub(classifyProbe(outcome), secret));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  return verdicts;
}

/** The result with `verification` on every finding: the verdict of its credential, or "unverified" for other kinds. */
export function withVerification(result: ScanResult, verdicts: ReadonlyMap<string, Verification>): ScanResult {
  return { ...result, findings: result.findings.map((f) => ({ ...f, verification: verdicts.get(f.credential) ?? UNVERIFIABLE })) };
}

const ORDER: { status: VerificationStatus; one: string; many: string }[] = [
  { status: 'live', one: 'live', many: 'live' },
  { status: 'invalid', one: 'invalid', many: 'invalid' },
  { status: 'restricted', one: 'restricted', many: 'restricted' },
  { status: 'error', one: 'error', many: 'errors' },
  { status: 'unverified', one: 'unverifiable', many: 'unverifiable' },
];

/** `verify: 3 live, 1 invalid, 1 restricted, 1 unverifiable`, counted by credential, then "act now" when one is live. */
export function renderVerifySummary(findings: readonly Finding[]): string {
  const byCredential = new Map<string, VerificationStatus>();
  for (const f of findings) if (f.verification) byCredential.set(f.credential, f.verification.status);
  if (byCredential.size === 0) return 'verify: nothing to verify';
  const counts = ORDER.map(({ status, one, many }) => {
    const n = [...byCredential.values()].filter((s) => s === status).length;
    return n === 0 ? '' : `${n} ${n === 1 ? one : many}`;
  }).filter(Boolean);
  const live = [...byCredential.values()].filter((s) => s === 'live').length;
  return `verify: ${counts.join(', ')}${live > 0 ? `; act now: ${live === 1 ? 'a live key' : `${live} live keys`} can be used by anyone who copied ${live === 1 ? 'it' : 'them'}` : ''}`;
}

/** Defence in depth: a reason never carries the key, even if a future reason were built from Google's text. */
function scrub(v: Verification, secret: string): Verification {
  return secret && v.reason.includes(secret) ? { ...v, reason: v.reason.split(secret).join(redactSecret(secret)) } : v;
}
