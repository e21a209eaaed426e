// The one step the composition root adds for PKCS#12 files: path findings of .p12/.pfx files are judged by their
// bytes (detect/pkcs12.ts). The bytes come through `read` (the work tree's file, or the blob by its id in history),
// and node-forge is loaded only when such a finding exists.
import type { RawFinding } from '../types.js';
import { classifyPkcs12, PKCS12_RULE_ID, refinePkcs12Finding, type Pkcs12Parser } from '../detect/pkcs12.js';

/** Read a finding's file or blob; undefined when it cannot be read (the finding by name then stands). */
export type ReadFindingBytes = (finding: RawFinding) => Promise<Uint8Array | undefined>;

/**
 * Every finding, with those of the PKCS#12 path rule refined by content: a notasecret key store becomes a critical
 * service-account key, a file that is not PKCS#12 is dropped, any other key store stays as found by its name.
 * `loadParser` defaults to node-forge (pkcs12-forge.ts), imported on first need.
 */
export async function refinePkcs12Findings(
  raw: RawFinding[],
  read: ReadFindingBytes,
  loadParser: () => Promise<Pkcs12Parser> = async () => (await import('../detect/pkcs12-forge.js')).loadPkcs12Parser(),
): Promise<RawFinding[]> {
  if (!raw.some((f) => f.ruleId === PKCS12_RULE_ID)) return raw;
  const parse = await loadParser();
  const out: RawFinding[] = [];
  for (const f of raw) {
    if (f.ruleId !== PKCS12_RULE_ID) {
      out.push(f);
      continue;
    }
    const bytes = await read(f);
    if (!bytes) {
      out.push(f);
      continue;
    }
    const refined = refinePkcs12Finding(f, classifyPkcs12(bytes, parse));
    if (refined) out.push(refined);
  }
  return out;
}
