#!/usr/bin/env node
// Detection-quality corpus: realistic projects with planted Google/Gemini credentials and hard negatives.
//
//   node bench/corpus/generate.mjs [--seed N] [--out DIR] [--history]
//
// Writes DIR (default bench/.work/corpus/) and DIR/manifest.json listing every planted credential
// ({file, line, kind}) and every hard negative. With --history it also builds a git repository with leaks in its
// history (bench/.work/history-repo/, manifest in bench/.work/history-manifest.json).
//
// Every key-shaped value is assembled at run time from a seeded PRNG and split prefixes, so this file holds no
// key-shaped literal and the repository still passes its own scanner. Everything is deterministic for a seed except
// the RSA private keys (crypto.generateKeyPairSync cannot be seeded); their line positions do not depend on them.
import { generateKeyPairSync, createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { rng } from '../lib/rng.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

// ---------------------------------------------------------------- random helpers

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const DIGITS = '0123456789';
const ALNUM = UPPER + LOWER + DIGITS;
const URLSAFE = ALNUM + '-_';
const B64 = ALNUM + '+/';
const HEX = '0123456789abcdef';

function makeRandom(seed) {
  const r = rng(seed);
  const int = (lo, hi) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = (list) => list[Math.floor(r() * list.length)];
  const str = (n, alphabet = URLSAFE) => {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(r() * alphabet.length)];
    return s;
  };
  const bytes = (n) => Buffer.from(Array.from({ length: n }, () => Math.floor(r() * 256)));
  return { r, int, pick, str, bytes };
}

// Prefixes, split so no literal here is key-shaped.
const J = (...p) => p.join('');
const PFX = {
  aiza: J('AI', 'za'),
  auth: J('AQ', '.', 'Ab8', 'RN6'),
  gocspx: J('GOC', 'SPX', '-'),
  ya29: J('ya', '29', '.'),
  refresh: J('1/', '/0'),
  fcm: J('AA', 'AA'),
  goog: J('GO', 'OG'),
  apa: J('APA', '91b'),
};

// ---------------------------------------------------------------- credential makers
function makers(R) {
  const { str, pick, int } = R;
  const k = {
    str,
    apiKey() {
      // Most keys start AIzaSy; a few do not.
      const second = R.r() < 0.9 ? 'Sy' : pick(['Sz', 'Sx', 'Sa', 'Sb']);
      return PFX.aiza + second + pick('ABCD') + str(32);
    },
    authKey: () => PFX.auth + str(44),
    clientSecret: () => PFX.gocspx + str(28),
    legacySecret: () => str(24, ALNUM + (R.r() < 0.5 ? '-_' : '')),
    accessToken() {
      const form = pick(['user', 'user', 'sa', 'old']);
      if (form === 'sa') return PFX.ya29 + 'c.' + 'c0' + str(int(180, 240));
      if (form === 'old') return PFX.ya29 + 'Gl' + str(int(120, 160));
      return PFX.ya29 + pick(['a0AfB_by', 'a0AXooCg', 'a0ARrdaM', 'A0ARrdaM']) + str(int(150, 220));
    },
    refreshToken: () => PFX.refresh + pick('13469egGcd') + str(int(94, 100)),
    fcmKey: () => PFX.fcm + str(7) + ':' + PFX.apa + str(134),
    hmacId: () => (R.r() < 0.75 ? PFX.goog + '1E' + str(55, UPPER + DIGITS) : PFX.goog + str(20, UPPER + DIGITS)),
    hmacSecret: () => str(40, B64),
    opaque(n = int(32, 44)) {
      let s = '';
      while (!/\d/.test(s) || !/[A-Z]/.test(s)) s = str(n, R.r() < 0.6 ? ALNUM : URLSAFE);
      return s;
    },
    hex: (n) => str(n, HEX),
    digits: (n) => str(n, DIGITS),
    clientId: () => `${str(12, DIGITS)}-${str(32, DIGITS + LOWER)}.apps.googleusercontent.com`,
    uuid: () => [8, 4, 4, 4, 12].map((n) => str(n, HEX)).join('-'),
    b64digest: (n) => Buffer.from(R.bytes(n)).toString('base64'),
    jwt() {
      const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const header = enc({ alg: pick(['HS256', 'RS256']), typ: 'JWT' });
      const payload = enc({ sub: str(12, DIGITS), iss: pick(['https://auth.acme.dev/', 'supabase', 'https://acme.eu.auth0.com/']), iat: 1716239022 + int(0, 1e6), role: pick(['anon', 'user']) });
      return `${header}.${payload}.${Buffer.from(R.bytes(32)).toString('base64url')}`;
    },
  };
  return k;
}

