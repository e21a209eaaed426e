// The PKCS#12 parser keyguard uses: node-forge, loaded on first use (a dynamic import), so a scan without .p12 or
// .pfx files never loads it. Node's own crypto cannot read PKCS#12 (tls.createSecureContext can, but OpenSSL 3
// refuses the RC2 encryption Google's .p12 keys use, and it cannot tell what the store holds).
import type { Pkcs12Opened, Pkcs12Parser } from './pkcs12.js';

type Forge = typeof import('node-forge');

let loading: Promise<Forge> | undefined;

/** The parser, loaded once; its first call costs the import of node-forge. */
export async function loadPkcs12Parser(): Promise<Pkcs12Parser> {
  loading ??= import('node-forge').then((m) => ((m as { default?: Forge }).default ?? m) as Forge);
  const forge = await loading;
  return (bytes, password) => parseWithForge(forge, bytes, password);
}

function parseWithForge(forge: Forge, bytes: Uint8Array, password: string): Pkcs12Opened {
  let asn1: import('node-forge').asn1.Asn1;
  try {
    asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(bytes).toString('binary')), { strict: false } as never);
  } catch {
    return { ok: false, reason: 'not-pkcs12' };
  }
  let p12: import('node-forge').pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(asn1, false, password);
  } catch (err) {
    // forge says "Invalid password?" when the MAC does not verify, and names the structure otherwise.
    const message = (err as Error).message ?? '';
    if (/password|MAC could not be verified/i.test(message)) return { ok: false, reason: 'wrong-password' };
    // A PFX whose content cannot be decrypted with this password (no MAC, or an unsupported cipher): a key store.
    if (/PKCS#12 PFX|ASN\.1 object is not|version|Cannot read/i.test(message)) return { ok: false, reason: 'not-pkcs12' };
    return { ok: false, reason: 'wrong-password' };
  }
  const keys: string[] = [];
  const oids = forge.pki.oids;
  for (const type of [oids['pkcs8ShroudedKeyBag']!, oids['keyBag']!]) {
    for (const bag of p12.getBags({ bagType: type })[type] ?? []) {
      if (!bag.key) continue;
      const info = forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key));
      keys.push(forge.util.encode64(forge.asn1.toDer(info).getBytes()));
    }
  }
  return { ok: true, keys };
}
