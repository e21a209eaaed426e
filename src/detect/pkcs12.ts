// PKCS#12 key stores (.p12, .pfx) judged by their content, not only their name. Google issued service-account keys
// as PKCS#12 files protected by the fixed password `notasecret`: one that opens with it and holds a private key is
// a service-account key (critical); a PKCS#12 file with another password is a private key file of unknown owner
// (the path rule's finding stands, medium); a file named .p12 that is not PKCS#12 at all is no finding.
// Pure: bytes and a parser in, a verdict out. The parser (node-forge, pkcs12-forge.ts) is loaded only when a
// .p12 or .pfx file is met, so no other scan pays for it.
import type { RawFinding } from '../types.js';

/** Google's fixed password for service-account .p12 keys. */
export const GOOGLE_P12_PASSWORD = 'notasecret';

/** What a parser says of some bytes and a password. */
export type Pkcs12Opened =
  | { ok: true; /** Each private key it holds, as base64 PKCS#8 (the body of its PEM). */ keys: string[] }
  | { ok: false; reason: 'not-pkcs12' | 'wrong-password' };

export type Pkcs12Parser = (bytes: Uint8Array, password: string) => Pkcs12Opened;

export type Pkcs12Verdict =
  | { verdict: 'service-account'; key: string }
  | { verdict: 'pkcs12' }
  | { verdict: 'not-pkcs12' };

export function classifyPkcs12(bytes: Uint8Array, parse: Pkcs12Parser): Pkcs12Verdict {
  const opened = parse(bytes, GOOGLE_P12_PASSWORD);
  // A file that starts as a PKCS#12 PFX does (version 3, then PKCS#7 data) but does not parse is a damaged or
  // truncated key store, not something else: it keeps its finding by name rather than vanish.
  if (!opened.ok) return opened.reason === 'not-pkcs12' && !startsLikePfx(bytes) ? { verdict: 'not-pkcs12' } : { verdict: 'pkcs12' };
  const key = opened.keys[0];
  // A key store that opens with notasecret but holds no key (certificates only) is still reported by its name.
  return key !== undefined ? { verdict: 'service-account', key } : { verdict: 'pkcs12' };
}

/** DER of `INTEGER 3` and of the PKCS#7 data OID, as a PFX opens: `SEQUENCE { version 3, SEQUENCE { pkcs7-data … } }`. */
const PFX_VERSION = [0x02, 0x01, 0x03];
const PKCS7_DATA = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01];

function indexOfBytes(bytes: Uint8Array, needle: number[], from: number, to: number): number {
  for (let i = from; i + needle.length <= Math.min(bytes.length, to); i++) if (needle.every((b, j) => bytes[i + j] === b)) return i;
  return -1;
}

/** Whether the first bytes are a PFX's opening: a SEQUENCE, version 3, then the PKCS#7 data content type. */
export function startsLikePfx(bytes: Uint8Array): boolean {
  if (bytes[0] !== 0x30) return false;
  const version = indexOfBytes(bytes, PFX_VERSION, 1, 8);
  return version !== -1 && indexOfBytes(bytes, PKCS7_DATA, version + 3, version + 24) !== -1;
}

/** The path rule whose findings this refines. */
export const PKCS12_RULE_ID = 'pkcs12-key-file';

/**
 * A path finding of a .p12/.pfx file, refined by its content: undefined when it is not PKCS#12 at all; the same
 * finding when it is a key store of unknown owner; a critical service-account key finding when it opens with
 * `notasecret`. Its secret is then the key's PKCS#8 base64, the value the same key has as a PEM in a JSON key file.
 */
export function refinePkcs12Finding(finding: RawFinding, verdict: Pkcs12Verdict): RawFinding | undefined {
  if (finding.ruleId !== PKCS12_RULE_ID) return finding;
  if (verdict.verdict === 'not-pkcs12') return undefined;
  if (verdict.verdict === 'pkcs12') return finding;
  return {
    ...finding,
    ruleId: 'google-service-account-key',
    title: 'Google service-account private key (.p12)',
    description:
      'A service-account key in the legacy PKCS#12 format: it opens with Google\'s fixed password "notasecret" and holds the private key. It signs in as the service account until the key is deleted.',
    severity: 'critical',
    kind: 'service-account-key',
    rawSecret: verdict.key,
    excerpt: 'PKCS#12 key store that opens with the password notasecret and holds a private key',
  };
}