let pemCount = 0;
function makePem() {
  pemCount++;
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function serviceAccount(K, project, name) {
  const pem = makePem();
  const email = `${name}@${project}.iam.gserviceaccount.com`;
  return {
    obj: {
      type: J('service', '_account'),
      project_id: project,
      private_key_id: K.hex(40),
      private_key: pem,
      client_email: email,
      client_id: K.digits(21),
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: 'https://oauth2.googleapis.com/token',
      auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
      client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(email)}`,
      universe_domain: 'googleapis.com',
    },
    // A piece of the key body that sits on the private_key line in every encoding but base64.
    needle: pem.split('\n')[1].slice(0, 24),
    pem,
  };
}

// ---------------------------------------------------------------- file builder
/**
 * A file under construction. `P(kind, value, needle?)` plants a credential and returns the value;
 * `N(kind, value, needle?)` marks a hard negative. Lines are found afterwards by searching the final text in
 * order, so templates can be written naturally.
 */
class FileBuilder {
  constructor(path) {
    this.path = path;
    this.marks = [];
  }
  P = (kind, value, needle) => {
    this.marks.push({ type: 'positive', kind, needle: needle ?? value });
    return value;
  };
  N = (kind, value, needle) => {
    this.marks.push({ type: 'negative', kind, needle: needle ?? value });
    return value;
  };
}

function lineOf(text, offset) {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    else if (c === 13) {
      if (text.charCodeAt(i + 1) === 10) i++;
      line++;
    }
  }
  return line;
}

function locate(file, text) {
  const out = [];
  let cursor = 0;
  for (const m of file.marks) {
    let at = text.indexOf(m.needle, cursor);
    if (at < 0) at = text.indexOf(m.needle);
    if (at < 0) throw new Error(`corpus: ${file.path}: planted value for ${m.kind} not found in the text`);
    cursor = at;
    out.push({ type: m.type, file: file.path, line: lineOf(text, at), kind: m.kind });
  }
  return out;
}

// ---------------------------------------------------------------- the corpus
function buildCorpus(seed) {
  const R = makeRandom(seed);
  const K = makers(R);
  const files = [];
  /** add(path, (b) => text, {crlf, cr, utf16, binary}) */
  const add = (path, build, opts = {}) => {
    const b = new FileBuilder(path);
    const text = build(b);
    files.push({ path, text, opts, marks: b.marks, builder: b });
  };
  const addBinary = (path, bytes, kind) => files.push({ path, bytes, opts: { binary: true }, marks: [], negativeFile: kind });

  const q = () => R.pick(['"', "'"]);
  const firebaseConfig = (b, apiKey, indent = '  ', quoteKeys = false) => {
    const project = `${R.pick(['acme', 'shoply', 'tasker', 'lumen', 'orbit'])}-${R.pick(['web', 'app', 'prod'])}-${K.digits(4)}`;
    const key = (n) => (quoteKeys ? `"${n}"` : n);
    return [
      `${indent}${key('apiKey')}: "${b.P('firebase-api-key', apiKey)}",`,
      `${indent}${key('authDomain')}: "${project}.firebaseapp.com",`,
      `${indent}${key('projectId')}: "${project}",`,
      `${indent}${key('storageBucket')}: "${project}.appspot.com",`,
      `${indent}${key('messagingSenderId')}: "${K.digits(12)}",`,
      `${indent}${key('appId')}: "1:${K.digits(12)}:web:${K.hex(22)}",`,
      `${indent}${key('measurementId')}: "G-${K.str(10, UPPER + DIGITS)}"`,
    ].join('\n');
  };
  const publishedSamples = [
    J(PFX.aiza, 'SyAnLA7NfeLquW1tJFpx_eQ', 'CxoX-oo6YyIs'),
    J(PFX.aiza, 'SyCkEhVjf3pduRDt6d1yKOM', 'itrUEke8agEM'),
    J(PFX.aiza, 'SyDMAScliyLx7F0NPDEJi1Q', 'myCgHIAODrlU'),
    J(PFX.aiza, 'SyA4UrcGxgwQFTfaI3no3t7', 'Lt1sjmdnP5sQ'),
  ];

  // ============ Project 1: React/Vite Gemini chat (TS, TSX, .env, HTML, bundle, lock file)
  add('gemini-chat-web/.env.local', (b) => `# local only, do not commit (oops)
VITE_GEMINI_API_KEY=${b.P('google-api-key', K.apiKey())}
VITE_FIREBASE_API_KEY="${b.P('firebase-api-key', K.apiKey())}"
VITE_FIREBASE_AUTH_DOMAIN=gemini-chat-7731.firebaseapp.com
VITE_GEMINI_MODEL=${b.N('config-value', 'gemini-2.5-flash')}
VITE_SENTRY_DSN=https://${K.hex(32)}@o${K.digits(6)}.ingest.sentry.io/${K.digits(7)}
`);
  add('gemini-chat-web/.env.example', (b) => `# Copy to .env.local and fill in
VITE_GEMINI_API_KEY=${b.N('placeholder', 'your_gemini_api_key_here')}
VITE_FIREBASE_API_KEY=${b.N('placeholder', '<YOUR_API_KEY_HERE>')}
VITE_GOOGLE_CLIENT_SECRET=${b.N('placeholder', J(PFX.gocspx, 'your-client-secret'))}
GEMINI_API_KEY=${b.N('placeholder', J(PFX.aiza, 'Sy', 'X'.repeat(33)))}
`);
  add('gemini-chat-web/src/firebase.ts', (b) => `import { initializeApp } from "firebase/app";
import { getAuth, GoogleAuthProvider } from "firebase/auth";

// Your web app's Firebase configuration
const firebaseConfig = {
${firebaseConfig(b, K.apiKey())}
};

export const app = initializeApp(firebaseConfig);
export const auth = getAuth(app);
export const provider = new GoogleAuthProvider();
`);
  add('gemini-chat-web/src/components/ChatPanel.tsx', (b) => `import { useState } from 'react';
import { GoogleGenAI } from '@google/genai';

// TODO: move this to the backend before launch
const ai = new GoogleGenAI({ apiKey: '${b.P('google-api-key', K.apiKey())}' });

export function ChatPanel({ model = 'gemini-2.5-flash' }: { model?: string }) {
  const [messages, setMessages] = useState<string[]>([]);
  const envKey = ${b.N('env-reference', 'import.meta.env.VITE_GEMINI_API_KEY')};

  async function send(text: string) {
    const res = await ai.models.generateContent({ model, contents: text });
    setMessages((m) => [...m, text, res.text ?? '']);
  }
  return (
    <div className="chat" data-has-key={Boolean(envKey)}>
      {messages.map((m, i) => <p key={i}>{m}</p>)}
      <button onClick={() => send('hello')}>Send</button>
    </div>
  );
}
`);
  add('gemini-chat-web/src/lib/gemini.ts', (b) => {
    const key = K.authKey();
    return `const API_KEY = "${b.P('gemini-auth-key', key)}";
const BASE = 'https://generativelanguage.googleapis.com/v1beta';

export async function generate(model: string, prompt: string) {
  const url = \`\${BASE}/models/\${model}:generateContent?key=${b.N('template-reference', '${API_KEY}')}\`;
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'x-goog-api-key': ${b.N('variable-reference', 'API_KEY')} },
    body: JSON.stringify({ contents: [{ parts: [{ text: prompt }] }] }),
  });
  return res.json();
}

// Keys look like ${b.N('prose', PFX.aiza + '...')} (39 chars) or ${b.N('prose', 'AQ.Ab8…')} for the new auth keys.
`;
  });
  add('gemini-chat-web/src/hooks/useApiKey.test.ts', (b) => `import { describe, it, expect } from 'vitest';
import { validateFormat } from './useApiKey';

describe('validateFormat', () => {
  it('accepts a well-formed key', () => {
    expect(validateFormat('${b.N('placeholder', J(PFX.aiza, 'Sy', UPPER, '1234567'))}')).toBe(true);
    expect(validateFormat("${b.N('placeholder', J(PFX.aiza, 'Sy', 'AbCdEfGhIjKlMnOpQrStUvWxYz', '1234567'))}")).toBe(true);
  });
  it('rejects the rest', () => {
    expect(validateFormat('${b.N('placeholder', J(PFX.aiza, 'SyDUMMY_KEY_FOR_TESTING_', '0000000'))}')).toBe(true);
    expect(validateFormat('invalid_key')).toBe(false);
    expect(validateFormat('${b.N('longer-token', J(PFX.aiza, 'Sy', K.str(33), K.str(4)))}')).toBe(false); // too long
  });
});
`);
  add('gemini-chat-web/public/index.html', (b) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <meta name="google-site-verification" content="${b.N('site-verification', K.str(43))}" />
    <title>Gemini Chat</title>
    <script async
      src="https://maps.googleapis.com/maps/api/js?key=${b.P('google-api-key', K.apiKey())}&libraries=places&callback=initMap"></script>
  </head>
  <body>
    <div id="root"></div>
    <!-- docs: https://maps.googleapis.com/maps/api/js?key=${b.N('placeholder', 'YOUR_API_KEY')}&callback=initMap -->
    <script type="module" src="/src/main.tsx"></script>
  </body>
</html>
`);
  add('gemini-chat-web/dist/assets/index-4f1c9a2b.js', (b) => {
    const parts = [];
    const filler = () => {
      const vars = 'abcdefghijklmnopqrstuvwxyz';
      let s = '';
      for (let i = 0; i < 40; i++) {
        const v = R.pick([...vars]);
        s += R.pick([
          `function ${v}${i}(e,t){return e&&t?e.concat(t):null}`,
          `var ${v}=${K.digits(5)},${v}${i}="${K.str(12, ALNUM)}";`,
          `${v}.prototype.render=function(){return this.props.children};`,
          `const ${v}${i}=Object.freeze({id:"${K.uuid()}",hash:"${K.hex(40)}"});`,
          `import("./chunk-${K.hex(8)}.js");`,
        ]);
      }
      return s;
    };
    parts.push('(function(){"use strict";');
    for (let i = 0; i < 30; i++) parts.push(filler());
    parts.push(`const ${R.pick(['Zt', 'Qn'])}={apiKey:"${b.P('firebase-api-key', K.apiKey())}",authDomain:"gemini-chat-7731.firebaseapp.com",projectId:"gemini-chat-7731",storageBucket:"gemini-chat-7731.appspot.com",messagingSenderId:"${K.digits(12)}",appId:"1:${K.digits(12)}:web:${K.hex(22)}"};`);
    for (let i = 0; i < 30; i++) parts.push(filler());
    parts.push(`const Xr=new Nv({apiKey:"${b.P('gemini-auth-key', K.authKey())}"});`);
    parts.push(`var Sha="${b.N('hash', K.hex(64))}",Ck="sha512-${b.N('hash', K.b64digest(64))}";`);
    for (let i = 0; i < 30; i++) parts.push(filler());
    parts.push(`fetch("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse&key=${b.P('google-api-key', K.apiKey())}",{method:"POST"});`);
    parts.push('})();');
    return parts.join('') + '\n//# sourceMappingURL=index-4f1c9a2b.js.map\n';
  });
  add('gemini-chat-web/package-lock.json', (b) => {
    const pkgs = ['@google/genai', '@google/generative-ai', 'firebase', 'googleapis', 'google-auth-library', 'react', 'vite'];
    const entries = pkgs.map((p) => `    "node_modules/${p}": {
      "version": "${R.int(1, 12)}.${R.int(0, 30)}.${R.int(0, 9)}",
      "resolved": "https://registry.npmjs.org/${p}/-/${p.split('/').pop()}-1.0.0.tgz",
      "integrity": "sha512-${b.N('lock-integrity', K.b64digest(64))}",
      "license": "Apache-2.0"
    }`);
    return `{
  "name": "gemini-chat-web",
  "version": "0.3.0",
  "lockfileVersion": 3,
  "requires": true,
  "packages": {
${entries.join(',\n')}
  }
}
`;
  });

  // ============ Project 2: Python RAG service (Python, notebooks, TOML, requirements, .env)
  add('py-rag-service/app/config.py', (b) => `"""Settings for the RAG service."""
import os
from functools import lru_cache

GOOGLE_API_KEY = "${b.P('google-api-key', K.apiKey())}"  # FIXME: read from secret manager
GEMINI_API_KEY = ${b.N('env-reference', 'os.getenv("GEMINI_API_KEY")')}
GEMINI_MODEL = os.getenv("GEMINI_MODEL", "gemini-1.5-pro-002")
VERTEX_PROJECT = os.environ.get("GOOGLE_CLOUD_PROJECT", "${b.N('config-value', 'rag-prod-4821')}")
EMBEDDING_CACHE_KEY = "${b.N('hash', K.hex(40))}"


@lru_cache
def settings():
    return {"key": ${b.N('env-reference', 'os.environ["GOOGLE_API_KEY"]')}, "model": GEMINI_MODEL}
`);
  add('py-rag-service/app/llm.py', (b) => `import google.generativeai as genai
from google import genai as genai_v2
from langchain_google_genai import ChatGoogleGenerativeAI

genai.configure(api_key=${b.N('env-reference', 'os.environ["GOOGLE_API_KEY"]')})

client = genai_v2.Client(api_key="${b.P('client-argument', K.opaque())}")

llm = ChatGoogleGenerativeAI(
    model="gemini-1.5-pro",
    temperature=0.2,
    google_api_key='${b.P('gemini-auth-key', K.authKey())}',
)


def answer(question: str) -> str:
    return llm.invoke(question).content
`);
  add('py-rag-service/app/storage.py', (b) => {
    const id = K.hmacId();
    return `import boto3

# Cloud Storage through the S3-compatible XML API (interoperability HMAC key)
s3 = boto3.client(
    "s3",
    region_name="auto",
    endpoint_url="https://storage.googleapis.com",
    aws_access_key_id="${b.N('hmac-access-id', id)}",
    aws_secret_access_key="${b.P('hmac-secret', K.hmacSecret())}",
)
`;
  });
  add('py-rag-service/app/oauth.py', (b) => `from google_auth_oauthlib.flow import Flow

CLIENT_CONFIG = {
    "web": {
        "client_id": "${b.N('oauth-client-id', K.clientId())}",
        "project_id": "rag-prod-4821",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "https://oauth2.googleapis.com/token",
        "client_secret": "${b.P('oauth-client-secret-legacy', K.legacySecret())}",
        "redirect_uris": ["http://localhost:8000/oauth2callback"],
    }
}

flow = Flow.from_client_config(CLIENT_CONFIG, scopes=["openid", "email"])
`);
  add('py-rag-service/notebooks/explore.ipynb', (b) => {
    const key = K.apiKey();
    const env = K.authKey();
    const nb = {
      cells: [
        { cell_type: 'markdown', metadata: {}, source: ['# Exploring Gemini\n', 'Set `GEMINI_API_KEY` first; keys start with `AIza`.\n'] },
        {
          cell_type: 'code', execution_count: 1, metadata: {}, outputs: [],
          source: ['import google.generativeai as genai\n', '\n', `genai.configure(api_key="${b.P('google-api-key', key)}")\n`, 'model = genai.GenerativeModel("gemini-1.5-flash")'],
        },
        { cell_type: 'code', execution_count: 2, metadata: {}, outputs: [], source: [`%env GEMINI_API_KEY=${b.P('gemini-auth-key', env)}\n`, "print('ok')"] },
        {
          cell_type: 'code', execution_count: 3, metadata: {},
          outputs: [{ name: 'stdout', output_type: 'stream', text: [`model hash: ${b.N('hash', K.hex(64))}\n`, `run id: ${b.N('uuid', K.uuid())}\n`] }],
          source: ['resp = model.generate_content("Summarise the doc")\n', 'print(resp.text)'],
        },
      ],
      metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' }, language_info: { name: 'python', version: '3.11.6' } },
      nbformat: 4, nbformat_minor: 5,
    };
    return JSON.stringify(nb, null, 1) + '\n';
  });
  add('py-rag-service/notebooks/vertex_batch.ipynb', (b) => {
    const sa = serviceAccount(K, 'rag-prod-4821', 'notebook-runner');
    const dict = JSON.stringify(sa.obj);
    const nb = {
      cells: [
        {
          cell_type: 'code', execution_count: 1, metadata: { id: K.str(12, ALNUM) }, outputs: [],
          source: ['from google.oauth2 import service_account\n', '\n', `info = ${b.P('service-account-key', dict, sa.needle)}\n`, 'creds = service_account.Credentials.from_service_account_info(info)'],
        },
        { cell_type: 'code', execution_count: 2, metadata: {}, outputs: [], source: [`os.environ["GOOGLE_API_KEY"] = "${b.P('google-api-key', K.apiKey())}"`] },
      ],
      metadata: { colab: { provenance: [] }, kernelspec: { name: 'python3', display_name: 'Python 3' } },
      nbformat: 4, nbformat_minor: 0,
    };
    return JSON.stringify(nb, null, 2) + '\n';
  });
  add('py-rag-service/requirements.txt', (b) => `google-genai==1.21.0 \\
    --hash=sha256:${b.N('hash', K.hex(64))}
google-auth==2.40.3 \\
    --hash=sha256:${b.N('hash', K.hex(64))}
langchain-google-genai==2.1.5
`);
  add('py-rag-service/.env', (b) => `GEMINI_API_KEY=${b.P('gemini-auth-key', K.authKey())}
GOOGLE_APPLICATION_CREDENTIALS=${b.N('path', './secrets/rag-sa.json')}
GOOGLE_CLOUD_PROJECT=rag-prod-4821
GOOGLE_OAUTH_CLIENT_ID=${b.N('oauth-client-id', K.clientId())}
GOOGLE_OAUTH_CLIENT_SECRET=${b.P('oauth-client-secret', K.clientSecret())}
REDIS_URL=redis://localhost:6379/0
`);
  add('py-rag-service/secrets/rag-sa.json', (b) => {
    const sa = serviceAccount(K, 'rag-prod-4821', 'rag-indexer');
    b.P('service-account-key', null, sa.needle);
    return JSON.stringify(sa.obj, null, 2) + '\n';
  });
  add('py-rag-service/.streamlit/secrets.toml', (b) => {
    const sa = serviceAccount(K, 'rag-dash-1290', 'streamlit');
    const esc = (s) => s.replace(/\n/g, '\\n');
    return `GOOGLE_API_KEY = "${b.P('named-secret', K.opaque())}"
gemini_model = "gemini-1.5-flash"

[gcp_service_account]
type = "service_account"
project_id = "${sa.obj.project_id}"
private_key_id = "${sa.obj.private_key_id}"
private_key = "${b.P('service-account-key', esc(sa.pem), sa.needle)}"
client_email = "${sa.obj.client_email}"
client_id = "${sa.obj.client_id}"
token_uri = "https://oauth2.googleapis.com/token"
`;
  });
  add('py-rag-service/pyproject.toml', (b) => `[project]
name = "py-rag-service"
version = "0.4.1"
dependencies = ["google-genai>=1.20", "fastapi>=0.115"]

[tool.gemini]
api_key_env = "${b.N('config-value', 'GEMINI_API_KEY')}"
model = "gemini-1.5-pro"
`);
  add('py-rag-service/tests/test_config.py', (b) => `import pytest

FAKE_KEY = "${b.N('placeholder', J(PFX.aiza, 'Sy', 'X'.repeat(33)))}"
EXAMPLE_KEY = "${b.N('placeholder', J(PFX.aiza, 'SyEXAMPLE', 'EXAMPLE', 'EXAMPLEEXAMPLE12345'))}"


@pytest.fixture(autouse=True)
def gemini_env(monkeypatch):
    monkeypatch.setenv("GEMINI_API_KEY", "${b.N('placeholder', 'test-gemini-key')}")
    monkeypatch.setenv("GOOGLE_API_KEY", FAKE_KEY)


def test_key_shape():
    assert FAKE_KEY.startswith("AIza") and len(FAKE_KEY) == 39
    assert "${b.N('placeholder', J(PFX.auth, 'x'.repeat(44)))}".startswith("AQ.")
`);
  add('py-rag-service/poetry.lock', (b) => `[[package]]
name = "google-generativeai"
version = "0.8.3"
description = "Google Generative AI High level API client library and tools."
optional = false
python-versions = ">=3.9"
files = [
    {file = "google_generativeai-0.8.3-py3-none-any.whl", hash = "sha256:${b.N('lock-integrity', K.hex(64))}"},
]

[[package]]
name = "google-auth"
version = "2.35.0"
files = [
    {file = "google_auth-2.35.0.tar.gz", hash = "sha256:${b.N('lock-integrity', K.hex(64))}"},
]

[metadata]
content-hash = "${b.N('lock-integrity', K.hex(64))}"
`);

  // ============ Project 3: Go backend (Go, YAML, Dockerfile, k8s, shell, go.sum)
  add('go-maps-backend/main.go', (b) => `package main

import (
	"context"
	"log"
	"os"

	"google.golang.org/genai"
	"googlemaps.github.io/maps"
)

func main() {
	ctx := context.Background()
	mc, err := maps.NewClient(maps.WithAPIKey("${b.P('google-api-key', K.apiKey())}"))
	if err != nil {
		log.Fatal(err)
	}
	_ = mc
	client, err := genai.NewClient(ctx, &genai.ClientConfig{
		APIKey:  "${b.P('gemini-auth-key', K.authKey())}",
		Backend: genai.BackendGeminiAPI,
	})
	if err != nil {
		log.Fatal(err)
	}
	_ = client
	fallback := ${b.N('env-reference', 'os.Getenv("GOOGLE_MAPS_API_KEY")')}
	log.Println("fallback key set:", fallback != "")
}
`);
  add('go-maps-backend/internal/storage/hmac.go', (b) => `package storage

// Interop credentials for the gs:// bucket (S3-compatible API).
const (
	accessKeyID     = "${b.N('hmac-access-id', K.hmacId())}"
	secretAccessKey = "${b.P('hmac-secret', K.hmacSecret())}"
	endpoint        = "https://storage.googleapis.com"
)
`);
  add('go-maps-backend/internal/auth/oauth.go', (b) => `package auth

import (
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/google"
)

var Config = &oauth2.Config{
	ClientID:     "${b.N('oauth-client-id', K.clientId())}",
	ClientSecret: "${b.P('oauth-client-secret', K.clientSecret())}",
	RedirectURL:  "https://maps.acme.dev/auth/callback",
	Scopes:       []string{"openid", "email"},
	Endpoint:     google.Endpoint,
}
`);
  add('go-maps-backend/go.sum', (b) => `cloud.google.com/go v0.116.0 h1:${b.N('lock-integrity', K.b64digest(32))}
cloud.google.com/go v0.116.0/go.mod h1:${b.N('lock-integrity', K.b64digest(32))}
google.golang.org/genai v1.12.0 h1:${b.N('lock-integrity', K.b64digest(32))}
googlemaps.github.io/maps v1.7.0 h1:${b.N('lock-integrity', K.b64digest(32))}
`);
  add('go-maps-backend/config/config.yaml', (b) => `server:
  port: 8080
google:
  maps:
    api_key: ${b.P('google-api-key', K.apiKey())}
  project: maps-backend-2231
gemini:
  api_key: "${b.N('env-reference', '${GEMINI_API_KEY}')}"
  model: gemini-2.0-flash
cache:
  key_prefix: "maps:v2:"
  checksum: ${b.N('hash', K.hex(40))}
`);
  add('go-maps-backend/Dockerfile', (b) => `FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/server .

FROM gcr.io/distroless/base-debian12
ARG ${b.N('env-reference', 'GEMINI_API_KEY')}
ENV GOOGLE_MAPS_API_KEY ${b.P('google-api-key', K.apiKey())}
ENV GEMINI_API_KEY=${b.N('env-reference', '$GEMINI_API_KEY')}
ENV GOOGLE_CLOUD_PROJECT=maps-backend-2231
COPY --from=build /out/server /server
ENTRYPOINT ["/server"]
`);
  add('go-maps-backend/deploy/k8s/secret.yaml', (b) => {
    const key = K.apiKey();
    const sa = serviceAccount(K, 'maps-backend-2231', 'maps-runtime');
    const saB64 = Buffer.from(JSON.stringify(sa.obj, null, 2)).toString('base64');
    const cert = Buffer.from(`-----BEGIN CERTIFICATE-----\n${K.b64digest(600).replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`).toString('base64');
    return `apiVersion: v1
kind: Secret
metadata:
  name: maps-backend
  namespace: prod
type: Opaque
data:
  GOOGLE_MAPS_API_KEY: ${b.P('base64-key', Buffer.from(key).toString('base64'))}
  service-account.json: ${b.P('service-account-base64', saB64)}
  DB_PASSWORD: ${b.N('base64-other', Buffer.from(K.str(18, ALNUM)).toString('base64'))}
---
apiVersion: v1
kind: Secret
metadata:
  name: maps-tls
type: kubernetes.io/tls
data:
  tls.crt: ${b.N('base64-certificate', cert)}
  tls.key: ${b.N('base64-random', Buffer.from(K.str(10)).toString('base64') + K.b64digest(300))}
`;
  });
  add('go-maps-backend/deploy/k8s/deployment.yaml', (b) => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: maps-backend
spec:
  template:
    spec:
      containers:
        - name: server
          image: us-docker.pkg.dev/maps-backend-2231/app/server:${b.N('hash', K.hex(40))}
          env:
            - name: GEMINI_API_KEY
              value: "${b.P('named-secret', K.opaque())}"
            - name: GOOGLE_MAPS_API_KEY
              valueFrom:
                secretKeyRef:
                  name: maps-backend
                  key: ${b.N('env-reference', 'GOOGLE_MAPS_API_KEY')}
            - name: GOOGLE_CLOUD_PROJECT
              value: maps-backend-2231
`);
  add('go-maps-backend/scripts/deploy.sh', (b) => `#!/usr/bin/env bash
set -euo pipefail

gcloud run deploy maps-backend \\
  --region europe-west1 \\
  --set-env-vars "GEMINI_API_KEY=${b.P('google-api-key', K.apiKey())},GOOGLE_CLOUD_PROJECT=maps-backend-2231"

# smoke test
curl -sS -H "x-goog-api-key: ${b.P('api-key-header', K.opaque(39))}" \\
  "https://generativelanguage.googleapis.com/v1beta/models" | head -c 200
curl -sS -H "x-goog-api-key: ${b.N('env-reference', '$GEMINI_API_KEY')}" https://generativelanguage.googleapis.com/v1beta/models
curl -H "Authorization: Bearer $(gcloud auth print-access-token)" https://run.googleapis.com/v2/projects
# TOKEN=${b.P('oauth-access-token', K.accessToken())}
`);

  // ============ Project 4: Android + iOS app (Kotlin, Java, XML, gradle, plist, google-services.json)
  add('android-app/app/google-services.json', (b) => {
    const project = `chatapp-${K.digits(5)}`;
    const gs = {
      project_info: { project_number: K.digits(12), project_id: project, storage_bucket: `${project}.appspot.com` },
      client: [{
        client_info: { mobilesdk_app_id: `1:${K.digits(12)}:android:${K.hex(22)}`, android_client_info: { package_name: 'com.acme.chat' } },
        oauth_client: [{ client_id: b.N('oauth-client-id', K.clientId()), client_type: 3 }],
        api_key: [{ current_key: b.P('firebase-api-key', K.apiKey()) }],
        services: { appinvite_service: { other_platform_oauth_client: [] } },
      }],
      configuration_version: '1',
    };
    return JSON.stringify(gs, null, 2) + '\n';
  });
  add('android-app/app/src/main/res/values/strings.xml', (b) => `<?xml version="1.0" encoding="utf-8"?>
<resources>
    <string name="app_name">Acme Chat</string>
    <string name="google_maps_key" templateMergeStrategy="preserve" translatable="false">${b.P('google-api-key', K.apiKey())}</string>
    <string name="gemini_api_key" translatable="false">${b.P('named-secret', K.opaque())}</string>
    <string name="default_web_client_id" translatable="false">${b.N('oauth-client-id', K.clientId())}</string>
    <string name="hint_api_key">Paste your API key here</string>
</resources>
`);
  add('android-app/gradle.properties', (b) => `org.gradle.jvmargs=-Xmx2048m -Dfile.encoding=UTF-8
android.useAndroidX=true
GEMINI_API_KEY=${b.P('google-api-key', K.apiKey())}
`);
  add('android-app/local.properties', (b) => `sdk.dir=/Users/dev/Library/Android/sdk
MAPS_API_KEY=${b.P('google-api-key', K.apiKey())}
`);
  add('android-app/app/src/main/AndroidManifest.xml', (b) => `<?xml version="1.0" encoding="utf-8"?>
<manifest xmlns:android="http://schemas.android.com/apk/res/android">
    <application android:label="@string/app_name">
        <meta-data
            android:name="com.google.android.geo.API_KEY"
            android:value="${b.P('google-api-key', K.apiKey())}" />
        <meta-data android:name="com.google.android.gms.ads.APPLICATION_ID" android:value="${b.N('env-reference', '${ADMOB_APP_ID}')}" />
    </application>
</manifest>
`);
  add('android-app/app/src/main/java/com/acme/chat/ChatViewModel.kt', (b) => `package com.acme.chat

import androidx.lifecycle.ViewModel
import com.google.ai.client.generativeai.GenerativeModel

class ChatViewModel : ViewModel() {
    private val model = GenerativeModel(
        modelName = "gemini-1.5-flash",
        apiKey = "${b.P('google-api-key', K.apiKey())}"
    )
    private val fromBuild = GenerativeModel(modelName = "gemini-1.5-flash", apiKey = ${b.N('env-reference', 'BuildConfig.GEMINI_API_KEY')})
}
`);
  add('android-app/app/src/main/java/com/acme/push/PushSender.java', (b) => `package com.acme.push;

import okhttp3.Request;

public final class PushSender {
    // legacy HTTP API, see https://firebase.google.com/docs/cloud-messaging/http-server-ref
    private static final String SERVER_KEY = "${b.P('fcm-server-key', K.fcmKey())}";
    private static final String FCM_URL = "https://fcm.googleapis.com/fcm/send";

    Request build(String body) {
        return new Request.Builder().url(FCM_URL)
            .header("Authorization", "key=" + SERVER_KEY)
            .header("X-Request-Id", "${b.N('uuid', K.uuid())}")
            .build();
    }
}
`);
  add('android-app/app/build.gradle.kts', (b) => `android {
    defaultConfig {
        applicationId = "com.acme.chat"
        buildConfigField("String", "GEMINI_API_KEY", "\\"${b.P('google-api-key', K.apiKey())}\\"")
        buildConfigField("String", "MAPS_KEY", "\\"${b.N('env-reference', '${project.findProperty("MAPS_API_KEY")}')}\\"")
    }
}
`);
  add('android-app/ios/Runner/GoogleService-Info.plist', (b) => `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>CLIENT_ID</key>
	<string>${b.N('oauth-client-id', K.clientId())}</string>
	<key>API_KEY</key>
	<string>${b.P('firebase-api-key', K.apiKey())}</string>
	<key>GCM_SENDER_ID</key>
	<string>${K.digits(12)}</string>
	<key>BUNDLE_ID</key>
	<string>com.acme.chat</string>
</dict>
</plist>
`);

  // ============ Project 5: Ruby and PHP (Rails initializer, credentials YAML, PHP config)
  add('rails-notify/config/initializers/gemini.rb', (b) => `require 'gemini-ai'

GEMINI = Gemini.new(
  credentials: {
    service: 'generative-language-api',
    api_key: '${b.P('google-api-key', K.apiKey())}'
  },
  options: { model: 'gemini-pro', server_sent_events: true }
)

FALLBACK_KEY = ${b.N('env-reference', "ENV.fetch('GEMINI_API_KEY', nil)")}
`);
  add('rails-notify/config/settings.yml', (b) => `production:
  google_oauth2:
    client_id: ${b.N('oauth-client-id', K.clientId())}
    client_secret: ${b.P('oauth-client-secret', K.clientSecret())}
  fcm:
    server_key: "${b.P('fcm-server-key', K.fcmKey())}"
  gemini:
    api_key: <%= ${b.N('env-reference', "ENV['GEMINI_API_KEY']")} %>
`);
  add('rails-notify/app/services/google_login.rb', (b) => `class GoogleLogin
  CLIENT_ID = '${b.N('oauth-client-id', K.clientId())}'.freeze
  CLIENT_SECRET = '${b.P('oauth-client-secret-legacy', K.legacySecret())}'.freeze
  TOKEN_URL = 'https://oauth2.googleapis.com/token'.freeze
  REFRESH_TOKEN = '${b.P('oauth-refresh-token', K.refreshToken())}'.freeze
end
`);
  add('php-site/config.php', (b) => `<?php
// Site configuration
define('GOOGLE_API_KEY', '${b.P('named-secret', K.opaque())}');
define('GEMINI_KEY_ENV', ${b.N('env-reference', "getenv('GEMINI_API_KEY')")});

$client = new Google\\Client();
$client->setApplicationName('Acme Site');
$client->setDeveloperKey('${b.P('google-api-key', K.apiKey())}');
$client->setClientId('${b.N('oauth-client-id', K.clientId())}');
$client->setClientSecret("${b.P('oauth-client-secret', K.clientSecret())}");
$client->setAuthConfig(__DIR__ . '/credentials.json');
`);
  add('php-site/composer.lock', (b) => `{
    "content-hash": "${b.N('lock-integrity', K.hex(32))}",
    "packages": [
        {
            "name": "google/apiclient",
            "version": "v2.18.2",
            "dist": { "type": "zip", "url": "https://api.github.com/repos/googleapis/google-api-php-client/zipball/${K.hex(40)}", "reference": "${b.N('hash', K.hex(40))}", "shasum": "" }
        }
    ]
}
`);

  // ============ Project 6: infrastructure and CI
  add('infra/.github/workflows/deploy.yml', (b) => `name: deploy
on:
  push:
    branches: [main]
jobs:
  deploy:
    runs-on: ubuntu-latest
    env:
      GEMINI_API_KEY: ${b.N('env-reference', '${{ secrets.GEMINI_API_KEY }}')}
      GOOGLE_CREDENTIALS: \${{ secrets.GCP_SA_KEY }}
      FIREBASE_TOKEN: ${b.P('oauth-refresh-token', K.refreshToken())}
    steps:
      - uses: actions/checkout@${b.N('hash', K.hex(40))}
      - run: npm ci && npm run build
      - run: |
          curl -fsS "https://generativelanguage.googleapis.com/v1beta/models?key=${b.P('google-api-key', K.apiKey())}" > /dev/null
      - run: npx firebase-tools deploy --token "$FIREBASE_TOKEN"
`);
  add('infra/.gitlab-ci.yml', (b) => {
    const sa = serviceAccount(K, 'infra-ci-5510', 'gitlab-deployer');
    const enc = Buffer.from(JSON.stringify(sa.obj)).toString('base64');
    return `variables:
  GOOGLE_CREDENTIALS_BASE64: "${b.P('service-account-base64', enc)}"
  GOOGLE_PROJECT: infra-ci-5510
  DOCKER_DRIVER: overlay2

deploy:
  image: google/cloud-sdk:slim
  script:
    - echo "$GOOGLE_CREDENTIALS_BASE64" | base64 -d > /tmp/sa.json
    - gcloud auth activate-service-account --key-file /tmp/sa.json
`;
  });
  add('infra/terraform/main.tf', (b) => `provider "google" {
  project     = "infra-ci-5510"
  region      = "europe-west1"
  credentials = file("${b.N('path', 'keys/terraform-sa.json')}")
}

resource "google_storage_hmac_key" "interop" {
  service_account_email = google_service_account.sync.email
}

resource "google_apikeys_key" "maps" {
  name         = "maps-key"
  display_name = "Maps key"
}

locals {
  maps_api_key = "${b.P('google-api-key', K.apiKey())}"
}
`);
  add('infra/terraform/prod.tfvars', (b) => `project_id     = "infra-ci-5510"
gemini_api_key = "${b.P('gemini-auth-key', K.authKey())}"
oauth_client_secret = "${b.P('oauth-client-secret', K.clientSecret())}"
image_digest   = "sha256:${b.N('hash', K.hex(64))}"
`);
  add('infra/docker-compose.yml', (b) => {
    const sa = serviceAccount(K, 'infra-ci-5510', 'compose-worker');
    const oneLine = JSON.stringify(sa.obj);
    return `services:
  api:
    build: .
    environment:
      - GEMINI_API_KEY=${b.P('google-api-key', K.apiKey())}
      - GOOGLE_API_KEY=${b.N('env-reference', '${GOOGLE_API_KEY}')}
      - GOOGLE_CLOUD_PROJECT=infra-ci-5510
  worker:
    image: acme/worker:latest
    environment:
      GOOGLE_SERVICE_ACCOUNT_JSON: '${b.P('service-account-key', oneLine, sa.needle)}'
      GCS_BUCKET: acme-uploads
`;
  });
  add('infra/credentials/application_default_credentials.json', (b) => {
    const obj = {
      account: '',
      client_id: b.N('oauth-client-id', K.clientId()),
      // The project's own OAuth client: its secret is a credential of its own (reset in Cloud Console → Credentials).
      client_secret: b.P('oauth-client-secret-legacy', K.legacySecret()),
      quota_project_id: 'infra-ci-5510',
      refresh_token: b.P('authorized-user', K.refreshToken()),
      type: J('authorized', '_user'),
      universe_domain: 'googleapis.com',
    };
    return JSON.stringify(obj, null, 2) + '\n';
  });
  add('infra/.npmrc', (b) => {
    const sa = serviceAccount(K, 'infra-ci-5510', 'artifact-reader');
    return `@acme:registry=https://europe-west1-npm.pkg.dev/infra-ci-5510/npm/
//europe-west1-npm.pkg.dev/infra-ci-5510/npm/:_authToken="${b.P('oauth-access-token', K.accessToken())}"
//europe-west1-npm.pkg.dev/infra-ci-5510/npm-legacy/:_password="${b.P('service-account-base64', Buffer.from(JSON.stringify(sa.obj)).toString('base64'))}"
//europe-west1-npm.pkg.dev/infra-ci-5510/npm-legacy/:username=_json_key_base64
//registry.npmjs.org/:_authToken=${b.N('env-reference', '${NPM_TOKEN}')}
always-auth=true
`;
  });
  add('infra/ops/rotate-keys.sh', (b) => `#!/bin/sh
# Rotate the Gemini key: create a new one in AI Studio, deploy it, then delete the old one.
# Keys look like AIza followed by 35 characters; auth keys start with AQ.
NEW_KEY="${b.N('env-reference', '${1:?usage: rotate-keys.sh NEW_KEY}')}"
gcloud secrets versions add gemini-api-key --data-file=- <<EOF
$NEW_KEY
EOF
echo "sha256 of old key: ${b.N('hash', K.hex(64))}"
`);
  add('infra/service-accounts/ci-deployer.json', (b) => {
    const sa = serviceAccount(K, 'infra-ci-5510', 'ci-deployer');
    b.P('service-account-key', null, sa.needle);
    // Written by a tool that indents with four spaces and orders keys differently.
    const { type, ...rest } = sa.obj;
    return JSON.stringify({ ...rest, type }, null, 4) + '\n';
  });
  add('infra/helm/values.yaml', (b) => {
    const sa = serviceAccount(K, 'infra-ci-5510', 'helm-sync');
    const block = sa.pem.trimEnd().split('\n').map((l) => `      ${l}`).join('\n');
    return `replicaCount: 2
gcp:
  serviceAccount:
    type: service_account
    project_id: ${sa.obj.project_id}
    private_key_id: ${sa.obj.private_key_id}
    ${b.P('service-account-key', 'private_key: |')}
${block}
    client_email: ${sa.obj.client_email}
gemini:
  apiKey: ""
  existingSecret: ${b.N('env-reference', 'gemini-api-key')}
`;
  });

  // ============ Project 7: docs (Markdown, HTML)
  add('docs-site/README.md', (b) => `# Acme Assistant

A small assistant built on the Gemini API.

## Setup

1. Create an API key in [Google AI Studio](https://aistudio.google.com/apikey).
2. Export it: \`export GEMINI_API_KEY=${b.N('placeholder', '<YOUR_API_KEY>')}\`
3. Run \`npm start\`.

API keys look like \`${b.N('prose', J(PFX.aiza, 'Sy', '...'))}\` and auth keys like \`${b.N('prose', J('AQ.', 'Ab8RN6', '…'))}\`; never commit them.

## Quick test

\`\`\`bash
curl "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent" \\
  -H 'Content-Type: application/json' \\
  -H 'x-goog-api-key: ${b.P('google-api-key', K.apiKey())}' \\
  -X POST -d '{"contents":[{"parts":[{"text":"Explain how AI works"}]}]}'
\`\`\`

Example from the Firebase docs: \`apiKey: "${b.N('published-sample', publishedSamples[0])}"\`.
`);
  add('docs-site/docs/troubleshooting.md', (b) => `# Troubleshooting

## invalid_client

If the token endpoint answers \`invalid_client\`, check the client secret. The request we sent:

\`\`\`
POST /token HTTP/1.1
Host: oauth2.googleapis.com
Content-Type: application/x-www-form-urlencoded

client_id=${b.N('oauth-client-id', K.clientId())}&client_secret=${b.P('oauth-client-secret', K.clientSecret())}&grant_type=refresh_token&refresh_token=${b.P('oauth-refresh-token', encodeURIComponent(K.refreshToken()))}
\`\`\`

## 401 from Cloud Storage

\`\`\`
GET /storage/v1/b/acme-uploads/o HTTP/1.1
Authorization: Bearer ${b.P('oauth-access-token', K.accessToken())}
\`\`\`

Request id: ${b.N('uuid', K.uuid())}. Trace: ${b.N('hash', K.hex(32))}.
A token starts with \`${b.N('prose', J(PFX.ya29, 'a0Af…'))}\`, a refresh token with \`1//0\`.
`);
  add('docs-site/docs/index.html', (b) => `<!DOCTYPE html>
<html>
<head>
  <title>Acme Assistant docs</title>
  <script src="https://www.gstatic.com/firebasejs/10.12.0/firebase-app-compat.js"></script>
</head>
<body>
  <pre><code>const config = { apiKey: "${b.N('placeholder', 'YOUR_API_KEY')}", authDomain: "YOUR_PROJECT.firebaseapp.com" };</code></pre>
  <script>
    firebase.initializeApp({
${firebaseConfig(b, K.apiKey(), '      ')}
    });
  </script>
  <p>Sample key from the SDK tests: <code>${b.N('published-sample', publishedSamples[1])}</code></p>
</body>
</html>
`);
  add('docs-site/CHANGELOG.md', (b) => `# Changelog

## 1.4.2
- Rotated the Gemini key that leaked in ${b.N('hash', K.hex(40))} (the old key is deleted).
- Moved \`GOOGLE_API_KEY\` to Secret Manager; the app reads \`process.env.GOOGLE_API_KEY\`.

## 1.4.1
- Upgraded @google/genai (integrity sha512-${b.N('hash', K.b64digest(64))}).
`);

  // ============ Project 8: Windows tools (UTF-16, CRLF, CR-only)
  add('windows-tools/scripts/setup.ps1', (b) => `# Sets the keys for the current user
$env:GEMINI_API_KEY = "${b.P('google-api-key', K.apiKey())}"
[Environment]::SetEnvironmentVariable("GOOGLE_API_KEY", "${b.P('named-secret', K.opaque())}", "User")
$fromVault = ${b.N('env-reference', '$env:GOOGLE_API_KEY')}
Write-Host "keys set"
`, { utf16: true });
  add('windows-tools/src/GeminiClient.cs', (b) => `using System;
using System.Net.Http;

namespace Acme.Tools
{
    public class GeminiClient
    {
        private const string ApiKey = "${b.P('gemini-auth-key', K.authKey())}";
        private readonly string _fromEnv = ${b.N('env-reference', 'Environment.GetEnvironmentVariable("GEMINI_API_KEY")')};

        public HttpRequestMessage Build()
        {
            var req = new HttpRequestMessage(HttpMethod.Get, "https://generativelanguage.googleapis.com/v1beta/models");
            req.Headers.Add("x-goog-api-key", ApiKey);
            return req;
        }
    }
}
`, { crlf: true });
  add('windows-tools/src/appsettings.json', (b) => `{
  "Logging": { "LogLevel": { "Default": "Information" } },
  "Gemini": {
    "ApiKey": "${b.P('google-api-key', K.apiKey())}",
    "Model": "gemini-1.5-flash"
  },
  "Authentication": {
    "Google": {
      "ClientId": "${b.N('oauth-client-id', K.clientId())}",
      "ClientSecret": "${b.P('oauth-client-secret', K.clientSecret())}"
    }
  },
  "ConnectionStrings": { "Default": "Server=.;Database=tools;Trusted_Connection=True" }
}
`, { crlf: true });
  add('windows-tools/run.bat', (b) => `@echo off
set GOOGLE_API_KEY=${b.P('google-api-key', K.apiKey())}
set GEMINI_MODEL=gemini-1.5-flash
python tool.py %*
`, { crlf: true });
  add('windows-tools/legacy/config.ini', (b) => `[google]
api_key=${b.P('google-api-key', K.apiKey())}
project=legacy-tools
[cache]
digest=${b.N('hash', K.hex(64))}
`, { cr: true });

  // ============ Project 9: hard negatives and odd places
  add('misc/data/checksums.txt', (b) => Array.from({ length: 6 }, (_, i) => {
    const kind = R.pick(['sha1', 'sha256', 'sha512']);
    const len = kind === 'sha1' ? 40 : kind === 'sha256' ? 64 : 128;
    return `${b.N('hash', K.hex(len))}  google-genai-${i}.0.${R.int(0, 9)}.tar.gz`;
  }).join('\n') + '\n');
  add('misc/data/accounts.csv', (b) => `id,provider,api_key_id,created\n` + Array.from({ length: 5 }, () => `${b.N('uuid', K.uuid())},google,${K.uuid()},2024-0${R.int(1, 9)}-1${R.int(0, 9)}`).join('\n') + '\n');
  add('misc/fixtures/requests.http', (b) => `### Call the backend with a session token
GET https://api.acme.dev/v1/me
Authorization: Bearer ${b.N('jwt', K.jwt())}

### Supabase anon
GET https://xyz.supabase.co/rest/v1/items
apikey: ${b.N('jwt', K.jwt())}
`);
  add('misc/fixtures/blobs.json', (b) => JSON.stringify({
    thumbnails: Array.from({ length: 3 }, () => b.N('base64-random', K.b64digest(R.int(60, 120)))),
    etag: b.N('base64-random', K.b64digest(16)),
    signature: b.N('base64-random', K.b64digest(64)),
  }, null, 2) + '\n');
  add('misc/yarn.lock', (b) => ['@google/generative-ai', 'firebase', 'googleapis-common'].map((p) => `"${p}@^1.0.0":
  version "1.${R.int(0, 9)}.${R.int(0, 9)}"
  resolved "https://registry.yarnpkg.com/${p}/-/${p.split('/').pop()}-1.0.0.tgz#${K.hex(40)}"
  integrity sha512-${b.N('lock-integrity', K.b64digest(64))}
`).join('\n'));
  add('misc/src/validate.ts', (b) => `// Key formats we accept in the settings page
export const API_KEY_PATTERN = ${b.N('regex', '/^AIza[0-9A-Za-z_-]{35}$/')};
export const AUTH_KEY_PREFIX = "AQ.Ab8RN6";
export const DEFAULT_KEY = ${b.N('env-reference', 'process.env.GOOGLE_API_KEY ?? ""')};
const GEMINI_KEY_PLACEHOLDER = "${b.N('placeholder', 'your-gemini-api-key')}";
const sampleKey = "${b.N('placeholder', J(PFX.aiza, 'Sy', 'abcdefghijklmnopqrstuvwxyz', '0123456'))}";
const stub = "${b.N('placeholder', J(PFX.aiza, 'SyA1B2C3D4E5F6G7H8I9J0', 'K1L2M3N4O5P6Q'))}";
const clientSecretStub = "${b.N('placeholder', J(PFX.gocspx, 'X'.repeat(28)))}";
const refreshStub = "${b.N('placeholder', J(PFX.refresh, 'x'.repeat(40)))}";
const tokenStub = "${b.N('placeholder', J(PFX.ya29, 'YOUR_ACCESS_TOKEN'))}";
`);
  add('misc/src/embedded.js', (b) => {
    const key = K.apiKey();
    return `// identifiers that merely contain key-shaped text
const cssClass = "${b.N('longer-token', 'x' + key)}";
const blobName = "${b.N('longer-token', key + K.str(6, ALNUM))}";
const route = "/assets/${b.N('longer-token', 'img_' + K.apiKey() + '_2x')}.png";
const firebaseSample = "${b.N('published-sample', publishedSamples[2])}";
`;
  });
  add('misc/db/seed.sql', (b) => `INSERT INTO settings (name, value) VALUES ('gemini_api_key', '${b.P('google-api-key', K.apiKey())}');
INSERT INTO api_keys (provider, key_hash) VALUES ('google', '${b.N('hash', K.hex(64))}');
INSERT INTO users (id, email) VALUES ('${b.N('uuid', K.uuid())}', 'dev@acme.dev');
`);
  add('misc/notes/keys.txt', (b) => `Notes from the incident call
- the leaked key was rotated; new one is in Secret Manager
- the old one started with AIzaSyB and ended with ...Q4
- ${b.N('prose', 'GEMINI_API_KEY should never be in the repo')}
- client id ${b.N('oauth-client-id', K.clientId())} is fine to share
`);
  addBinary('misc/assets/logo.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]), R.bytes(200), Buffer.from(K.apiKey()), R.bytes(100)]), 'binary');
  addBinary('misc/bin/__pycache__/config.cpython-311.pyc', Buffer.concat([Buffer.from([0xa7, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0]), R.bytes(64), Buffer.from(`GOOGLE_API_KEY${K.apiKey()}`), R.bytes(64)]), 'binary');
  addBinary('misc/assets/fonts/icons.woff2', Buffer.concat([Buffer.from('wOF2'), Buffer.from([0, 1, 0, 0]), R.bytes(400)]), 'binary');

  // ============ Project 10: more surroundings (Flutter, Swift, Rust, Vue, MCP configs, logs, token.json, ...)
  add('flutter-app/lib/firebase_options.dart', (b) => `// File generated by FlutterFire CLI.
import 'package:firebase_core/firebase_core.dart' show FirebaseOptions;

class DefaultFirebaseOptions {
  static const FirebaseOptions android = FirebaseOptions(
    apiKey: '${b.P('firebase-api-key', K.apiKey())}',
    appId: '1:${K.digits(12)}:android:${K.hex(22)}',
    messagingSenderId: '${b.N('config-value', K.digits(12))}',
    projectId: 'flutter-chat-${K.digits(4)}',
  );
}
`);
  add('ios-app/Sources/AppDelegate.swift', (b) => `import UIKit
import GoogleMaps

@main
class AppDelegate: UIResponder, UIApplicationDelegate {
  func application(_ application: UIApplication, didFinishLaunchingWithOptions launchOptions: [UIApplication.LaunchOptionsKey: Any]?) -> Bool {
    GMSServices.provideAPIKey("${b.P('google-api-key', K.apiKey())}")
    let gemini = GenerativeModel(name: "gemini-1.5-flash", apiKey: APIKey.default) // ${b.N('env-reference', 'APIKey.default')}
    return true
  }
}
`);
  add('rust-cli/src/main.rs', (b) => `use std::env;

const GEMINI_KEY: &str = "${b.P('gemini-auth-key', K.authKey())}";

fn main() {
    let key = env::var("GEMINI_API_KEY").unwrap_or_else(|_| GEMINI_KEY.to_string()); // ${b.N('env-reference', 'env::var("GEMINI_API_KEY")')}
    let url = format!("https://generativelanguage.googleapis.com/v1beta/models?key={}", key);
    println!("{}", url);
}
`);
  add('vue-shop/src/components/StoreMap.vue', (b) => `<template>
  <div ref="map" class="store-map" data-api-key="${b.P('google-api-key', K.apiKey())}"></div>
</template>

<script setup lang="ts">
import { Loader } from '@googlemaps/js-api-loader';
const loader = new Loader({ apiKey: ${b.N('env-reference', 'import.meta.env.VITE_MAPS_KEY')}, version: 'weekly' });
</script>
`);
  add('tools/.vscode/mcp.json', (b) => `{
  "servers": {
    "gemini": {
      "command": "npx",
      "args": ["-y", "gemini-mcp-server"],
      "env": { "GEMINI_API_KEY": "${b.P('google-api-key', K.apiKey())}" }
    },
    "search": {
      "command": "uvx",
      "args": ["google-search-mcp"],
      "env": { "GOOGLE_API_KEY": "${b.N('env-reference', '${input:google_api_key}')}", "GOOGLE_CSE_ID": "${b.N('config-value', K.str(17, LOWER + DIGITS))}" }
    }
  }
}
`);
  add('tools/claude_desktop_config.json', (b) => JSON.stringify({
    mcpServers: {
      'google-maps': { command: 'npx', args: ['-y', '@modelcontextprotocol/server-google-maps'], env: { GOOGLE_MAPS_API_KEY: b.P('google-api-key', K.apiKey()) } },
      gemini: { command: 'node', args: ['/opt/gemini/index.js'], env: { GEMINI_API_KEY: b.P('named-secret', K.opaque()) } },
    },
  }, null, 2) + '\n');
  add('quickstart/token.json', (b) => {
    const access = K.accessToken();
    const refresh = K.refreshToken();
    const secret = K.clientSecret();
    // google-auth-library writes this file on one line: three credentials on it.
    const text = JSON.stringify({ token: access, refresh_token: refresh, token_uri: 'https://oauth2.googleapis.com/token', client_id: K.clientId(), client_secret: secret, scopes: ['https://www.googleapis.com/auth/drive.readonly'], universe_domain: 'googleapis.com', account: '', expiry: '2024-05-02T10:11:12.123456Z' });
    b.P('oauth-access-token', access);
    b.P('oauth-refresh-token', refresh);
    b.P('oauth-client-secret', secret);
    return text;
  });
  add('quickstart/client_secret_desktop.json', (b) => JSON.stringify({
    installed: {
      client_id: b.N('oauth-client-id', K.clientId()),
      project_id: 'quickstart-1650',
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: 'https://oauth2.googleapis.com/token',
      auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
      client_secret: b.P('oauth-client-secret', K.clientSecret()),
      redirect_uris: ['http://localhost'],
    },
  }) + '\n');
  add('quickstart/client_secrets_web_2019.json', (b) => JSON.stringify({
    web: {
      client_id: b.N('oauth-client-id', K.clientId()),
      project_id: 'legacy-web-2019',
      auth_uri: 'https://accounts.google.com/o/oauth2/auth',
      token_uri: 'https://oauth2.googleapis.com/token',
      client_secret: b.P('oauth-client-secret-legacy', K.legacySecret()),
    },
  }, null, 2) + '\n');
  add('sheets-bot/.env', (b) => {
    const sa = serviceAccount(K, 'sheets-bot-3301', 'sheets-writer');
    return `GOOGLE_SERVICE_ACCOUNT_EMAIL=${sa.obj.client_email}
GOOGLE_PRIVATE_KEY="${b.P('service-account-key', sa.pem.replace(/\n/g, '\\n'), sa.needle)}"
GOOGLE_SHEET_ID=${b.N('config-value', K.str(44))}
`;
  });
  add('sheets-bot/src/auth.py', (b) => {
    const sa = serviceAccount(K, 'sheets-bot-3301', 'py-writer');
    return `from google.oauth2 import service_account

INFO = {
    "type": "service_account",
    "project_id": "${sa.obj.project_id}",
    "private_key_id": "${sa.obj.private_key_id}",
    ${b.P('service-account-key', '"private_key"')}: """${sa.pem.trimEnd()}""",
    "client_email": "${sa.obj.client_email}",
    "token_uri": "https://oauth2.googleapis.com/token",
}
creds = service_account.Credentials.from_service_account_info(INFO)
`;
  });
  add('sheets-bot/keys/sa-crlf.json', (b) => {
    const sa = serviceAccount(K, 'sheets-bot-3301', 'windows-export');
    b.P('service-account-key', null, sa.needle);
    return JSON.stringify(sa.obj, null, 2) + '\n';
  }, { crlf: true });
  add('sheets-bot/logs/app.log', (b) => `2024-05-02 10:11:12,345 INFO  starting worker pid=4242
2024-05-02 10:11:12,399 DEBUG request GET https://sheets.googleapis.com/v4/spreadsheets/${K.str(44)}?key=${b.P('google-api-key', K.apiKey())}
2024-05-02 10:11:13,002 DEBUG Authorization: Bearer ${b.P('oauth-access-token', K.accessToken())}
2024-05-02 10:11:13,120 INFO  trace_id=${b.N('hash', K.hex(32))} span=${K.hex(16)}
2024-05-02 10:11:14,500 WARN  GEMINI_API_KEY not set, using ${b.N('env-reference', '$GOOGLE_API_KEY')}
`);
  add('data-pipeline/config/application.yml', (b) => `spring:
  ai:
    vertex:
      ai:
        gemini:
          project-id: pipeline-8812
          api-key: ${b.P('named-secret', K.opaque())}
    openai:
      api-key: ${b.N('other-vendor', 'sk-proj-' + K.str(48, ALNUM))}
gcs:
  hmac:
    access-id: ${b.N('hmac-access-id', K.hmacId())}
    secret: ${b.P('hmac-secret', K.hmacSecret())}
`);
  add('data-pipeline/src/main/resources/application.properties', (b) => `server.port=8081
google.api.key=${b.P('google-api-key', K.apiKey())}
google.api.key.hash=${b.N('hash', K.hex(64))}
gemini.model=gemini-1.5-pro
google.oauth.client-id=${b.N('oauth-client-id', K.clientId())}
google.oauth.client-secret=${b.P('oauth-client-secret', K.clientSecret())}
`);
  add('data-pipeline/.boto', (b) => `[Credentials]
gs_access_key_id = ${b.N('hmac-access-id', K.hmacId())}
gs_secret_access_key = ${b.P('hmac-secret', K.hmacSecret())}

[Boto]
https_validate_certificates = True
`);
  add('data-pipeline/terraform/secrets.tf', (b) => `resource "kubernetes_secret" "gemini" {
  metadata { name = "gemini" }
  data = {
    GEMINI_API_KEY = base64decode("${b.P('base64-key', Buffer.from(K.authKey()).toString('base64'))}")
  }
}

variable "gemini_api_key" {
  type      = string
  sensitive = true
  default   = ${b.N('env-reference', 'null')}
}

output "key_ref" { value = ${b.N('env-reference', 'var.gemini_api_key')} }
`);
  add('notify-service/src/fcm.php', (b) => `<?php
$headers = [
    'Authorization: key=${b.P('fcm-server-key', K.fcmKey())}',
    'Content-Type: application/json',
];
$fallback = 'Authorization: key=' . ${b.N('env-reference', "getenv('FCM_SERVER_KEY')")};
`);
  add('notify-service/scripts/send-test-push.sh', (b) => `#!/bin/bash
curl -X POST https://fcm.googleapis.com/fcm/send \\
  -H "Authorization: key=${b.P('fcm-server-key', K.fcmKey())}" \\
  -H "Content-Type: application/json" \\
  -d '{"to":"${b.N('config-value', K.str(22) + ':' + K.str(60))}","notification":{"title":"hi"}}'
`);
  add('notify-service/src/gemini_client.rb', (b) => `require 'net/http'

uri = URI("https://generativelanguage.googleapis.com/v1beta/models/gemini-1.5-flash:generateContent")
req = Net::HTTP::Post.new(uri)
req['x-goog-api-key'] = '${b.P('api-key-header', K.opaque(39))}'
req['Content-Type'] = 'application/json'
other = Net::HTTP::Post.new(uri)
other['x-goog-api-key'] = ${b.N('env-reference', "ENV['GEMINI_API_KEY']")}
`);
  add('notify-service/README.md', (b) => `# notify-service

Sends push notifications. Configure:

| variable | example |
|---|---|
| \`FCM_SERVER_KEY\` | \`${b.N('placeholder', 'AAAA...:APA91b...')}\` |
| \`GEMINI_API_KEY\` | \`${b.N('placeholder', J(PFX.aiza, 'Sy', '•'.repeat(8)))}\` |
| \`GOOGLE_CLIENT_SECRET\` | \`${b.N('placeholder', J(PFX.gocspx, '<secret>'))}\` |

Our staging key is \`${b.P('google-api-key', K.apiKey())}\` (restricted to the staging IPs).

> Never paste a real key in an issue. A key looks like \`${b.N('prose', 'AIza' + 'Sy' + 'B' + 'x'.repeat(6) + '…')}\`.
`);
  add('notify-service/docs/api.html', (b) => `<!DOCTYPE html>
<html><body>
<h1>Notify API</h1>
<p>Use the <code>x-goog-api-key</code> header; do not pass <code>?key=</code>.</p>
<pre>curl -H "x-goog-api-key: ${b.N('placeholder', 'YOUR_API_KEY')}" https://generativelanguage.googleapis.com/v1beta/models</pre>
<script>
  const MAPS = "${b.P('google-api-key', K.apiKey())}";
  const sample = "${b.N('published-sample', publishedSamples[3])}";
</script>
</body></html>
`);
  add('ml-notebooks/colab_gemini.ipynb', (b) => {
    const nb = {
      nbformat: 4, nbformat_minor: 0,
      metadata: { colab: { name: 'gemini.ipynb' }, kernelspec: { name: 'python3', display_name: 'Python 3' } },
      cells: [
        { cell_type: 'code', metadata: {}, execution_count: null, outputs: [], source: ['from google.colab import userdata\n', `GOOGLE_API_KEY = ${b.N('env-reference', "userdata.get('GOOGLE_API_KEY')")}`] },
        { cell_type: 'code', metadata: {}, execution_count: 2, outputs: [], source: ['from google import genai\n', `client = genai.Client(api_key='${b.P('gemini-auth-key', K.authKey())}')\n`] },
        { cell_type: 'code', metadata: {}, execution_count: 3, source: ['import base64\n', `cfg = base64.b64decode("${b.P('base64-key', Buffer.from(`GEMINI_API_KEY=${K.apiKey()}\n`).toString('base64'))}")`],
          outputs: [{ output_type: 'display_data', metadata: {}, data: { 'image/png': b.N('base64-random', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), R.bytes(900)]).toString('base64')), 'text/plain': ['<Figure size 640x480 with 1 Axes>'] } }] },
      ],
    };
    return JSON.stringify(nb, null, 1) + '\n';
  });
  add('ml-notebooks/train.ipynb', (b) => {
    // Saved by an editor that writes the notebook on one line: several cells, one physical line.
    const nb = { cells: [
      { cell_type: 'code', metadata: {}, outputs: [], source: [`os.environ["GEMINI_API_KEY"] = "${b.P('google-api-key', K.apiKey())}"\n`, 'import vertexai\n'] },
      { cell_type: 'markdown', metadata: {}, source: ['Checkpoint sha256: ', b.N('hash', K.hex(64))] },
    ], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    return JSON.stringify(nb);
  });
  add('legacy-portal/web.config', (b) => `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <appSettings>
    <add key="GoogleMapsKey" value="${b.P('google-api-key', K.apiKey())}" />
    <add key="GeminiApiKey" value="${b.P('named-secret', K.opaque())}" />
    <add key="GoogleAnalyticsId" value="${b.N('config-value', 'G-' + K.str(10, UPPER + DIGITS))}" />
  </appSettings>
</configuration>
`, { crlf: true });
  add('legacy-portal/Scripts/maps-loader.min.js', (b) => {
    let s = '!function(e){"use strict";';
    for (let i = 0; i < 400; i++) s += `var a${i}=function(t){return t*${R.int(2, 99)}+"${K.str(8, ALNUM)}"};`;
    s += `e.gmapsKey="${b.P('google-api-key', K.apiKey())}";e.docs="${b.N('placeholder', J(PFX.aiza, 'Sy', 'Y'.repeat(33)))}";`;
    for (let i = 0; i < 400; i++) s += `e.h${i}=${R.int(0, 9999)};`;
    s += `e.build="${b.N('hash', K.hex(40))}";`;
    s += `e.token="${b.N('longer-token', K.str(10) + K.apiKey() + K.str(10))}";}(window);`;
    return s;
  });
  add('misc/notes/incident-2024-03.md', (b) => `# Incident 2024-03: leaked key

On March 3rd a contributor pushed \`.env\` with the production Gemini key. GitHub secret scanning flagged it.

1. We created a new key and deployed it.
2. We deleted the old key (the one starting \`AIzaSyC\` and ending \`…Qx4\`).
3. Billing showed no unusual usage.

The rotated key was replaced by ${b.N('env-reference', '`${{ secrets.GEMINI_API_KEY }}`')} in CI.
Commit ${b.N('hash', K.hex(40))} removed the file; we did not rewrite history.
`);

  // ============ A second batch of the common cases in other surroundings, so each kind appears many times.
  const langs = ['py', 'js', 'ts', 'go', 'rb', 'java', 'env', 'yaml', 'toml', 'json', 'sh', 'kt', 'php'];
  const assign = (lang, name, value) => {
    switch (lang) {
      case 'py': {
        const c = q();
        return `${name} = ${c}${value}${c}`;
      }
      case 'js': return `export const ${name} = '${value}';`;
      case 'ts': return `const ${name}: string = "${value}";`;
      case 'go': return `var ${name} = "${value}"`;
      case 'rb': return `${name} = "${value}".freeze`;
      case 'java': return `    static final String ${name} = "${value}";`;
      case 'env': return `${name}=${value}`;
      case 'yaml': return `${name.toLowerCase()}: ${value}`;
      case 'toml': return `${name.toLowerCase()} = "${value}"`;
      case 'json': return `  "${name.toLowerCase().replace(/_([a-z])/g, (m, c) => c.toUpperCase())}": "${value}",`;
      case 'sh': return `export ${name}='${value}'`;
      case 'kt': return `const val ${name} = "${value}"`;
      case 'php': return `$${name.toLowerCase()} = '${value}';`;
      default: throw new Error(lang);
    }
  };
  const ext = { py: 'py', js: 'js', ts: 'ts', go: 'go', rb: 'rb', java: 'java', env: 'env', yaml: 'yaml', toml: 'toml', json: 'json', sh: 'sh', kt: 'kt', php: 'php' };
  const names = {
    'google-api-key': ['GOOGLE_API_KEY', 'MAPS_API_KEY', 'YOUTUBE_KEY', 'PLACES_KEY', 'API_KEY', 'GCP_KEY'],
    'gemini-auth-key': ['GEMINI_API_KEY', 'GOOGLE_GENAI_KEY', 'VERTEX_EXPRESS_KEY', 'LLM_KEY'],
    'oauth-client-secret': ['GOOGLE_CLIENT_SECRET', 'OAUTH_SECRET', 'CLIENT_SECRET'],
    'oauth-access-token': ['ACCESS_TOKEN', 'GCP_TOKEN', 'BEARER'],
    'oauth-refresh-token': ['REFRESH_TOKEN', 'GOOGLE_REFRESH_TOKEN', 'GDRIVE_TOKEN'],
    'fcm-server-key': ['FCM_SERVER_KEY', 'FIREBASE_SERVER_KEY', 'PUSH_KEY'],
    'named-secret': ['GEMINI_API_KEY', 'GOOGLE_API_KEY', 'GOOGLE_GEMINI_KEY', 'GENAI_API_KEY', 'VERTEX_API_KEY'],
  };
  const make = {
    'google-api-key': K.apiKey, 'gemini-auth-key': K.authKey, 'oauth-client-secret': K.clientSecret,
    'oauth-access-token': K.accessToken, 'oauth-refresh-token': K.refreshToken, 'fcm-server-key': K.fcmKey,
    'named-secret': () => K.opaque(),
  };
  const negatives = [
    (n) => ['env-reference', n === 'py' ? `os.environ.get("GEMINI_API_KEY")` : n === 'sh' || n === 'env' ? '${GEMINI_API_KEY}' : 'process.env.GEMINI_API_KEY'],
    () => ['placeholder', R.pick(['YOUR_API_KEY', 'your-api-key-here', '<GEMINI_API_KEY>', 'REPLACE_ME', 'changeme', 'xxxxxxxxxxxxxxxxxxxxxxxx'])],
    () => ['placeholder', J(PFX.aiza, 'Sy', R.pick(['Dummy', 'EXAMPLE', 'Test', 'Sample', 'Fake']), 'Key', '0'.repeat(33 - 3 - R.pick([5, 7, 4, 6])).slice(0, 20), 'x'.repeat(8)).slice(0, 39)],
    () => ['hash', K.hex(R.pick([40, 64]))],
    () => ['uuid', K.uuid()],
    () => ['config-value', R.pick(['gemini-2.5-pro', 'us-central1', 'projects/acme/locations/global', 'models/text-embedding-004'])],
  ];
  let serial = 0;
  for (const [kind, list] of Object.entries(names)) {
    const count = kind === 'google-api-key' ? 8 : kind === 'named-secret' ? 6 : 4;
    for (let i = 0; i < count; i++) {
      const lang = langs[(serial++ * 5 + i) % langs.length];
      const dir = R.pick(['services/billing', 'services/search', 'tools/sync', 'apps/admin', 'lib/shared']);
      const base = `${R.pick(['settings', 'secrets', 'keys', 'config', 'constants', 'prod'])}_${serial}`;
      const path = lang === 'env' ? `${dir}/.env.${R.pick(['production', 'staging', 'dev'])}${serial}` : `${dir}/${base}.${ext[lang]}`;
      add(path, (b) => {
        const lines = [];
        const comment = { py: '#', rb: '#', sh: '#', env: '#', yaml: '#', toml: '#', js: '//', ts: '//', go: '//', java: '//', kt: '//', php: '//', json: null }[lang];
        if (lang === 'json') lines.push('{');
        if (lang === 'java') lines.push('final class Keys {');
        if (lang === 'php') lines.push('<?php');
        if (comment) lines.push(`${comment} ${R.pick(['generated by setup.sh', 'keep in sync with the console', 'TODO rotate', 'prod values'])}`);
        for (let j = 0; j < 2; j++) {
          const [nk, nv] = R.pick(negatives)(lang);
          lines.push(assign(lang, R.pick(['GEMINI_API_KEY', 'GOOGLE_API_KEY', 'MODEL', 'REGION', 'KEY_SHA']) + (j ? '_FALLBACK' : ''), b.N(nk, nv)));
        }
        const value = make[kind]();
        lines.push(assign(lang, R.pick(list), b.P(kind, value)));
        lines.push(assign(lang, 'LOG_LEVEL', 'info'));
        if (lang === 'json') lines.push('  "version": 2\n}');
        if (lang === 'java') lines.push('}');
        return lines.join('\n') + '\n';
      });
    }
  }

  // Base64-encoded keys hidden in code.
  add('misc/src/obfuscated.js', (b) => {
    const enc = (v) => Buffer.from(v).toString('base64');
    return `// "obfuscated" so scanners do not see it
const k = atob("${b.P('base64-key', enc(K.apiKey()))}");
const t = Buffer.from('${b.P('base64-key', enc(K.authKey()))}', 'base64').toString();
const logo = "data:image/png;base64,${b.N('base64-random', K.b64digest(90))}";
`;
  });
  add('misc/tools/decode_key.py', (b) => {
    const enc = (v) => Buffer.from(v).toString('base64');
    return `import base64

API_KEY = base64.b64decode("${b.P('base64-key', enc(K.apiKey()))}").decode()
SECRET = base64.b64decode(b'${b.P('base64-key', enc(K.clientSecret() + '\n'))}').decode().strip()
SALT = base64.b64decode("${b.N('base64-random', K.b64digest(24))}")
`;
  });
  add('misc/deploy/.env.ci', (b) => {
    const sa = serviceAccount(K, 'misc-ci-0042', 'ci');
    const escaped = JSON.stringify(JSON.stringify(sa.obj));
    return `GOOGLE_CLOUD_PROJECT=misc-ci-0042
GOOGLE_CREDENTIALS_JSON=${b.P('service-account-escaped', escaped, sa.needle)}
GCP_SA_KEY_FILE=${b.N('path', '/run/secrets/gcp-sa.json')}
`;
  });
  add('misc/deploy/.env.storage', (b) => `GCS_HMAC_ACCESS_ID=${b.N('hmac-access-id', K.hmacId())}
GCS_HMAC_SECRET=${b.P('hmac-secret', K.hmacSecret())}
GCS_BUCKET=misc-uploads
`);
  add('misc/src/push.ts', (b) => `const FCM_KEY = '${b.P('fcm-server-key', K.fcmKey())}';
export async function push(token: string) {
  return fetch('https://fcm.googleapis.com/fcm/send', { method: 'POST', headers: { Authorization: \`key=\${FCM_KEY}\` } });
}
`);
  add('misc/src/gcal.ts', (b) => `import { google } from 'googleapis';

const oauth2 = new google.auth.OAuth2(
  '${b.N('oauth-client-id', K.clientId())}',
  '${b.P('oauth-client-secret', K.clientSecret())}',
  'https://acme.dev/oauth2callback',
);
oauth2.setCredentials({
  access_token: '${b.P('oauth-access-token', K.accessToken())}',
  refresh_token: '${b.P('oauth-refresh-token', K.refreshToken())}',
});
`);
  add('misc/src/genai-node.mjs', (b) => `import { GoogleGenAI } from "@google/genai";

const ai = new GoogleGenAI({
  apiKey: "${b.P('client-argument', K.opaque())}",
});
const other = new GoogleGenAI({ apiKey: ${b.N('env-reference', 'process.env.GEMINI_API_KEY')} });
`);
  add('misc/src/maps-url.py', (b) => `import requests

URL = "https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key=${b.P('api-key-in-url', K.opaque(39))}"
DOCS = "https://maps.googleapis.com/maps/api/geocode/json?address=Berlin&key=${b.N('placeholder', 'YOUR_API_KEY')}"
print(requests.get(URL).json())
`);
  add('misc/src/authorized_user.py', (b) => `# copied from ~/.config/gcloud/application_default_credentials.json
ADC = {
    "client_id": "${b.N('oauth-client-id', K.clientId())}",
    "client_secret": "${b.P('oauth-client-secret-legacy', K.legacySecret())}",
    "refresh_token": "${b.P('authorized-user', K.refreshToken())}",
    "type": "authorized_user",
}
`);

  // ---- several credentials in one place, private keys wherever they sit, legacy client secrets by name
  const pemParts = (pem) => {
    const lines = pem.trimEnd().split('\n');
    return { begin: lines[0], body: lines.slice(1, -1), end: lines[lines.length - 1], escaped: `${lines.join('\\n')}\\n` };
  };
  // gcloud's own public OAuth clients (published in the Cloud SDK): their secrets are not secrets.
  const GCLOUD = { id: J('32555940559', '.apps.googleusercontent.com'), secret: J('ZmssLNjJy', '2998hD4CTg2ejr2') };
  const ADC = { id: J('764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur', '.apps.googleusercontent.com'), secret: J('d-FL95Q19q7', 'MQmFpd7hHD0Ty') };
  add('dotfiles/gcloud/application_default_credentials.json', (b) =>
    JSON.stringify(
      { client_id: ADC.id, client_secret: b.N('public-client-secret', ADC.secret), refresh_token: b.P('authorized-user', K.refreshToken()), type: J('authorized', '_user') },
      null,
      2,
    ) + '\n',
  );
  add('dotfiles/gcloud/legacy_login.yaml', (b) => `type: ${J('authorized', '_user')}
client_id: ${GCLOUD.id}
client_secret: ${b.N('public-client-secret', GCLOUD.secret)}
refresh_token: ${b.P('authorized-user', K.refreshToken())}
`);
  add('sheets-sync/token.json', (b) => {
    const access = K.accessToken();
    const refresh = K.refreshToken();
    const secret = K.clientSecret();
    b.P('oauth-access-token', access);
    b.P('oauth-refresh-token', refresh, 'refresh_token');
    b.P('oauth-client-secret', secret, 'client_secret');
    return JSON.stringify({ token: access, refresh_token: refresh, token_uri: 'https://oauth2.googleapis.com/token', client_id: K.clientId(), client_secret: secret, scopes: ['https://www.googleapis.com/auth/spreadsheets'], expiry: '2026-11-02T10:11:12Z' }) + '\n';
  });
  add('sheets-sync/src/firebase-admin.js', (b) => {
    const sa = serviceAccount(K, 'sheets-sync-7781', 'firebase-adminsdk-x1y2z');
    const { begin, body, end } = pemParts(sa.pem);
    return `// Firebase Admin SDK, initialised from an inline key (do not do this)
const admin = require('firebase-admin');

admin.initializeApp({
  credential: admin.credential.cert({
    projectId: 'sheets-sync-7781',
    clientEmail: '${sa.obj.client_email}',
    privateKey: '${b.P('service-account-key', begin)}\\n' +
${body.map((l) => `      '${l}\\n' +`).join('\n')}
      '${end}\\n',
  }),
});
`;
  });
  add('sheets-sync/sa_settings.py', (b) => {
    const sa = serviceAccount(K, 'sheets-sync-7781', 'py-sheets');
    return `# Settings for the sheets worker
SERVICE_ACCOUNT_INFO = {
    "type": "${J('service', '_account')}",
    "client_email": "${sa.obj.client_email}",
    "private_key_id": "${sa.obj.private_key_id}",
    "private_key": "${b.P('service-account-key', pemParts(sa.pem).escaped, sa.needle)}",
}
`;
  });
  add('sheets-sync/deploy/values.yaml', (b) => {
    const sa = serviceAccount(K, 'sheets-sync-7781', 'helm-sheets');
    return `worker:
  replicas: 2
  gcp:
    client_email: ${sa.obj.client_email}
    # old key, kept for reference
    # private_key: "${b.P('service-account-key', pemParts(sa.pem).escaped, sa.needle)}"
`;
  });
  add('sheets-sync/tls/server.go', (b) => {
    const pem = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'sec1', format: 'pem' }).toString();
    const cert = `-----BEGIN CERTIFICATE-----\nMIIBdzCCAR2gAwIBAgIUQmT${K.str(40, ALNUM)}\n-----END CERTIFICATE-----`;
    return `package tls

// Test server key and certificate.
const serverKey = \`${b.P('private-key', pemParts(pem).begin)}
${pemParts(pem).body.join('\n')}
${pemParts(pem).end}
\`

const serverCert = \`${b.N('certificate', cert.split('\n')[0])}
${cert.split('\n').slice(1).join('\n')}
\`
`;
  });
  add('sheets-sync/config/jwt.js', (b) => {
    const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const pub = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    return `module.exports = {
  jwtPrivateKey: "${b.P('private-key', pemParts(pem).escaped, pemParts(pem).begin)}",
  jwtPublicKey: "${b.N('public-key', pemParts(pub).escaped, pemParts(pub).begin)}",
  placeholder: "${b.N('placeholder', '-----BEGIN PRIVATE KEY-----\\nYOUR_PRIVATE_KEY\\n-----END PRIVATE KEY-----')}",
};
`;
  });
  add('oauth-legacy/.env.production', (b) => `GOOGLE_CLIENT_ID=${b.N('oauth-client-id', K.clientId())}
GOOGLE_CLIENT_SECRET=${b.P('oauth-client-secret-legacy', K.legacySecret())}
GITHUB_CLIENT_SECRET=${b.N('other-vendor', K.str(24, ALNUM))}
SESSION_SECRET=${b.N('other-secret', K.hex(32))}
`);
  add('oauth-legacy/src/auth.ts', (b) => `import { OAuth2Client } from 'google-auth-library';

export const client = new OAuth2Client({
  clientSecret: '${b.P('oauth-client-secret-legacy', K.legacySecret())}',
  redirectUri: 'https://app.example.org/callback',
});
// Mongo id of the OAuth app document, not a secret
export const appDoc = { client_secret: '${b.N('hex-id', K.hex(24))}' };
export const fromVault = { clientSecret: ${b.N('identifier', 'clientSecretFromVault')} };
`);

  return files;
}

