// Fake credentials built at run time, so no key-shaped literal sits in the repository.
// Deterministic for a given seed: the same test always plants the same keys.
import { generateKeyPairSync } from 'node:crypto';

const URLSAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** A small seeded PRNG (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomString(random: () => number, length: number, alphabet = URLSAFE): string {
  let s = '';
  for (let i = 0; i < length; i++) s += alphabet[Math.floor(random() * alphabet.length)];
  return s;
}

const P = (...parts: string[]): string => parts.join('');

export function fakeGoogleApiKey(seed = 1): string {
  return P('AI', 'za', 'Sy', randomString(rng(seed), 33));
}

export function fakeGeminiAuthKey(seed = 1): string {
  return P('AQ', '.Ab8', 'RN6', randomString(rng(seed), 44));
}

export function fakeClientSecret(seed = 1): string {
  return P('GOC', 'SPX-', randomString(rng(seed), 28));
}

export function fakeLegacyClientSecret(seed = 1): string {
  return randomString(rng(seed), 24, ALNUM);
}

export function fakeAccessToken(seed = 1): string {
  return P('ya', '29.', 'a0', randomString(rng(seed), 150));
}

export function fakeRefreshToken(seed = 1): string {
  return P('1/', '/0', randomString(rng(seed), 60));
}

export function fakeFcmServerKey(seed = 1): string {
  const r = rng(seed);
  return P('AA', 'AA', randomString(r, 7), ':APA91b', randomString(r, 134));
}

export function fakeHmac(seed = 1): { accessId: string; secret: string } {
  const r = rng(seed);
  return { accessId: P('GO', 'OG1E', randomString(r, 55, UPPER_DIGITS)), secret: randomString(r, 40, BASE64) };
}

/** A random value for the generic Google/Gemini name rules (no known prefix). */
export function fakeOpaqueSecret(seed = 1, length = 32): string {
  const r = rng(seed);
  let s = '';
  // Keep at least one digit so it looks like a real token.
  while (!/\d/.test(s)) s = randomString(r, length, ALNUM);
  return s;
}

let pemCache: string | undefined;
/** A real RSA private key in PEM (generated once per process; never used for anything). */
export function fakePrivateKeyPem(): string {
  pemCache ??= generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return pemCache;
}

export function fakeServiceAccountJson(project = 'acme-prod-4821'): string {
  return JSON.stringify(
    {
      type: P('service', '_account'),
      project_id: project,
      private_key_id: '5f0c3e1d9a7b2c4e6f8a0b1c3d5e7f9a1b2c4d6e',
      private_key: fakePrivateKeyPem(),
      client_email: `ci-deployer@${project}.iam.gserviceaccount.com`,
      client_id: '104829384756102938475',
      token_uri: 'https://oauth2.googleapis.com/token',
    },
    null,
    2,
  );
}

export function fakeAuthorizedUserJson(seed = 1): string {
  return JSON.stringify(
    {
      client_id: '764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur.apps.googleusercontent.com',
      client_secret: 'd-FL95Q19q7MQmFpd7hHD0Ty',
      refresh_token: fakeRefreshToken(seed),
      type: P('authorized', '_user'),
    },
    null,
    2,
  );
}

/** Other services' credentials, as they sit beside Google keys in .env files and bundles (built at run time). */
export function fakeOtherCredentials(seed = 1): Record<string, string> {
  const r = rng(seed);
  return {
    awsAccessKeyId: P('AK', 'IA', randomString(r, 16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567')),
    awsSecretAccessKey: randomString(r, 40, BASE64),
    githubToken: P('gh', 'p_', randomString(r, 36, ALNUM)),
    githubPat: P('github', '_pat_', randomString(r, 22, ALNUM), '_', randomString(r, 59, ALNUM)),
    slackToken: P('xo', 'xb-', randomString(r, 12, '0123456789'), '-', randomString(r, 24, ALNUM)),
    stripeKey: P('sk', '_live_', randomString(r, 24, ALNUM)),
    jwt: P('ey', 'J', randomString(r, 30), '.ey', 'J', randomString(r, 40), '.', randomString(r, 43)),
    urlPassword: randomString(r, 20, ALNUM),
  };
}
