// Credential and filler generators for the red-team set. Every value is built at run time from random pieces:
// this repository scans itself, so no committed file holds a key-shaped literal.
import { generateKeyPairSync } from 'node:crypto';
import { rng } from '../lib/rng.mjs';

export { rng };


export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const URLSAFE = `${ALNUM}_-`;
export const B64 = `${ALNUM}+/`;
export const UPPERNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const HEX = '0123456789abcdef';

// Prefixes are split so that no committed line holds one whole.
const P = {
  aiza: ['AI', 'za'].join(''),
  auth: ['AQ.', 'Ab8', 'RN6'].join(''),
  authGeneric: ['AQ.', 'Ab'].join(''),
  gocspx: ['GOC', 'SPX-'].join(''),
  ya29: ['ya', '29.'].join(''),
  refresh: ['1/', '/0'].join(''),
  fcm: ['AA', 'AA'].join(''),
  apa: ['APA', '91b'].join(''),
  goog: ['GO', 'OG1E'].join(''),
  begin: ['-----BEGIN', ' PRIVATE KEY-----'].join(''),
  end: ['-----END', ' PRIVATE KEY-----'].join(''),
};
export const PREFIX = P;

export function makeGen(seed) {
  const r = rng(seed);
  const pick = (alphabet, n) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
    return s;
  };
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  let pems;
  const gen = {
    pick,
    int,
    /** Standard API key: AIzaSy + 33 (most keys), sometimes AIza + another letter pair. */
    apiKey: (sy = true) => `${P.aiza}${sy ? 'Sy' : pick('ABCD', 1) + pick(ALNUM, 1)}${pick(URLSAFE, 33)}`,
    authKey: () => `${P.auth}${pick(URLSAFE, 44)}`,
    authKeyGeneric: () => `${P.authGeneric}${pick('ABCDEFGHJKLMNPQRSTVWXYZ', 1)}${pick(URLSAFE, 47)}`,
    clientSecret: () => `${P.gocspx}${pick(URLSAFE, 28)}`,
    legacyClientSecret: () => pick(URLSAFE, 24),
    accessToken: () => `${P.ya29}a0${pick(URLSAFE, int(120, 200))}`,
    saAccessToken: () => `${P.ya29}c.c0${pick(URLSAFE, int(200, 400))}`,
    refreshToken: () => `${P.refresh}${pick('0123456789abcdefg', 1)}${pick(URLSAFE, int(95, 100))}`,
    fcmKey: () => `${P.fcm}${pick(URLSAFE, 7)}:${P.apa}${pick(URLSAFE, 134)}`,
    hmacId: () => `${P.goog}${pick(UPPERNUM, 55)}`,
    hmacSecret: () => pick(B64, 40),
    clientId: () => `${int(100000000000, 999999999999)}-${pick('abcdefghijklmnopqrstuvwxyz0123456789', 32)}.apps.googleusercontent.com`,
    generic: (n = 40) => pick(ALNUM, n),
    hex: (n) => pick(HEX, n),
    uuid: () => `${pick(HEX, 8)}-${pick(HEX, 4)}-4${pick(HEX, 3)}-a${pick(HEX, 3)}-${pick(HEX, 12)}`,
    b64: (n) => pick(B64, n),
    /** A fresh RSA key in PKCS#8 PEM (generated once per run, three of them, reused round-robin). */
    pem: (() => {
      let i = 0;
      return () => {
        pems ??= [0, 1, 2].map(() => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
        return pems[i++ % pems.length];
      };
    })(),
  };
  return gen;
}

/** What keyguard reports as the secret of a service-account key: the PEM body, base64 only. */
export function pemSecret(pem) {
  return pem.replace(/-----[A-Z ]+-----/g, '').replace(/[^A-Za-z0-9+/=]/g, '');
}

export function serviceAccount(g, { project = `acme-${g.int(1000, 9999)}`, pem = g.pem(), name = 'deployer' } = {}) {
  return {
    type: 'service_account',
    project_id: project,
    private_key_id: g.hex(40),
    private_key: pem,
    client_email: `${name}@${project}.iam.gserviceaccount.com`,
    client_id: String(g.int(100000000000000000, 999999999999999999)),
    auth_uri: 'https://accounts.google.com/o/oauth2/auth',
    token_uri: 'https://oauth2.googleapis.com/token',
    auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
    client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${name}%40${project}.iam.gserviceaccount.com`,
    universe_domain: 'googleapis.com',
  };
}
