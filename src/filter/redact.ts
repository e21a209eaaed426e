import type { Finding, RawFinding } from '../types.js';
import { redactSecret } from '../mask/redact.js';
import { credentialId, fingerprintOf } from './fingerprint.js';

/** A secret is at most this long in any output, even with --show-secrets. */
const MAX_SHOWN = 4096;

/** Turn a raw finding into a reportable one: the raw secret stays behind unless the user asked for it. */
export function toFinding(raw: RawFinding, showSecrets: boolean): Finding {
  const credential = credentialId(raw.kind, raw.rawSecret);
  const finding: Finding = {
    ruleId: raw.ruleId,
    title: raw.title,
    severity: raw.severity,
    kind: raw.kind,
    file: raw.file,
    line: raw.line,
    column: raw.column,
    endLine: raw.endLine,
    endColumn: raw.endColumn,
    secret: showSecrets ? truncate(raw.rawSecret) : redactSecret(raw.rawSecret),
    credential,
    fingerprint: fingerprintOf(credential, raw.file),
    entropy: raw.entropy,
    exposure: raw.exposure,
    excerpt: raw.excerpt,
  };
  if (raw.commit) finding.commit = raw.commit;
  if (raw.author !== undefined) finding.author = raw.author;
  if (raw.email !== undefined) finding.email = raw.email;
  if (raw.date !== undefined) finding.date = raw.date;
  if (raw.refs) finding.refs = raw.refs;
  if (raw.git) finding.git = raw.git;
  if (raw.encoding) finding.encoding = raw.encoding;
  if (raw.note) finding.note = raw.note;
  return finding;
}

function truncate(secret: string): string {
  return secret.length > MAX_SHOWN ? `${secret.slice(0, MAX_SHOWN)}… (${secret.length} characters)` : secret;
}
