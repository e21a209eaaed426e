// Stable ids: `credential` names the secret wherever it appears; `fingerprint` adds the path.
import { createHash } from 'node:crypto';
import type { Kind } from '../types.js';

/** Short hash of kind + secret: the same key gets the same id in every file, commit and encoding. */
export function credentialId(kind: Kind, secret: string): string {
  return createHash('sha256').update(kind).update('\0').update(secret).digest('hex').slice(0, 16);
}

/** What baselines store: moving a line keeps it, another secret on the same line does not. */
export function fingerprintOf(credential: string, path: string): string {
  return `${credential}:${path}`;
}