// ---------------------------------------------------------------- writing
function encodeText(file) {
  let text = file.text;
  if (file.opts.crlf) text = text.replace(/\n/g, '\r\n');
  if (file.opts.cr) text = text.replace(/\n/g, '\r');
  if (file.opts.utf16) return { text, bytes: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]) };
  return { text, bytes: Buffer.from(text, 'utf8') };
}

function writeCorpus(out, seed) {
  const files = buildCorpus(seed);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const planted = [];
  const negatives = [];
  const negativeFiles = [];
  const types = new Set();
  for (const f of files) {
    const abs = join(out, f.path);
    mkdirSync(dirname(abs), { recursive: true });
    if (f.opts.binary) {
      writeFileSync(abs, f.bytes);
      negativeFiles.push({ file: f.path, kind: f.negativeFile });
      types.add('binary');
      continue;
    }
    const { text, bytes } = encodeText(f);
    writeFileSync(abs, bytes);
    for (const m of locate(f, text)) (m.type === 'positive' ? planted : negatives).push({ file: m.file, line: m.line, kind: m.kind });
    if (/\.lock$|lock\.json$|go\.sum$/.test(f.path)) negativeFiles.push({ file: f.path, kind: 'lock-file' });
    types.add(fileType(f));
  }
  const manifest = {
    version: 1,
    seed,
    note: 'Planted credentials (positives) and hard negatives. A service-account file counts at its private_key line.',
    fileTypes: [...types].sort(),
    planted,
    negatives,
    negativeFiles,
  };
  writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

function fileType(f) {
  if (f.opts.utf16) return 'utf-16';
  if (f.opts.crlf) return 'crlf';
  if (f.opts.cr) return 'cr';
  const base = f.path.split('/').pop();
  if (base === 'Dockerfile') return 'dockerfile';
  if (base.startsWith('.env')) return 'env';
  if (base.endsWith('.min.js') || /assets\/index-.*\.js$/.test(f.path)) return 'minified-js';
  if (base === 'strings.xml' || base === 'AndroidManifest.xml') return 'android-xml';
  if (base === 'google-services.json') return 'google-services.json';
  if (/k8s\//.test(f.path)) return 'kubernetes';
  if (base.endsWith('.gradle.kts') || base.endsWith('.properties')) return 'gradle';
  const m = /\.([a-z0-9]+)$/.exec(base);
  const e = m ? m[1] : base;
  return { yml: 'yaml', mjs: 'js', tfvars: 'tf' }[e] ?? e;
}

// ---------------------------------------------------------------- history repository
function git(cwd, args, env = {}) {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: cwd, ...env },
  }).trim();
}

function buildHistory(dir, seed) {
  const R = makeRandom(seed + 7);
  const K = makers(R);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main']);
  git(dir, ['config', 'user.name', 'Corpus Bot']);
  git(dir, ['config', 'user.email', 'corpus@example.com']);
  git(dir, ['config', 'commit.gpgsign', 'false']);
  let tick = 0;
  const when = () => `2024-03-${String(1 + (tick++ % 28)).padStart(2, '0')}T10:00:00Z`;
  const write = (path, text) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  };
  const commit = (msg) => {
    const d = when();
    git(dir, ['add', '-A']);
    git(dir, ['commit', '-q', '--allow-empty', '-m', msg], { GIT_AUTHOR_DATE: d, GIT_COMMITTER_DATE: d });
    return git(dir, ['rev-parse', 'HEAD']);
  };
  const planted = [];
  const negatives = [];
  const plant = (commitSha, file, text, value, kind, scenario) => planted.push({ commit: commitSha, file, line: lineOf(text, text.indexOf(value)), kind, scenario });

  write('README.md', '# history corpus\n\nSet GEMINI_API_KEY in your environment.\n');
  write('app/main.py', 'import os\n\nKEY = os.environ["GEMINI_API_KEY"]\n');
  commit('initial commit');

  // 1. Added then deleted.
  const k1 = K.apiKey();
  const t1 = `export const config = {\n  region: 'eu',\n  apiKey: '${k1}',\n};\n`;
  write('web/config.js', t1);
  const c1 = commit('add web config');
  plant(c1, 'web/config.js', t1, k1, 'google-api-key', 'added-then-deleted');
  rmSync(join(dir, 'web/config.js'));
  commit('remove key from config');

  // 2. Rotated: replaced by another key, both are leaks.
  const k2a = K.authKey();
  const k2b = K.authKey();
  const t2a = `GEMINI_API_KEY=${k2a}\nMODEL=gemini-2.5-flash\n`;
  write('deploy/prod.env', t2a);
  const c2a = commit('prod env');
  plant(c2a, 'deploy/prod.env', t2a, k2a, 'gemini-auth-key', 'rotated-old');
  const t2b = `GEMINI_API_KEY=${k2b}\nMODEL=gemini-2.5-flash\n`;
  write('deploy/prod.env', t2b);
  const c2b = commit('rotate gemini key');
  plant(c2b, 'deploy/prod.env', t2b, k2b, 'gemini-auth-key', 'rotated-new');

  // 3. Renamed: the key is introduced once, then the file moves.
  const k3 = K.clientSecret();
  const t3 = `# oauth\nGOOGLE_CLIENT_SECRET = "${k3}"\n`;
  write('old/oauth_settings.py', t3);
  const c3 = commit('oauth settings');
  plant(c3, 'old/oauth_settings.py', t3, k3, 'oauth-client-secret', 'renamed');
  git(dir, ['mv', 'old/oauth_settings.py', 'app/oauth_settings.py']);
  commit('move oauth settings');

  // 4. Unmerged branch.
  git(dir, ['checkout', '-q', '-b', 'feature/push']);
  const k4 = K.fcmKey();
  const t4 = `const FCM_SERVER_KEY = "${k4}";\nmodule.exports = { FCM_SERVER_KEY };\n`;
  write('push/fcm.js', t4);
  const c4 = commit('wip push notifications');
  plant(c4, 'push/fcm.js', t4, k4, 'fcm-server-key', 'unmerged-branch');
  git(dir, ['checkout', '-q', 'main']);

  // 5. Reachable only from a tag.
  git(dir, ['checkout', '-q', '-b', 'release-tmp']);
  const k5 = K.refreshToken();
  const t5 = `{\n  "refresh_token": "${k5}",\n  "note": "temp"\n}\n`;
  write('release/token.json', t5);
  const c5 = commit('release token');
  plant(c5, 'release/token.json', t5, k5, 'oauth-refresh-token', 'tag-only');
  git(dir, ['tag', 'v0.9.0-rc1']);
  git(dir, ['checkout', '-q', 'main']);
  git(dir, ['branch', '-q', '-D', 'release-tmp']);

  // 6. Evil merge: the key appears only in the merge commit's conflict resolution.
  write('app/settings.py', 'TIMEOUT = 10\nRETRIES = 3\n');
  commit('settings');
  git(dir, ['checkout', '-q', '-b', 'tune']);
  write('app/settings.py', 'TIMEOUT = 30\nRETRIES = 3\n');
  commit('longer timeout');
  git(dir, ['checkout', '-q', 'main']);
  write('app/settings.py', 'TIMEOUT = 5\nRETRIES = 3\n');
  commit('shorter timeout');
  try {
    git(dir, ['merge', '-q', '--no-ff', 'tune', '-m', 'merge tune']);
  } catch {
    /* conflict expected */
  }
  const k6 = K.apiKey();
  const t6 = `TIMEOUT = 20\nRETRIES = 3\nMAPS_API_KEY = "${k6}"\n`;
  write('app/settings.py', t6);
  const c6 = commit('Merge branch tune');
  plant(c6, 'app/settings.py', t6, k6, 'google-api-key', 'evil-merge');

  // 7. Negatives in history: a placeholder replaced by an env reference.
  const tn = `GEMINI_API_KEY=${J(PFX.aiza, 'Sy', 'X'.repeat(33))}\n`;
  write('examples/.env.sample', tn);
  const cn = commit('sample env');
  negatives.push({ commit: cn, file: 'examples/.env.sample', line: 1, kind: 'placeholder' });
  write('examples/.env.sample', 'GEMINI_API_KEY=${GEMINI_API_KEY}\n');
  commit('use env reference');

  // 8. Staged only: in the index, never committed.
  const k8 = K.apiKey();
  const t8 = `window.MAPS_KEY = "${k8}";\n`;
  write('web/maps.js', t8);
  git(dir, ['add', 'web/maps.js']);
  const staged = [{ file: 'web/maps.js', line: 1, kind: 'google-api-key', scenario: 'staged-only' }];

  return { planted, negatives, staged };
}

// ---------------------------------------------------------------- main
function parseArgs(argv) {
  const args = { seed: 20260, out: join(ROOT, 'bench/.work/corpus'), history: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--seed') args.seed = Number(argv[++i]);
    else if (a === '--out') args.out = resolve(argv[++i]);
    else if (a === '--history') args.history = true;
    else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: node bench/corpus/generate.mjs [--seed N] [--out DIR] [--history]\n');
      process.exit(0);
    } else {
      process.stderr.write(`generate.mjs: unknown option ${a}\n`);
      process.exit(2);
    }
  }
  if (!Number.isInteger(args.seed)) {
    process.stderr.write('generate.mjs: --seed takes an integer\n');
    process.exit(2);
  }
  return args;
}

export function generate({ seed = 20260, out = join(ROOT, 'bench/.work/corpus'), history = false } = {}) {
  const manifest = writeCorpus(out, seed);
  let historyManifest;
  if (history) {
    const repo = join(dirname(out), 'history-repo');
    historyManifest = { version: 1, seed, repo, ...buildHistory(repo, seed) };
    writeFileSync(join(dirname(out), 'history-manifest.json'), JSON.stringify(historyManifest, null, 2) + '\n');
  }
  return { manifest, historyManifest };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = parseArgs(process.argv.slice(2));
  const { manifest, historyManifest } = generate(args);
  const digest = createHash('sha256').update(JSON.stringify(manifest.planted)).digest('hex').slice(0, 12);
  process.stdout.write(
    `corpus: ${manifest.planted.length} planted credentials, ${manifest.negatives.length} hard negatives (+${manifest.negativeFiles.length} negative files), ` +
      `${manifest.fileTypes.length} file types in ${args.out} (seed ${args.seed}, manifest ${digest})\n`,
  );
  if (historyManifest) {
    process.stdout.write(`history: ${historyManifest.planted.length} leaks in history, ${historyManifest.staged.length} staged, repo ${historyManifest.repo}\n`);
  }
}
