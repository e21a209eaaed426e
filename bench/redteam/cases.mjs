// The red-team set: files the way real projects leak Google credentials (and the way they hold key-shaped
// things that are not leaks), written independently of bench/corpus/generate.mjs. Every value is generated at run
// time (keys.mjs). A case is { path, content, plants: [secret…], note }: plants are the credentials a scanner must
// report in that file; anything else it reports there is a false positive.
import { generateKeyPairSync } from 'node:crypto';
import { makeGen, pemSecret, serviceAccount, PREFIX as P } from './keys.mjs';

const crlf = (s) => s.replace(/\r?\n/g, '\r\n');
const utf16 = (s) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');
const X = (n, c = 'X') => c.repeat(n);

export function buildCases(seed = 20261201) {
  const g = makeGen(seed);
  const cases = [];
  const pos = (path, content, plants, note) => cases.push({ path, content, plants: [plants].flat(), note });
  const neg = (path, content, note) => cases.push({ path, content, plants: [], note });

  // ───────────────────────── positives: front-end code ─────────────────────────
  {
    const k = g.apiKey();
    pos('web/src/components/StoreMap.jsx', `import { useJsApiLoader, GoogleMap } from '@react-google-maps/api';

export default function StoreMap({ stores }) {
  const { isLoaded } = useJsApiLoader({
    id: 'google-map-script',
    googleMapsApiKey: '${k}',
  });
  return isLoaded ? <GoogleMap zoom={10} center={stores[0]} /> : <Spinner />;
}
`, k, 'React component, googleMapsApiKey');
  }
  {
    const k = g.apiKey();
    pos('web/src/views/Chat.vue', `<template>
  <div class="chat"><textarea v-model="prompt" /><button @click="ask">Ask</button></div>
</template>

<script setup>
import { ref } from 'vue'
import { GoogleGenerativeAI } from '@google/generative-ai'

const genAI = new GoogleGenerativeAI('${k}')
const model = genAI.getGenerativeModel({ model: 'gemini-1.5-flash' })
const prompt = ref('')
async function ask() { const r = await model.generateContent(prompt.value); console.log(r.response.text()) }
</script>
`, k, 'Vue SFC, new GoogleGenerativeAI');
  }
  {
    const k = g.apiKey();
    pos('web/next.config.mjs', `/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  env: {
    NEXT_PUBLIC_GEMINI_API_KEY: "${k}",
    NEXT_PUBLIC_SITE_URL: "https://example.org",
  },
};
export default nextConfig;
`, k, 'Next.js config env');
  }
  {
    const k = g.apiKey();
    pos('web/.env.local', `VITE_APP_TITLE=Recipe helper\nVITE_GEMINI_API_KEY=${k}\nVITE_API_BASE=/api\n`, k, 'Vite .env.local');
  }
  {
    const k = g.apiKey();
    pos('web/src/lib/firebase.ts', `import { initializeApp } from "firebase/app";
import { getAuth } from "firebase/auth";

const firebaseConfig = {
  apiKey: "${k}",
  authDomain: "recipes-${g.int(100, 999)}.firebaseapp.com",
  projectId: "recipes-${g.int(100, 999)}",
  storageBucket: "recipes.appspot.com",
  messagingSenderId: "${g.int(100000000000, 999999999999)}",
  appId: "1:${g.int(100000000000, 999999999999)}:web:${g.hex(22)}",
  measurementId: "G-${g.pick('ABCDEFGHJKLMNPQRSTUVWXYZ0123456789', 10)}"
};

export const app = initializeApp(firebaseConfig);
export const auth = getAuth(app);
`, k, 'firebaseConfig (client exposure, still reported)');
  }
  {
    const k = g.authKey();
    pos('web/src/app/api/chat/route.ts', `import { GoogleGenAI } from "@google/genai";

const ai = new GoogleGenAI({ apiKey: "${k}" });

export async function POST(req: Request) {
  const { prompt } = await req.json();
  const res = await ai.models.generateContent({ model: "gemini-2.5-flash", contents: prompt });
  return Response.json({ text: res.text });
}
`, k, 'Next route, GoogleGenAI auth key');
  }
  {
    const k = g.apiKey();
    pos('web/src/hooks/useGemini.js', 'export const GEMINI_URL = `https://generativelanguage.googleapis.com/v1beta/models/gemini-pro:generateContent?key=' + k + '`;\n', k, 'template literal URL');
  }
  {
    const k = g.apiKey();
    const filler = Array.from({ length: 60 }, (_, i) => `function a${i}(e,t){return e&&t?e[t]:void 0}`).join(';');
    pos('web/dist/assets/index-4f9c2a1b.js', `!function(){"use strict";${filler};var Ue={apiKey:"${k}",authDomain:"shop.firebaseapp.com",projectId:"shop"};${filler};window.__c=Ue}();\n`, k, 'minified bundle, firebase key in a long line');
  }
  {
    const k = g.authKey();
    const filler = Array.from({ length: 200 }, (_, i) => `t${i}=n(${i})`).join(',');
    pos('public/static/js/main.8d1e4b.chunk.js', `(self.webpackChunk=self.webpackChunk||[]).push([[179],{${filler},8031:function(e){e.exports={key:"${k}",model:"gemini-2.0-flash"}}}]);\n`, k, 'webpack chunk, auth key');
  }
  {
    const k = g.apiKey();
    pos('site/index.html', `<!doctype html>
<html>
<head>
  <meta charset="utf-8">
  <title>Find us</title>
  <script async src="https://maps.googleapis.com/maps/api/js?key=${k}&callback=initMap&libraries=places"></script>
</head>
<body><div id="map"></div></body>
</html>
`, k, 'HTML script tag, Maps URL');
  }
  {
    const k = g.apiKey();
    pos('site/contact.html', `<div id="map" data-api-key="${k}" data-zoom="12"></div>\n`, k, 'HTML data attribute');
  }

  // ───────────────────────── positives: Python ─────────────────────────
  {
    const k = g.authKey();
    pos('app/gemini_client.py', `from google import genai

client = genai.Client(api_key="${k}")

def summarise(text: str) -> str:
    response = client.models.generate_content(model="gemini-2.5-flash", contents=f"Summarise: {text}")
    return response.text
`, k, 'genai.Client(api_key=) auth key');
  }
  {
    const k = g.apiKey();
    pos('scripts/ask.py', `import google.generativeai as genai\n\ngenai.configure(api_key='${k}')\nmodel = genai.GenerativeModel('gemini-1.5-pro')\nprint(model.generate_content('hi').text)\n`, k, 'genai.configure');
  }
  {
    const k = g.apiKey();
    pos('rag/chain.py', `from langchain_google_genai import ChatGoogleGenerativeAI, GoogleGenerativeAIEmbeddings

llm = ChatGoogleGenerativeAI(
    model="gemini-1.5-pro",
    temperature=0,
    google_api_key="${k}",
)
embeddings = GoogleGenerativeAIEmbeddings(model="models/embedding-001", google_api_key="${k}")
`, [k, k], 'LangChain, same key twice');
  }
  {
    const k = g.apiKey();
    pos('notebooks/settings.py', `import os\nos.environ["GOOGLE_API_KEY"] = "${k}"\n`, k, 'os.environ assignment');
  }
  {
    const k = g.apiKey();
    pos('app/maps.py', `import requests\n\nGMAPS_KEY = '${k}'\n\ndef geocode(addr):\n    return requests.get("https://maps.googleapis.com/maps/api/geocode/json", params={"address": addr, "key": GMAPS_KEY}).json()\n`, k, 'Python module constant');
  }
  {
    const rt = g.refreshToken();
    const cs = g.clientSecret();
    pos('app/drive_sync.py', `from google.oauth2.credentials import Credentials

creds = Credentials(
    token=None,
    refresh_token="${rt}",
    client_id="${g.clientId()}",
    client_secret="${cs}",
    token_uri="https://oauth2.googleapis.com/token",
)
`, [rt, cs], 'google.oauth2 Credentials with refresh token and client secret');
  }
  {
    const k = g.apiKey();
    pos('app/config.py', `class Settings:\n    gemini_api_key: str = "${k}"\n    model: str = "gemini-2.0-flash"\n`, k, 'pydantic-style settings');
  }
  {
    const k = g.apiKey();
    pos('app/legacy.py', crlf(`# -*- coding: utf-8 -*-\r\nAPI_KEY = "${k}"\r\nBASE = "https://generativelanguage.googleapis.com"\r\n`), k, 'CRLF Python');
  }
  {
    const k = g.apiKey();
    pos('app/url_call.py', `import httpx\nr = httpx.post(f"https://generativelanguage.googleapis.com/v1beta/models/{MODEL}:generateContent?key=${k}", json=body)\n`, k, 'f-string URL');
  }

  // ───────────────────────── positives: notebooks ─────────────────────────
  {
    const k = g.apiKey();
    const nb = {
      cells: [
        { cell_type: 'markdown', metadata: {}, source: ['# Gemini quickstart\n', 'Set your key below.'] },
        {
          cell_type: 'code', execution_count: 1, metadata: {}, outputs: [],
          source: ['import google.generativeai as genai\n', `genai.configure(api_key="${k}")\n`],
        },
        {
          cell_type: 'code', execution_count: 2, metadata: {},
          outputs: [{ name: 'stdout', output_type: 'stream', text: ['models/gemini-1.5-flash\n', 'models/gemini-1.5-pro\n'] }],
          source: ['for m in genai.list_models():\n', '    print(m.name)'],
        },
      ],
      metadata: { kernelspec: { display_name: 'Python 3', language: 'python', name: 'python3' } },
      nbformat: 4, nbformat_minor: 5,
    };
    pos('notebooks/quickstart.ipynb', JSON.stringify(nb, null, 1), k, 'notebook source cell');
  }
  {
    const k = g.authKey();
    const nb = {
      cells: [
        {
          cell_type: 'code', execution_count: 3, metadata: {},
          outputs: [{ output_type: 'stream', name: 'stdout', text: [`Using key ${k}\n`] }],
          source: ['print("Using key", os.environ["GEMINI_API_KEY"])'],
        },
      ],
      metadata: {}, nbformat: 4, nbformat_minor: 5,
    };
    pos('notebooks/debug.ipynb', JSON.stringify(nb), k, 'notebook output only, one line');
  }
  {
    const k = g.apiKey();
    const nb = { cells: [{ cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source: [`%env GEMINI_API_KEY=${k}`] }], metadata: {}, nbformat: 4, nbformat_minor: 5 };
    pos('notebooks/magic.ipynb', JSON.stringify(nb, null, 2), k, 'notebook %env magic');
  }

  // ───────────────────────── positives: other languages ─────────────────────────
  {
    const k = g.apiKey();
    pos('cmd/server/main.go', `package main

import (
	"context"
	"log"

	"github.com/google/generative-ai-go/genai"
	"google.golang.org/api/option"
)

func main() {
	ctx := context.Background()
	client, err := genai.NewClient(ctx, option.WithAPIKey("${k}"))
	if err != nil {
		log.Fatal(err)
	}
	defer client.Close()
}
`, k, 'Go option.WithAPIKey');
  }
  {
    const k = g.authKey();
    pos('internal/llm/config.go', `package llm\n\nconst geminiKey = "${k}"\n\nvar cfg = &genai.ClientConfig{APIKey: geminiKey, Backend: genai.BackendGeminiAPI}\n`, k, 'Go const');
  }
  {
    const k = g.apiKey();
    pos('android/app/src/main/java/com/acme/GeminiService.java', `package com.acme;

public final class GeminiService {
    private static final String API_KEY = "${k}";
    private final GenerativeModel model = new GenerativeModel("gemini-1.5-flash", API_KEY);
}
`, k, 'Java constant');
  }
  {
    const k = g.apiKey();
    pos('android/app/src/main/java/com/acme/ChatViewModel.kt', `package com.acme

class ChatViewModel : ViewModel() {
    private val generativeModel = GenerativeModel(
        modelName = "gemini-1.5-flash",
        apiKey = "${k}"
    )
}
`, k, 'Kotlin GenerativeModel');
  }
  {
    const k = g.apiKey();
    pos('android/app/build.gradle', `android {
    defaultConfig {
        applicationId "com.acme.chat"
        buildConfigField "String", "GEMINI_API_KEY", "\\"${k}\\""
    }
}
`, k, 'Gradle buildConfigField with escaped quotes');
  }
  {
    const k = g.apiKey();
    pos('android/local.properties', `sdk.dir=/Users/dev/Library/Android/sdk\nMAPS_API_KEY=${k}\n`, k, 'local.properties');
  }
  {
    const k = g.apiKey();
    pos('ios/Chat/GeminiClient.swift', `import GoogleGenerativeAI

let model = GenerativeModel(name: "gemini-1.5-flash", apiKey: "${k}")
`, k, 'Swift GenerativeModel');
  }
  {
    const k = g.authKey();
    pos('dotnet/Services/GeminiClient.cs', `namespace Acme.Services;

public class GeminiClient
{
    private const string ApiKey = "${k}";
    private readonly HttpClient _http = new();
}
`, k, 'C# const');
  }
  {
    const k = g.apiKey();
    pos('php/src/Gemini.php', `<?php\n\nuse Gemini;\n\n$client = Gemini::client('${k}');\n$result = $client->geminiPro()->generateContent('Hello');\n`, k, 'PHP Gemini::client');
  }
  {
    const k = g.apiKey();
    pos('ruby/lib/gemini_helper.rb', `require 'gemini-ai'\n\nclient = Gemini.new(\n  credentials: { service: 'generative-language-api', api_key: '${k}' },\n  options: { model: 'gemini-pro', server_sent_events: true }\n)\n`, k, 'Ruby gemini-ai');
  }
  {
    const k = g.apiKey();
    pos('rust/src/main.rs', `const GEMINI_API_KEY: &str = "${k}";\n\nfn main() {\n    let client = reqwest::Client::new();\n}\n`, k, 'Rust const');
  }
  {
    const k = g.authKey();
    pos('rust/src/client.rs', `let key = r#"${k}"#;\n`, k, 'Rust raw string');
  }

  // ───────────────────────── positives: Android / iOS files ─────────────────────────
  {
    const k = g.apiKey();
    pos('android/app/src/main/res/values/strings.xml', `<?xml version="1.0" encoding="utf-8"?>
<resources>
    <string name="app_name">Acme Chat</string>
    <string name="google_maps_key" templateMergeStrategy="preserve" translatable="false">${k}</string>
</resources>
`, k, 'strings.xml');
  }
  {
    const k = g.apiKey();
    pos('android/app/google-services.json', JSON.stringify({
      project_info: { project_number: String(g.int(100000000000, 999999999999)), project_id: 'acme-chat', storage_bucket: 'acme-chat.appspot.com' },
      client: [{
        client_info: { mobilesdk_app_id: `1:${g.int(100000000000, 999999999999)}:android:${g.hex(16)}`, android_client_info: { package_name: 'com.acme.chat' } },
        oauth_client: [{ client_id: g.clientId(), client_type: 3 }],
        api_key: [{ current_key: k }],
        services: { appinvite_service: { other_platform_oauth_client: [] } },
      }],
      configuration_version: '1',
    }, null, 2), k, 'google-services.json');
  }
  {
    const k = g.apiKey();
    pos('android/app/src/main/AndroidManifest.xml', `<manifest xmlns:android="http://schemas.android.com/apk/res/android">
    <application android:label="@string/app_name">
        <meta-data
            android:name="com.google.android.geo.API_KEY"
            android:value="${k}" />
    </application>
</manifest>
`, k, 'AndroidManifest meta-data');
  }
  {
    const k = g.apiKey();
    pos('ios/Chat/GoogleService-Info.plist', `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>API_KEY</key>
	<string>${k}</string>
	<key>GCM_SENDER_ID</key>
	<string>${g.int(100000000000, 999999999999)}</string>
	<key>BUNDLE_ID</key>
	<string>com.acme.chat</string>
</dict>
</plist>
`, k, 'GoogleService-Info.plist');
  }
  {
    const k = g.apiKey();
    pos('ios/Chat/Info.plist', `<dict>\n  <key>GeminiAPIKey</key>\n  <string>${k}</string>\n</dict>\n`, k, 'Info.plist custom key');
  }

  // ───────────────────────── positives: config, CI, infra ─────────────────────────
  {
    const a = g.apiKey();
    const b = g.authKey();
    pos('.env', `# local settings\nexport GEMINI_API_KEY="${a}"\nGOOGLE_API_KEY = '${b}'\nDEBUG=true\n`, [a, b], '.env with export, quotes, spaces');
  }
  {
    const k = g.apiKey();
    pos('services/worker/.env.production', crlf(`NODE_ENV=production\nGEMINI_API_KEY=${k}\nPORT=8080\n`), k, 'CRLF .env');
  }
  {
    const k = g.authKey();
    pos('deploy/Dockerfile', `FROM python:3.12-slim\nWORKDIR /app\nENV GEMINI_API_KEY=${k}\nCOPY . .\nCMD ["python", "main.py"]\n`, k, 'Dockerfile ENV');
  }
  {
    const k = g.apiKey();
    pos('deploy/api.Dockerfile', `FROM node:20-alpine\nARG GOOGLE_API_KEY=${k}\nENV GOOGLE_API_KEY=$GOOGLE_API_KEY\nRUN npm ci\n`, k, 'Dockerfile ARG default');
  }
  {
    const a = g.apiKey();
    const b = g.authKey();
    pos('docker-compose.yml', `services:
  api:
    image: acme/api:latest
    environment:
      - GEMINI_API_KEY=${a}
      - LOG_LEVEL=info
  worker:
    image: acme/worker:latest
    environment:
      GOOGLE_GENAI_KEY: "${b}"
`, [a, b], 'docker-compose list and map');
  }
  {
    const k = g.apiKey();
    const a = g.authKey();
    pos('k8s/gemini-secret.yaml', `apiVersion: v1
kind: Secret
metadata:
  name: gemini
type: Opaque
data:
  GEMINI_API_KEY: ${b64(k)}
  GEMINI_AUTH_KEY: ${b64(`${a}\n`)}
`, [k, a], 'Kubernetes Secret data (base64, one with a newline)');
  }
  {
    const k = g.apiKey();
    pos('k8s/secret-string.yaml', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: maps\nstringData:\n  api-key: ${k}\n`, k, 'Kubernetes stringData');
  }
  {
    const sa = serviceAccount(g);
    pos('k8s/gcp-sa-secret.yaml', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: gcp-sa\ndata:\n  key.json: ${b64(JSON.stringify(sa, null, 2))}\n`, pemSecret(sa.private_key), 'Kubernetes Secret data: base64 service-account JSON');
  }
  {
    const k = g.apiKey();
    pos('charts/chat/values.yaml', `replicaCount: 2\nimage:\n  repository: acme/chat\ngemini:\n  model: gemini-2.5-pro\n  apiKey: "${k}"\n`, k, 'Helm values');
  }
  {
    const k = g.apiKey();
    pos('infra/variables.tf', `variable "gemini_api_key" {\n  type      = string\n  default   = "${k}"\n  sensitive = true\n}\n`, k, 'Terraform variable default');
  }
  {
    const sa = serviceAccount(g);
    pos('infra/provider.tf', `provider "google" {\n  project     = "${sa.project_id}"\n  region      = "europe-west1"\n  credentials = <<EOF\n${JSON.stringify(sa, null, 2)}\nEOF\n}\n`, pemSecret(sa.private_key), 'Terraform heredoc service account');
  }
  {
    const k = g.apiKey();
    pos('.github/workflows/test.yml', `name: test
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    env:
      GEMINI_API_KEY: ${k}
    steps:
      - uses: actions/checkout@v4
      - run: npm test
`, k, 'GitHub Actions env');
  }
  {
    const t = g.accessToken();
    pos('.npmrc', `@acme:registry=https://europe-west1-npm.pkg.dev/acme-prod/npm/\n//europe-west1-npm.pkg.dev/acme-prod/npm/:_authToken=${t}\n//europe-west1-npm.pkg.dev/acme-prod/npm/:always-auth=true\n`, t, '.npmrc Artifact Registry token');
  }
  {
    const sa = serviceAccount(g);
    pos('python/pip.conf', `[global]\nextra-index-url = https://_json_key_base64:${b64(JSON.stringify(sa))}@us-python.pkg.dev/acme/py/simple/\n`, pemSecret(sa.private_key), 'pip index URL with _json_key_base64');
  }
  {
    const k = g.apiKey();
    const sa = serviceAccount(g);
    const toml = `GOOGLE_API_KEY = "${k}"\n\n[gcp_service_account]\ntype = "service_account"\nproject_id = "${sa.project_id}"\nprivate_key_id = "${sa.private_key_id}"\nprivate_key = "${sa.private_key.replace(/\n/g, '\\n')}"\nclient_email = "${sa.client_email}"\nclient_id = "${sa.client_id}"\ntoken_uri = "${sa.token_uri}"\n`;
    pos('.streamlit/secrets.toml', toml, [k, pemSecret(sa.private_key)], 'Streamlit secrets.toml, key and service account');
  }
  {
    const sa = serviceAccount(g);
    const toml = `[connections.gsheets]\nspreadsheet = "https://docs.google.com/spreadsheets/d/1x/edit"\ntype = "service_account"\nproject_id = "${sa.project_id}"\nprivate_key = """${sa.private_key}"""\nclient_email = "${sa.client_email}"\n`;
    pos('dashboard/.streamlit/secrets.toml', toml, pemSecret(sa.private_key), 'Streamlit gsheets TOML, multi-line private key');
  }
  {
    const k = g.apiKey();
    pos('pyproject.toml', `[tool.myapp]\nname = "chat"\n\n[tool.myapp.gemini]\napi_key = "${k}"\n`, k, 'TOML table');
  }
  {
    const k = g.apiKey();
    pos('config/application.yml', `spring:\n  ai:\n    vertex:\n      ai:\n        gemini:\n          api-key: ${k}\n`, k, 'Spring YAML unquoted');
  }
  {
    const k = g.apiKey();
    pos('config/settings.yaml', `gemini:\n  api_key: >-\n    ${k}\n  model: gemini-pro\n`, k, 'YAML folded scalar on the next line');
  }
  {
    const k = g.authKey();
    pos('config/keys.yaml', `providers:\n  - name: google\n    keys:\n      - ${k}\n`, k, 'YAML list item');
  }
  {
    const k = g.authKey();
    pos('dotnet/appsettings.json', JSON.stringify({ Logging: { LogLevel: { Default: 'Information' } }, Gemini: { ApiKey: k, Model: 'gemini-2.5-flash' } }, null, 2), k, 'appsettings.json');
  }
  {
    const k = g.apiKey();
    pos('dotnet/Web.config', `<configuration>\n  <appSettings>\n    <add key="GoogleApiKey" value="${k}" />\n  </appSettings>\n</configuration>\n`, k, 'web.config appSettings');
  }
  {
    const k = g.apiKey();
    pos('tools/mcp.json', JSON.stringify({ mcpServers: { gemini: { command: 'npx', args: ['-y', 'gemini-mcp'], env: { GEMINI_API_KEY: k } } } }, null, 2), k, 'MCP config');
  }
  {
    const k = g.apiKey();
    pos('.vscode/settings.json', `{\n  "geminicodeassist.apiKey": "${k}",\n  "editor.formatOnSave": true\n}\n`, k, 'VS Code settings');
  }
  {
    const id = g.hmacId();
    const s = g.hmacSecret();
    pos('ops/.boto', `[Credentials]\ngs_access_key_id = ${id}\ngs_secret_access_key = ${s}\n\n[Boto]\nhttps_validate_certificates = True\n`, s, '.boto HMAC');
  }
  {
    const id = g.hmacId();
    const s = g.hmacSecret();
    pos('ops/rclone.conf', `[gcs]\ntype = s3\nprovider = GCS\naccess_key_id = ${id}\nsecret_access_key = ${s}\nendpoint = https://storage.googleapis.com\n`, s, 'rclone HMAC');
  }
  {
    const id = g.hmacId();
    const s = g.hmacSecret();
    pos('backend/storage.js', `const s3 = new S3Client({\n  region: "auto",\n  endpoint: "https://storage.googleapis.com",\n  credentials: { accessKeyId: "${id}", secretAccessKey: "${s}" },\n});\n`, s, 'S3 client to GCS, HMAC');
  }

  // ───────────────────────── positives: shell, docs ─────────────────────────
  {
    const k = g.apiKey();
    pos('docs/quickstart.md', `# Quickstart

Call the API:

\`\`\`bash
curl "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.0-flash:generateContent?key=${k}" \\
  -H 'Content-Type: application/json' \\
  -d '{"contents":[{"parts":[{"text":"Explain how AI works"}]}]}'
\`\`\`
`, k, 'Markdown curl ?key=');
  }
  {
    const k = g.authKey();
    pos('scripts/smoke.sh', `#!/usr/bin/env bash\nset -euo pipefail\ncurl -s -X POST "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent" \\\n  -H "x-goog-api-key: ${k}" \\\n  -H "Content-Type: application/json" -d @body.json\n`, k, 'shell x-goog-api-key header');
  }
  {
    const t = g.accessToken();
    pos('scripts/list-buckets.sh', `curl -H "Authorization: Bearer ${t}" https://storage.googleapis.com/storage/v1/b?project=acme\n`, t, 'Bearer ya29 access token');
  }
  {
    const t = g.saAccessToken();
    pos('logs/deploy-2024-05-01.log', `2024-05-01T10:00:00Z INFO fetched token {"access_token":"${t}","expires_in":3599,"token_type":"Bearer"}\n`, t, 'service-account access token in a log');
  }
  {
    const k = g.fcmKey();
    pos('backend/push.php', `<?php\n$headers = [\n    'Authorization: key=${k}',\n    'Content-Type: application/json',\n];\n`, k, 'FCM server key, PHP');
  }
  {
    const k = g.fcmKey();
    pos('backend/notify.js', `const admin = { serverKey: '${k}' };\nfetch('https://fcm.googleapis.com/fcm/send', { headers: { Authorization: \`key=\${admin.serverKey}\` } });\n`, k, 'FCM server key, JS');
  }
  {
    const k = g.apiKey();
    pos('scripts/env.ps1', `$env:GEMINI_API_KEY = "${k}"\npython main.py\n`, k, 'PowerShell env');
  }
  {
    const k = g.apiKey();
    pos('scripts/setenv.bat', crlf(`@echo off\nset GOOGLE_API_KEY=${k}\nnode index.js\n`), k, 'Windows batch set');
  }
  {
    const k = g.apiKey();
    pos('docs/troubleshooting.md', `If you see \`API_KEY_INVALID\`, check the key. Mine was \`${k}\` and it worked after enabling the API.\n`, k, 'Markdown inline code');
  }
  {
    const k = g.apiKey();
    pos('db/seed.sql', `INSERT INTO settings (name, value) VALUES ('maps_key', '${k}');\n`, k, 'SQL insert');
  }
  {
    const k = g.apiKey();
    pos('data/tenants.csv', `tenant,region,api_key\nacme,eu,${k}\n`, k, 'CSV');
  }
  {
    const k = g.apiKey(false);
    pos('src/geo.ts', `export const GEO_KEY = '${k}';\n`, k, 'AIza key not starting AIzaSy');
  }
  {
    const k = g.apiKey();
    pos('src/keyonly.txt', k, k, 'whole file is the key, no newline');
  }
  {
    const k = g.apiKey();
    pos('src/urlencoded.txt', `redirect=https%3A%2F%2Fmaps.googleapis.com%2Fmaps%2Fapi%2Fjs%3Fkey%3D${k}%26v%3D3\n`, k, 'URL-encoded key');
  }
  {
    const k = g.apiKey();
    pos('src/escaped.json', JSON.stringify({ payload: JSON.stringify({ apiKey: k, region: 'eu' }) }), k, 'JSON inside a JSON string');
  }
  {
    const k = g.apiKey();
    pos('src/hidden.js', `const key = atob("${b64(k)}");\n`, k, 'atob base64 in code');
  }
  {
    const k = g.authKey();
    pos('src/hidden.py', `import base64\nKEY = base64.b64decode("${b64(k)}").decode()\n`, k, 'b64decode auth key in code');
  }
  {
    const k = g.authKeyGeneric();
    pos('src/newkey.env', `GEMINI_API_KEY=${k}\n`, k, 'auth key with another header');
  }
  {
    const v = g.generic(40);
    pos('server/.env.staging', `GEMINI_API_KEY=${v}\n`, v, 'unknown key shape under GEMINI_API_KEY');
  }
  {
    const k = g.apiKey();
    pos('utf16/config.ini', utf16(`[gemini]\r\napi_key=${k}\r\n`), k, 'UTF-16LE with BOM');
  }
  {
    const k = g.apiKey();
    pos('utf8bom/settings.json', `\uFEFF{"googleApiKey":"${k}"}`, k, 'UTF-8 BOM JSON');
  }
  {
    const k = g.apiKey();
    pos('src/test/fixtures/real_looking.test.js', `it('calls the API', async () => {\n  const client = new GoogleGenerativeAI('${k}');\n  expect(client).toBeDefined();\n});\n`, k, 'real-looking key in a test file is still a leak');
  }
  {
    const k = g.apiKey();
    pos('src/cr-only.txt', `first\rkey=${k}\rlast\r`, k, 'CR-only line ends');
  }
  {
    const k = g.apiKey();
    pos('src/tabbed.tsv', `name\tkey\nmaps\t${k}\n`, k, 'TSV');
  }

  // ───────────────────────── positives: credential files ─────────────────────────
  {
    const sa = serviceAccount(g);
    pos('secrets/acme-prod-4f2a9c1e7b3d.json', JSON.stringify(sa, null, 2), pemSecret(sa.private_key), 'service-account key, pretty');
  }
  {
    const sa = serviceAccount(g, { name: 'firebase-adminsdk-x1y2z' });
    pos('functions/serviceAccountKey.json', JSON.stringify(sa), pemSecret(sa.private_key), 'service-account key, one line');
  }
  {
    const sa = serviceAccount(g);
    pos('ci/.env.ci', `GOOGLE_APPLICATION_CREDENTIALS_JSON="${JSON.stringify(JSON.stringify(sa)).slice(1, -1)}"\n`, pemSecret(sa.private_key), 'JSON-escaped service account in an env var');
  }
  {
    const sa = serviceAccount(g);
    pos('ci/vars.env', `GOOGLE_CREDENTIALS_BASE64=${b64(JSON.stringify(sa, null, 2))}\n`, pemSecret(sa.private_key), 'base64 service account in an env var');
  }
  {
    const sa = serviceAccount(g);
    pos('server/.env.firebase', `FIREBASE_PROJECT_ID=${sa.project_id}\nFIREBASE_CLIENT_EMAIL=${sa.client_email}\nFIREBASE_PRIVATE_KEY="${sa.private_key.replace(/\n/g, '\\n')}"\n`, pemSecret(sa.private_key), 'Firebase admin private key in .env');
  }
  {
    const sa = serviceAccount(g);
    pos('server/src/firebaseAdmin.ts', `import admin from "firebase-admin";

admin.initializeApp({
  credential: admin.credential.cert({
    projectId: "${sa.project_id}",
    clientEmail: "${sa.client_email}",
    privateKey: "${sa.private_key.replace(/\n/g, '\\n')}",
  }),
});
`, pemSecret(sa.private_key), 'firebase-admin cert() in code');
  }
  {
    const sa = serviceAccount(g);
    const yaml = `gcp:\n  credentials:\n    type: service_account\n    project_id: ${sa.project_id}\n    private_key: |\n${sa.private_key.trimEnd().split('\n').map((l) => `      ${l}`).join('\n')}\n    client_email: ${sa.client_email}\n`;
    pos('charts/bq/values-prod.yaml', yaml, pemSecret(sa.private_key), 'service account as YAML with a block scalar');
  }
  {
    const sa = serviceAccount(g);
    pos('py/creds.py', `SERVICE_ACCOUNT_INFO = ${JSON.stringify(sa, null, 4)}\ncredentials = service_account.Credentials.from_service_account_info(SERVICE_ACCOUNT_INFO)\n`, pemSecret(sa.private_key), 'service account dict in Python');
  }
  {
    const rt = g.refreshToken();
    const id = g.clientId();
    const cs = g.legacyClientSecret();
    pos('home/.config/gcloud/application_default_credentials.json', JSON.stringify({ client_id: id, client_secret: cs, quota_project_id: 'acme', refresh_token: rt, type: 'authorized_user', universe_domain: 'googleapis.com' }, null, 2), [rt, cs], "authorized_user ADC made with the project's own client: refresh token and client secret");
  }
  {
    const cs = g.clientSecret();
    pos('oauth/client_secret_1234-abc.apps.googleusercontent.com.json', JSON.stringify({ web: { client_id: g.clientId(), project_id: 'acme', auth_uri: 'https://accounts.google.com/o/oauth2/auth', token_uri: 'https://oauth2.googleapis.com/token', client_secret: cs, redirect_uris: ['http://localhost:3000/callback'] } }), cs, 'OAuth client_secret file (web)');
  }
  {
    const cs = g.legacyClientSecret();
    pos('oauth/credentials.json', JSON.stringify({ installed: { client_id: g.clientId(), project_id: 'acme', auth_uri: 'https://accounts.google.com/o/oauth2/auth', token_uri: 'https://oauth2.googleapis.com/token', client_secret: cs, redirect_uris: ['urn:ietf:wg:oauth:2.0:oob', 'http://localhost'] } }, null, 2), cs, 'OAuth installed client, legacy 24-char secret');
  }
  {
    const at = g.accessToken();
    const rt = g.refreshToken();
    const cs = g.clientSecret();
    pos('tokens/token.json', JSON.stringify({ token: at, refresh_token: rt, token_uri: 'https://oauth2.googleapis.com/token', client_id: g.clientId(), client_secret: cs, scopes: ['https://www.googleapis.com/auth/drive'], expiry: '2024-06-01T10:00:00Z' }), [at, rt, cs], 'one-line token.json: three credentials');
  }
  {
    const cs = g.clientSecret();
    pos('server/.env.oauth', `GOOGLE_CLIENT_ID=${g.clientId()}\nGOOGLE_CLIENT_SECRET=${cs}\nNEXTAUTH_URL=http://localhost:3000\n`, cs, 'NextAuth Google provider');
  }
  {
    const rt = g.refreshToken();
    pos('scripts/firebase-deploy.yml', `- name: Deploy\n  run: firebase deploy --token "${rt}"\n`, rt, 'firebase --token refresh token');
  }

  // ───────────────────────── negatives: placeholders and references ─────────────────────────
  neg('.env.example', `GEMINI_API_KEY=your-api-key\nGOOGLE_API_KEY=<GEMINI_API_KEY>\nFIREBASE_API_KEY=\nGOOGLE_CLIENT_SECRET=your-client-secret\n`, '.env.example placeholders');
  neg('docs/setup.md', `Set \`GEMINI_API_KEY\` to your key (it looks like \`${P.aiza}...\`):

\`\`\`bash
export GEMINI_API_KEY="${P.aiza}Sy${X(33)}"
curl "https://generativelanguage.googleapis.com/v1beta/models?key=\${GEMINI_API_KEY}"
curl "https://generativelanguage.googleapis.com/v1beta/models?key=YOUR_API_KEY"
curl -H "x-goog-api-key: $GEMINI_API_KEY" https://generativelanguage.googleapis.com/v1beta/models
\`\`\`
`, 'docs with placeholders and variables');
  neg('docs/keys.md', `Standard API keys start with \`${P.aiza}\` and are 39 characters long; the newer auth keys start with \`${P.auth}\`.
OAuth client secrets start with \`${P.gocspx}\`, access tokens with \`${P.ya29}\` and refresh tokens with \`${P.refresh}\`.
A legacy FCM server key looks like \`${P.fcm}xxxxxxx:${P.apa}...\`.
`, 'prose about key formats');
  neg('src/llm.ts', `import { GoogleGenAI } from "@google/genai";
const ai = new GoogleGenAI({ apiKey: process.env.GEMINI_API_KEY });
const maps = import.meta.env.VITE_GOOGLE_MAPS_API_KEY;
const key2 = process.env["GOOGLE_API_KEY"] ?? "";
`, 'environment references in TS');
  neg('app/settings_ref.py', `import os
from google import genai
client = genai.Client(api_key=os.environ["GOOGLE_API_KEY"])
genai_key = os.getenv("GEMINI_API_KEY")
GEMINI_API_KEY = settings.GEMINI_API_KEY
llm = ChatGoogleGenerativeAI(model="gemini-pro", google_api_key=os.environ.get("GOOGLE_API_KEY"))
`, 'environment references in Python');
  neg('cmd/ref/main.go', `client, err := genai.NewClient(ctx, &genai.ClientConfig{APIKey: os.Getenv("GEMINI_API_KEY")})\n`, 'Go getenv');
  neg('android/app/src/main/java/com/acme/Ref.kt', `val model = GenerativeModel(modelName = "gemini-pro", apiKey = BuildConfig.GEMINI_API_KEY)\n`, 'Kotlin BuildConfig reference');
  neg('.github/workflows/deploy.yml', `env:\n  GEMINI_API_KEY: \${{ secrets.GEMINI_API_KEY }}\n  GOOGLE_CREDENTIALS: \${{ secrets.GCP_SA_KEY }}\n`, 'GitHub secrets references');
  neg('charts/chat/templates/secret.yaml', `apiVersion: v1\nkind: Secret\nstringData:\n  GEMINI_API_KEY: {{ .Values.gemini.apiKey | quote }}\n`, 'Helm template reference');
  neg('infra/main.tf', `resource "google_secret_manager_secret_version" "gemini" {\n  secret      = google_secret_manager_secret.gemini.id\n  secret_data = var.gemini_api_key\n}\nlocals { key = data.google_secret_manager_secret_version.gemini.secret_data }\n`, 'Terraform references');
  neg('deploy/ref.Dockerfile', `ARG GEMINI_API_KEY\nENV GEMINI_API_KEY=\${GEMINI_API_KEY}\n`, 'Dockerfile ARG without default');
  neg('docker-compose.override.yml', `services:\n  api:\n    environment:\n      GEMINI_API_KEY: \${GEMINI_API_KEY:?set it}\n      GOOGLE_API_KEY: "\${GOOGLE_API_KEY}"\n`, 'compose variable substitution');
  neg('src/fixtures/placeholders.ts', `export const SAMPLES = [
  "${P.aiza}Sy${X(33)}",
  "${P.aiza}Sy${X(33, 'x')}",
  "${P.aiza}SyDUMMY${X(27, '0')}",
  "${P.aiza}SyDUMMY_KEY_FOR_TESTS_ONLY_000000000",
  "${P.aiza}Sy${X(33, 'A')}",
  "${P.aiza}Sy${'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456'}",
  "${P.aiza}Sy${'abcdefghijklmnopqrstuvwxyz0123456'}",
  "${P.aiza}Sy${'0123456789012345678901234567890ab'}",
  "${P.aiza}SyA1B2C3D4E5F6G7H8I9J0K1L2M3N4O5P6Q",
  "${P.aiza}SyFAKE_KEY_${X(22, '1')}",
  "${P.aiza}SyYOUR_KEY_HERE_${X(17, '_')}",
  "${P.aiza}Sy-your-api-key-goes-here-xxxxxxxx",
  "${P.aiza}SyEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMP",
  "${P.aiza}SyTestKey${X(24, '0')}",
  "${P.aiza}SyB-REDACTED-${X(20, '*').replace(/\*/g, 'R')}",
  "${P.aiza}SyDEFAULT_GOOGLE_MAPS_KEY_VALUE_0001",
  "${P.aiza}Sy-NOT-A-REAL-KEY-JUST-FOR-DOCS-1x2",
  "${P.aiza}SyPASTE_GEMINI_KEY_FROM_STUDIO_9q",
];
`, 'test fixtures with obviously fake keys');
  neg('tests/test_client.py', `def test_client(monkeypatch):\n    monkeypatch.setenv("GEMINI_API_KEY", "test-key")\n    client = genai.Client(api_key="fake-api-key-for-tests")\n    assert client\n`, 'Python test fakes');
  neg('src/fixtures/auth.ts', `export const AUTH = "${P.auth}${X(44)}";\nexport const AUTH2 = "${P.auth}...";\nexport const SECRET = "${P.gocspx}${X(28)}";\nexport const SECRET2 = "${P.gocspx}<your-client-secret>";\nexport const RT = "${P.refresh}${X(40, 'x')}";\nexport const AT = "${P.ya29}\${token}";\n`, 'fake auth keys, secrets, tokens');
  neg('docs/redacted.md', `The leaked key was \`${P.aiza}Sy****************************\` (redacted). Rotated: \`${P.aiza}SyB…Xq\`.\n`, 'redacted key in an incident note');
  neg('config/gemini.yaml', `gemini:\n  api_key: CHANGE_ME\n  model: gemini-1.5-pro-latest\n  embedding_model: models/text-embedding-004\n  region: us-central1\n`, 'config with CHANGE_ME');
  neg('tests/test_settings.py', `GEMINI_API_KEY = "your_gemini_api_key_here"\nGOOGLE_API_KEY: str = "<your-google-api-key>"\n`, 'Python placeholders');
  neg('notebooks/template.ipynb', JSON.stringify({ cells: [{ cell_type: 'code', metadata: {}, outputs: [], execution_count: null, source: ['genai.configure(api_key="YOUR_API_KEY")\n', 'client = genai.Client(api_key=userdata.get("GOOGLE_API_KEY"))'] }], metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1), 'notebook with placeholder and Colab userdata');
  neg('k8s/placeholder-secret.yaml', `apiVersion: v1\nkind: Secret\ndata:\n  GEMINI_API_KEY: ${b64('your-api-key-here')}\n  GOOGLE_API_KEY: ${b64(`${P.aiza}Sy${X(33)}`)}\n`, 'Kubernetes secret holding base64 placeholders');
  neg('src/firebase.example.js', `const firebaseConfig = {\n  apiKey: process.env.NEXT_PUBLIC_FIREBASE_API_KEY,\n  authDomain: "acme.firebaseapp.com",\n  appId: "1:${g.int(100000000000, 999999999999)}:web:${g.hex(22)}",\n  measurementId: "G-${g.pick('ABCDEFGHJKLMNPQRSTUVWXYZ0123456789', 10)}",\n  messagingSenderId: "${g.int(100000000000, 999999999999)}",\n};\n`, 'firebaseConfig with env reference and public ids');

  // ───────────────────────── negatives: identifiers, hashes, ids ─────────────────────────
  neg('oauth/client.json', JSON.stringify({ web: { client_id: g.clientId(), project_id: 'acme', auth_uri: 'https://accounts.google.com/o/oauth2/auth', redirect_uris: ['https://acme.example/cb'] } }, null, 2), 'OAuth client_id alone');
  neg('config/ids.env', `GOOGLE_CLOUD_PROJECT=acme-prod-4821\nGOOGLE_CLIENT_ID=${g.clientId()}\nGOOGLE_ANALYTICS_ID=G-${g.pick('ABCDEFGHJKLMNPQRSTUVWXYZ0123456789', 10)}\nGOOGLE_APPLICATION_CREDENTIALS=/var/run/secrets/gcp/key.json\nGEMINI_MODEL=gemini-2.5-flash-preview-05-20\nFIREBASE_APP_ID=1:${g.int(100000000000, 999999999999)}:web:${g.hex(22)}\n`, 'Google identifiers that are not secrets');
  neg('config/hashes.env', `GOOGLE_API_KEY_SHA256=${g.hex(64)}\nGEMINI_KEY_FINGERPRINT=${g.hex(40)}\nGEMINI_REQUEST_ID=${g.uuid()}\nGOOGLE_TRACE_ID=${g.hex(32)}\n`, 'hashes and ids under Google names');
  neg('data/ids.json', JSON.stringify({ sessions: Array.from({ length: 8 }, () => ({ id: g.uuid(), sha: g.hex(64), etag: g.hex(32) })) }, null, 2), 'UUIDs and hex');
  neg('sa/private_key_id.txt', `private_key_id: ${g.hex(40)}\nclient_id: ${g.int(100000000000000000, 999999999999999999)}\nclient_email: sa@acme.iam.gserviceaccount.com\n`, 'service-account identifiers, no key');
  neg('keys/google-certs.json', JSON.stringify({ [g.hex(40)]: `-----BEGIN CERTIFICATE-----\n${g.b64(64)}\n${g.b64(64)}\n${g.b64(64)}\n${g.b64(64)}\n${g.b64(64)}\n${g.b64(64)}\n${g.b64(64)}\n${g.b64(40)}==\n-----END CERTIFICATE-----\n` }, null, 2), 'public x509 certificates (Google robot metadata)');
  neg('keys/public.pem', `-----BEGIN PUBLIC KEY-----\n${g.b64(64)}\n${g.b64(64)}\n${g.b64(64)}\n${g.b64(64)}\n${g.b64(64)}\n${g.b64(8)}IDAQAB\n-----END PUBLIC KEY-----\n`, 'public key PEM');
  neg('sa/template.json', JSON.stringify({ type: 'service_account', project_id: 'my-project', private_key_id: 'KEY_ID', private_key: `${P.begin}\nREPLACE_WITH_YOUR_KEY\n${P.end}\n`, client_email: 'my-sa@my-project.iam.gserviceaccount.com' }, null, 2), 'service-account template');
  neg('sa/env-template.json', `{\n  "type": "service_account",\n  "project_id": "\${PROJECT_ID}",\n  "private_key": "\${PRIVATE_KEY}",\n  "client_email": "\${CLIENT_EMAIL}"\n}\n`, 'service-account template with variables');
  neg('sa/adc-template.json', JSON.stringify({ client_id: g.clientId(), client_secret: 'REPLACE_ME', refresh_token: 'REPLACE_ME_WITH_YOUR_TOKEN', type: 'authorized_user' }, null, 2), 'authorized_user template');
  neg('src/jwt.ts', `const token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.${b64(JSON.stringify({ sub: g.uuid(), iss: 'https://auth.acme.example', iat: 1716000000 })).replace(/=+$/, '')}.${g.pick(`${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'}_-`, 43)}";\n`, 'non-Google JWT');
  neg('ops/gcs-ids.txt', `access_key = ${g.hmacId()}\ncommit = ${g.hex(40)}\nchecksum = ${g.hex(40)}\n`, 'HMAC access id without a secret, 40-char hex near it');
  neg('config/other-vendors.env', `# gemini is the default provider\nOPENAI_API_KEY=sk-proj-${g.generic(48)}\nANTHROPIC_API_KEY=sk-ant-api03-${g.generic(60)}\nGROQ_API_KEY=gsk_${g.generic(52)}\nGEMINI_MODEL=gemini-2.5-pro\n`, 'other vendors keys beside gemini');
  neg('app/session.env', `SESSION_SECRET=${g.generic(48)}\nDATABASE_URL=postgres://app:${g.generic(20)}@db:5432/app\n`, 'non-Google secrets (out of scope)');

  // ───────────────────────── negatives: keys inside longer tokens, blobs, lock files ─────────────────────────
  {
    const k = g.apiKey();
    neg('src/longer.txt', `x${k}\n${k}Q\n${k}_suffix\nprefix-${k}\nhttps://example.org/${k}abc/path\n`, 'key shapes inside longer tokens');
  }
  {
    const ids = Array.from({ length: 5 }, () => `${P.aiza}${g.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_', g.int(40, 60))}`);
    neg('web/dist/vendor.min.js', `!function(e){${ids.map((id, i) => `var ${id}=${i};`).join('')}function t(){return ${ids[0]}+1}}(window);\n`, 'minified code: AIza inside longer identifiers');
  }
  {
    const k = g.apiKey();
    const integ = `sha512-${g.b64(20)}+${k}/${g.b64(26)}==`;
    neg('package-lock.json', JSON.stringify({ name: 'web', lockfileVersion: 3, packages: { 'node_modules/left-pad': { version: '1.3.0', resolved: 'https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz', integrity: `sha512-${g.b64(86)}==` }, 'node_modules/ms': { version: '2.1.3', integrity: integ } } }, null, 2), 'lock file: integrity hash with an AIza substring between + and /');
  }
  neg('yarn.lock', Array.from({ length: 12 }, (_, i) => `pkg-${i}@^1.0.0:\n  version "1.0.${i}"\n  resolved "https://registry.yarnpkg.com/pkg-${i}/-/pkg-${i}-1.0.${i}.tgz#${g.hex(40)}"\n  integrity sha512-${g.b64(86)}==\n`).join('\n'), 'yarn.lock');
  neg('poetry.lock', Array.from({ length: 8 }, (_, i) => `[[package]]\nname = "google-genai-${i}"\nversion = "1.${i}.0"\nfiles = [\n    {file = "google_genai-1.${i}.0-py3-none-any.whl", hash = "sha256:${g.hex(64)}"},\n]\n`).join('\n'), 'poetry.lock with google names and hashes');
  neg('web/public/logo.svg', `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA${g.b64(1200)}" /></svg>\n`, 'SVG with a data URI');
  neg('web/src/fonts.css', `@font-face { font-family: "Inter"; src: url(data:font/woff2;base64,d09GMgABAAAAA${g.b64(3000)}) format("woff2"); }\n`, 'CSS font data URI');
  {
    const k = g.apiKey();
    const blob = `${g.b64(300)}/${k}+${g.b64(300)}`;
    neg('assets/blob.txt', `data=${blob}\n`, 'AIza shape inside a long base64 blob');
  }
  {
    const k = g.apiKey();
    neg('assets/image.bin', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]), Buffer.from(g.b64(200)), Buffer.from([0, 1, 2, 3, 0]), Buffer.from(k), Buffer.from([0, 0, 0xff, 0xfe, 0])]), 'binary file (skipped)');
  }
  {
    const mappings = Array.from({ length: 400 }, () => g.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', g.int(4, 8))).join(',');
    neg('web/dist/index.js.map', JSON.stringify({ version: 3, sources: ['src/index.ts'], names: [], mappings }), 'source map');
  }
  neg('src/keyformat.ts', `export const API_KEY_RE = /${P.aiza}[0-9A-Za-z_-]{35}/;\nexport const AUTH_KEY_RE = /AQ\\.Ab8RN6[A-Za-z0-9_-]{44}/;\nexport function isKey(s) { return s.startsWith("${P.aiza}") && s.length === 39; }\n`, 'scanner code with key regexes');
  neg('CHANGELOG.md', `## 1.2.0\n- Switched from \`${P.aiza}\` keys to auth keys (\`AQ.\`) for the Gemini API.\n- Rotate keys every 90 days; never commit \`GEMINI_API_KEY\`.\n`, 'changelog prose');
  neg('docs/gemini.md', `Create a key in Google AI Studio, then set GEMINI_API_KEY in your shell. The google_api_key argument of ChatGoogleGenerativeAI falls back to the GOOGLE_API_KEY environment variable. See https://ai.google.dev/gemini-api/docs/api-key.\n`, 'prose mentioning key names');
  neg('config/gemini-names.yaml', `secrets:\n  gemini_api_key: projects/acme/secrets/gemini-api-key/versions/latest\n  google_api_key_secret_name: gemini-api-key-prod-2024\n  firebase_token_path: /run/secrets/firebase_token\n`, 'secret-manager names and paths');
  neg('src/uuid-keys.ts', `export const GEMINI_KEY_ID = "${g.uuid()}";\nexport const googleApiKeyId = "${g.uuid().toUpperCase()}";\n`, 'UUIDs under key names');
  neg('src/concat.js', `const maps = "${P.aiza}Sy" + process.env.MAPS_SUFFIX;\n`, 'prefix with a variable suffix');
  neg('src/git-sha.txt', `gemini-sdk pinned at ${g.hex(40)}\ngoogle-auth ${g.hex(40)}\n`, 'commit hashes near Google names');
  neg('android/app/src/main/res/values/strings_ref.xml', `<resources>\n  <string name="gemini_api_key_hint">Paste your Gemini API key</string>\n  <string name="google_maps_key">@string/maps_key_from_gradle</string>\n</resources>\n`, 'Android strings, no key');
  neg('ios/Chat/Config.xcconfig', `GEMINI_API_KEY = $(GEMINI_API_KEY_FROM_ENV)\nGOOGLE_MAPS_KEY = \n`, 'xcconfig variables');

  // ───────────────────────── round 2: encodings and wrappers that broke detection ─────────────────────────
  {
    const sa = serviceAccount(g);
    pos('home/.docker/config.json', JSON.stringify({ auths: { 'https://europe-docker.pkg.dev': { auth: b64(`_json_key:${JSON.stringify(sa, null, 2)}`) } } }, null, 2), pemSecret(sa.private_key), 'Docker config: _json_key auth, base64');
  }
  {
    const t = g.accessToken();
    pos('frontend/.npmrc', `//us-npm.pkg.dev/acme/npm/:username=oauth2accesstoken\n//us-npm.pkg.dev/acme/npm/:_password="${b64(t)}"\n`, t, '.npmrc _password: base64 access token');
  }
  {
    const sa = serviceAccount(g);
    const wrapped = b64(JSON.stringify(sa, null, 2)).match(/.{1,76}/g).map((l) => `    ${l}`).join('\n');
    pos('k8s/overlays/prod/gcp-credentials.yaml', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: gcp\ntype: Opaque\nstringData:\n  note: created with base64 key.json\ndata:\n  credentials.json: >-\n${wrapped}\n`, pemSecret(sa.private_key), 'base64 wrapped at 76 columns in a YAML block');
  }
  {
    const k = g.authKey();
    const wrapped = b64(`GEMINI_API_KEY=${k}\nGEMINI_MODEL=gemini-2.5-pro\nLOG_LEVEL=debug\n`).match(/.{1,64}/g).join('\n');
    pos('ci/env.b64', `${wrapped}\n`, k, 'base64 .env wrapped at 64 columns');
  }
  {
    const sa = serviceAccount(g);
    pos('server/.env.sheets', `GOOGLE_PRIVATE_KEY="${sa.private_key.replace(/\n/g, '\\n')}"\nSPREADSHEET_ID=1BxiMVs0XRA5nFMdKvBdBZjgmUUqptlbs74OgvE2upms\n`, pemSecret(sa.private_key), 'GOOGLE_PRIVATE_KEY without its client email');
  }
  {
    const k = g.apiKey();
    pos('logs/app-gson.log', `2024-05-02 12:00:01 DEBUG request {"url":"https://maps.googleapis.com/maps/api/geocode/json?address\\u003dBerlin\\u0026key\\u003d${k}"}\n`, k, 'Gson-escaped = before the key');
  }
  {
    const k = g.apiKey();
    pos('web/dist/closure.min.js', `var Xa="https://www.googleapis.com/youtube/v3/search?part\\x3dsnippet\\x26key\\x3d${k}";\n`, k, 'Closure \\x3d before the key');
  }
  {
    const k = g.apiKey();
    pos('notebooks/colours.ipynb', JSON.stringify({ cells: [{ cell_type: 'code', execution_count: 4, metadata: {}, source: ['rich.print(cfg)'], outputs: [{ output_type: 'stream', name: 'stdout', text: [`api_key: \u001b[32m${k}\u001b[0m\n`] }] }], metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1), k, 'ANSI colour code before the key in notebook output');
  }
  {
    const id = g.hmacId();
    const s = g.hmacSecret();
    pos('ops/gcs.env', `GCS_ACCESS_KEY_ID=${id}\n${Array.from({ length: 10 }, (_, i) => `GCS_OPTION_${i}=value-for-option-number-${i}`).join('\n')}\nGCS_SECRET_ACCESS_KEY=${s}\n`, s, 'HMAC secret ten lines below its access ID');
  }
  {
    const id = `GOOG${g.pick('ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 20)}`;
    const s = g.hmacSecret();
    pos('ops/legacy-hmac.json', JSON.stringify({ accessId: id, secret: s, state: 'ACTIVE' }), s, 'HMAC with a 24-character access ID');
  }
  {
    const k = g.apiKey();
    pos('native/include/config.h', `#pragma once\n#define GOOGLE_API_KEY "${k}"\n`, k, 'C header define');
  }
  {
    const k = g.apiKey();
    pos('flutter/lib/firebase_options.dart', `static const FirebaseOptions web = FirebaseOptions(\n    apiKey: '${k}',\n    appId: '1:${g.int(100000000000, 999999999999)}:web:${g.hex(22)}',\n    projectId: 'acme-chat',\n  );\n`, k, 'Flutter firebase_options.dart');
  }
  {
    const k = g.authKey();
    pos('elixir/config/runtime.exs', `config :acme, :gemini,\n  api_key: "${k}",\n  model: "gemini-2.5-flash"\n`, k, 'Elixir config');
  }
  {
    const v = g.generic(39);
    pos('web/.env.development', `GOOGLE_GENERATIVE_AI_API_KEY=${v}\n`, v, 'Vercel AI SDK variable, unknown key shape');
  }
  {
    const v = g.generic(40);
    pos('app/headers.py', `HEADERS = {"x-goog-api-key": "${v}", "Content-Type": "application/json"}\n`, v, 'x-goog-api-key dict, unknown shape');
  }
  {
    const k = g.apiKey();
    const big = `var a=${JSON.stringify(g.generic(2_000_000))};var cfg={apiKey:"${k}"};var b=${JSON.stringify(g.generic(2_000_000))};\n`;
    pos('web/dist/assets/vendor-huge.js', big, k, '4 MB minified bundle, key in the middle of one line');
  }

  // ───────────────────────── round 2: negatives ─────────────────────────
  neg('k8s/sealed.yaml', `apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata:\n  name: gemini\nspec:\n  encryptedData:\n    GEMINI_API_KEY: Ag${g.b64(700)}==\n`, 'SealedSecret ciphertext under a Gemini name');
  neg('secrets/prod.enc.yaml', `gemini_api_key: ENC[AES256_GCM,data:${g.b64(52)},iv:${g.b64(43)}=,tag:${g.b64(22)}==,type:str]\nsops:\n  version: 3.8.1\n`, 'SOPS-encrypted value');
  neg('config/refs.rb', `GEMINI_API_KEY = ENV.fetch("GEMINI_API_KEY")\ngoogle_api_key = Rails.application.credentials.dig(:google, :api_key)\n`, 'Ruby references');
  neg('config/refs.php', `$geminiApiKey = getenv('GEMINI_API_KEY');\n$googleKey = $_ENV['GOOGLE_API_KEY'] ?? '';\n`, 'PHP references');
  neg('config/Refs.cs', `var geminiApiKey = Environment.GetEnvironmentVariable("GEMINI_API_KEY");\nvar googleKey = builder.Configuration["Gemini:ApiKey"];\n`, 'C# references');
  neg('config/refs.rs', `let gemini_api_key = std::env::var("GEMINI_API_KEY").expect("set GEMINI_API_KEY");\n`, 'Rust reference');
  neg('config/Refs.java', `String geminiApiKey = System.getenv("GEMINI_API_KEY");\n@Value("\${gemini.api-key}") private String googleApiKey;\n`, 'Java references');
  neg('config/Refs.swift', `let geminiAPIKey = ProcessInfo.processInfo.environment["GEMINI_API_KEY"] ?? ""\nlet googleKey = Bundle.main.object(forInfoDictionaryKey: "GEMINI_API_KEY") as? String\n`, 'Swift references');
  neg('.gitlab-ci.yml', `test:\n  script:\n    - export GEMINI_API_KEY=$GEMINI_API_KEY_CI\n    - curl -H "x-goog-api-key: $GEMINI_API_KEY" https://generativelanguage.googleapis.com/v1beta/models\n`, 'GitLab CI variables');
  neg('ansible/group_vars/all/vault.yml', `gemini_api_key: !vault |\n  $ANSIBLE_VAULT;1.1;AES256\n${Array.from({ length: 5 }, () => `  ${g.hex(80)}`).join('\n')}\n`, 'Ansible vault');
  neg('docs/ellipsis.md', `Copy the key (\`${P.aiza}SyB...\`) from AI Studio. Server keys look like \`${P.aiza}Sy[REDACTED]\`; never paste one here.\n`, 'ellipsis and redaction markers');
  neg('certs/chain.pem', Array.from({ length: 2 }, () => `-----BEGIN CERTIFICATE-----\n${Array.from({ length: 20 }, () => g.b64(64)).join('\n')}\n${g.b64(40)}==\n-----END CERTIFICATE-----`).join('\n') + '\n', 'certificate chain (wrapped base64)');
  neg('assets/wrapped-binary.b64', `${Buffer.from(Array.from({ length: 3000 }, () => g.int(0, 255))).toString('base64').match(/.{1,76}/g).join('\n')}\n`, 'wrapped base64 of random bytes');
  neg('config/hex-under-name.env', `GEMINI_API_KEY_CHECKSUM=${g.hex(64)}\nGOOGLE_KEY_VERSION=${g.hex(40)}\n`, 'hex digests under key names');
  neg('web/src/validate.js', `export const isGoogleKey = (s) => /^${P.aiza}[0-9A-Za-z-_]{35}$/.test(s);\nexport const isAuthKey = (s) => s.startsWith("${P.auth}") && s.length === 53;\n`, 'validation regexes');
  neg('notebooks/plot.ipynb', JSON.stringify({ cells: [{ cell_type: 'code', execution_count: 1, metadata: {}, source: ['plt.plot(x, y)'], outputs: [{ output_type: 'display_data', metadata: {}, data: { 'image/png': `iVBORw0KGgoAAAANSUhEUgAA${g.b64(20000)}\n`, 'text/plain': ['<Figure size 640x480 with 1 Axes>'] } }] }], metadata: {}, nbformat: 4, nbformat_minor: 5 }, null, 1), 'notebook with a PNG output');

  // ───────────────────────── round 3 ─────────────────────────
  {
    const sa = serviceAccount(g);
    const a = g.apiKey();
    const b = g.authKey();
    pos('web/.env.server', `FIREBASE_PROJECT_ID=${sa.project_id}\nFIREBASE_CLIENT_EMAIL=${sa.client_email}\nNEXT_PUBLIC_FIREBASE_API_KEY=${a}\nGEMINI_API_KEY=${b}\nFIREBASE_PRIVATE_KEY="${sa.private_key.replace(/\n/g, '\\n')}"\n`, [a, b, pemSecret(sa.private_key)], 'keys between the fields of a brace-less service account');
  }
  {
    const sa = serviceAccount(g);
    pos('infra/terraform.tfstate', JSON.stringify({ version: 4, resources: [{ type: 'google_service_account_key', name: 'ci', instances: [{ attributes: { name: `projects/${sa.project_id}/serviceAccounts/${sa.client_email}/keys/${sa.private_key_id}`, private_key: b64(JSON.stringify(sa, null, 2)), public_key_type: 'TYPE_X509_PEM_FILE' } }] }] }, null, 2), pemSecret(sa.private_key), 'Terraform state: google_service_account_key.private_key (base64 key file)');
  }
  {
    const v = g.generic(39);
    pos('ops/gcp.env', `GCP_API_KEY=${v}\n`, v, 'GCP_API_KEY, unknown key shape');
  }
  {
    const k = g.apiKey();
    pos('docs/map.md', `![map](https://maps.googleapis.com/maps/api/staticmap?center=Berlin&zoom=12&size=400x400&key=${k})\n`, k, 'Markdown image URL');
  }
  {
    const a = g.apiKey();
    const b = g.apiKey();
    pos('config/keys.json', JSON.stringify({ keys: [a, b] }), [a, b], 'two keys on one line');
  }
  neg('web/.env.push', `VITE_FIREBASE_VAPID_KEY=B${g.pick(`${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'}-_`, 86)}\nGOOGLE_RECAPTCHA_SITE_KEY=6Lc${g.pick(`${'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'}-_`, 37)}\n`, 'public values under Google names (VAPID, reCAPTCHA site key)');
  neg('config/jinja.yaml', `gemini_api_key: "{{ vault_gemini_api_key }}"\ngoogle_api_key: "{{ lookup('env', 'GOOGLE_API_KEY') }}"\n`, 'Jinja templates');
  neg('config/keyvault.env', `GOOGLE_API_KEY=@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/google-api-key/)\nGEMINI_API_KEY="$(cat /run/secrets/gemini)"\n`, 'Key Vault reference and command substitution');
  neg('home/.ssh/authorized_keys', `ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ${g.b64(300)} dev@laptop\n`, 'SSH public key');

  neg('docs/oauth-flow.md', `The token endpoint answers:\n\n\`\`\`json\n{\n  "access_token": "${g.accessToken().slice(0, 60)}...",\n  "expires_in": 3599,\n  "refresh_token": "${g.refreshToken().slice(0, 50)}…",\n  "token_type": "Bearer"\n}\n\`\`\`\n`, 'truncated tokens in documentation');

  {
    const v = g.generic(39);
    pos('scripts/palm_legacy.py', `import google.generativeai as palm\n\npalm.configure(api_key="${v}")\nprint(palm.list_models())\n`, v, 'google.generativeai imported under another alias, unknown key shape');
  }
  {
    const v = g.generic(39);
    pos('web/src/ai.ts', `import { createGoogleGenerativeAI } from '@ai-sdk/google';\nexport const google = createGoogleGenerativeAI({ apiKey: '${v}' });\n`, v, 'Vercel AI SDK provider, unknown key shape');
  }

  neg('web/src/components/ChatList.jsx', `// Gemini chat transcript\nexport const ChatList = ({ messages }) => messages.map((m) => <Message key="${g.generic(20)}" text={m.text} />);\n`, 'React key near Gemini code');
  neg('app/cache.py', `# gemini response cache\ncache.set(key="${g.generic(24)}", value=resp)\nGEMINI_PROMPT_CACHE_KEY = "${g.generic(32)}"\n`, 'cache keys near Gemini code');
  neg('data/conversations.json', JSON.stringify({ model: 'gemini-2.5-pro', conversations: Array.from({ length: 4 }, () => ({ key: g.generic(20), text: 'hello' })) }), 'record keys (Firestore ids) in a Gemini dataset');
  {
    const v = g.generic(40);
    pos('config/llm.yaml', `llm:\n  provider: google\n  gemini:\n    key: ${v}\n    model: gemini-2.5-flash\n`, v, 'bare key: as the first field of a gemini section');
  }
  {
    const v = g.generic(40);
    pos('java/src/main/java/com/acme/Llm.java', `Client client = Client.builder().apiKey("${v}").build(); // com.google.genai\n`, v, 'Java builder .apiKey(...) for google-genai');
  }

  {
    const sa = serviceAccount(g);
    const cfg = JSON.stringify({ auths: { 'europe-docker.pkg.dev': { username: '_json_key', auth: b64(`_json_key:${JSON.stringify(sa)}`) } } });
    pos('k8s/regcred.yaml', `apiVersion: v1\nkind: Secret\nmetadata:\n  name: regcred\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: ${b64(cfg)}\n`, pemSecret(sa.private_key), 'dockerconfigjson secret: service account encoded twice');
  }

  neg('site/store-locator.html', `<script src="https://maps.googleapis.com/maps/api/js?key=${P.aiza}SyB41DRUbKWJHPxaFjMAwdrzWzbVKartNGg&callback=initMap&v=weekly" defer></script>\n<script>google.charts.load('current', { packages: ['geochart'], mapsApiKey: '${P.aiza}SyD-9tSrke72PouQMnMX-a7eZSW0jkFMBWY' });</script>\n`, "demo keys published in Google's own documentation samples (Maps JS, Charts)");

  {
    const rt = g.refreshToken();
    const id = g.clientId();
    const cs = g.legacyClientSecret();
    pos('home/.config/gcloud/adc.yaml', `type: authorized_user\nclient_id: ${id}\nclient_secret: ${cs}\nrefresh_token: ${rt}\n`, [rt, cs], "authorized_user as YAML with the project's own client: two credentials");
  }

  // ───────────────────────── keys split over string literals ─────────────────────────
  {
    const k = g.apiKey();
    pos('web/src/obfuscated.js', `// split so scanners miss it\nconst MAPS = "${k.slice(0, 12)}" + "${k.slice(12, 25)}" + "${k.slice(25)}";\n`, k, 'key split over three JS literals');
  }
  {
    const k = g.apiKey();
    pos('app/split_key.py', `GEMINI_API_KEY = (\n    "${k.slice(0, 20)}"\n    "${k.slice(20)}"\n)\n`, k, 'key split over adjacent Python literals');
  }
  neg('web/src/assemble.js', `const prefix = "${P.aiza}Sy";\nconst key = prefix + window.__SUFFIX__;\nconst parts = ["${P.aiza}Sy", "${g.generic(20)}"];\n`, 'key prefix joined to a variable; pieces in an array');

  // ───────────────────────── credentials together, private keys in code, legacy secrets by name ─────────────────────────
  {
    // gcloud's own public OAuth clients (published in the Cloud SDK source): their secrets are not secrets.
    const gcloud = { id: ['32555940559', '.apps.googleusercontent.com'].join(''), secret: ['ZmssLNjJy', '2998hD4CTg2ejr2'].join('') };
    const adc = { id: ['764086051850-6qr4p6gpi6hn506pt8ejuq83di341hur', '.apps.googleusercontent.com'].join(''), secret: ['d-FL95Q19q7', 'MQmFpd7hHD0Ty'].join('') };
    const rt1 = g.refreshToken();
    pos('dotfiles/gcloud/application_default_credentials.json', JSON.stringify({ client_id: adc.id, client_secret: adc.secret, refresh_token: rt1, type: 'authorized_user' }, null, 2), rt1, "ADC of gcloud's public client: only the refresh token");
    const rt2 = g.refreshToken();
    pos('dotfiles/gcloud/login.json', JSON.stringify({ client_id: gcloud.id, client_secret: gcloud.secret, refresh_token: rt2, type: 'authorized_user' }), rt2, "one-line authorized_user of gcloud auth login's public client");
    neg('docs/gcloud-client.md', `gcloud's installed-app client is public: \`client_id=${gcloud.id}\`, \`client_secret=${gcloud.secret}\`.\n`, "the gcloud CLI's published client secret");
    const rt3 = g.refreshToken();
    const cs3 = g.clientSecret();
    pos('tools/adc-own-client.json', JSON.stringify({ client_id: g.clientId(), client_secret: cs3, refresh_token: rt3, type: 'authorized_user' }), [rt3, cs3], 'one-line authorized_user with a GOCSPX secret: two findings on one line');
  }
  {
    const lines = (pem) => pem.trimEnd().split('\n');
    const escaped = (pem) => `${lines(pem).join('\\n')}\\n`;
    const sa = serviceAccount(g, { name: 'admin-sdk' });
    const l = lines(sa.private_key);
    pos('functions/src/admin.js', `admin.initializeApp({\n  credential: admin.credential.cert({\n    projectId: '${sa.project_id}',\n    clientEmail: '${sa.client_email}',\n    privateKey:\n${l.map((x) => `      '${x}\\n'`).join(' +\n')},\n  }),\n});\n`, pemSecret(sa.private_key), 'service-account key split over lines with + in JavaScript');
    const sa2 = serviceAccount(g, { name: 'py-worker' });
    pos('worker/creds.py', `INFO = {\n    "type": "service_account",\n    "private_key_id": "${sa2.private_key_id}",\n    "private_key": (\n${lines(sa2.private_key).map((x) => `        "${x}\\n"`).join('\n')}\n    ),\n    "client_email": "${sa2.client_email}",\n}\n`, pemSecret(sa2.private_key), 'service-account key as adjacent Python strings');
    const sa3 = serviceAccount(g, { name: 'old-ci' });
    pos('ci/values.yaml', `gcp:\n  clientEmail: ${sa3.client_email}\n  # privateKey: "${escaped(sa3.private_key)}"\n`, pemSecret(sa3.private_key), 'service-account key commented out in YAML, escaped newlines');
    const sa4 = serviceAccount(g, { name: 'ts-bot' });
    pos('bot/src/google.ts', `const credentials = {\n  client_email: "${sa4.client_email}",\n  private_key: "${escaped(sa4.private_key)}",\n};\n`, pemSecret(sa4.private_key), 'service-account key as a TypeScript object with escaped newlines');
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' });
    pos('server/tls.js', `// dev TLS\nexport const key = "${escaped(ec)}";\n`, pemSecret(ec), 'EC private key of unknown owner in JavaScript');
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' });
    pos('deploy/signing.yaml', `signing:\n  key: |\n${lines(ed).map((x) => `    ${x}`).join('\n')}\n`, pemSecret(ed), 'Ed25519 private key in a YAML block');
    const pub = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' });
    neg('server/public.js', `export const publicKey = "${escaped(pub)}";\n`, 'a public key');
    neg('docs/keys.md', `Put your key in \`${P.begin}\\n...\\n${P.end}\` form.\n\n\`\`\`\n${P.begin}\n<your private key>\n${P.end}\n\`\`\`\n`, 'PEM placeholders in docs');
  }
  {
    const a = g.legacyClientSecret();
    pos('api/.env', `GOOGLE_CLIENT_SECRET=${a}\nPORT=3000\n`, a, 'legacy client secret by name in .env, no client id near');
    const b = g.legacyClientSecret();
    pos('api/src/oauth.ts', `export const oauth = new google.auth.OAuth2(process.env.ID, '${b}', REDIRECT);\nconst cfg = { clientSecret: '${b}' };\n`, b, 'legacy client secret assigned to clientSecret');
    neg('api/.env.github', `GITHUB_CLIENT_SECRET=${g.generic(24)}\nSTRIPE_CLIENT_SECRET=${g.generic(24)}\n`, "other services' 24-character client secrets");
    neg('api/src/models.ts', `const app = { client_secret: '${g.hex(24)}', clientSecret: clientSecretFromVault, CLIENT_SECRET: process.env.CLIENT_SECRET };\n`, 'a hex id, an identifier and an env reference under client_secret names');
  }

  // ───────────────────────── credential files by name (path rules) ─────────────────────────
  // '@path' plants: the file itself is the credential (binary, or a format keyguard cannot read); a path-rule
  // finding on it counts.
  pos('keys/acme-prod-5f0c3e1d9a7b.p12', Buffer.concat([Buffer.from([0x30, 0x82, 0x09, 0xf1, 0x02, 0x01, 0x03, 0x30, 0x82, 0x09, 0xb7, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01, 0xa0]), Buffer.from(Array.from({ length: 2400 }, () => g.int(0, 255)))]), '@path', 'legacy service-account .p12 key (binary)');
  neg('web/.env', `VITE_API_URL=http://localhost:8080\nVITE_GEMINI_API_KEY=\nVITE_FEATURE_FLAGS=chat,maps\n`, '.env with public settings and an empty key (a path rule may warn)');

  // ───────────────────────── history-only leaks ─────────────────────────
  const history = [];
  {
    const k = g.apiKey();
    history.push({ commits: [{ path: 'src/config.js', content: `export const KEY = "${k}";\n` }, { path: 'src/config.js', content: 'export const KEY = process.env.GEMINI_API_KEY;\n' }], plants: [k], note: 'key added then replaced by an env reference' });
  }
  {
    const sa = serviceAccount(g);
    history.push({ commits: [{ path: 'keys/sa.json', content: JSON.stringify(sa, null, 2) }, { path: 'keys/sa.json', delete: true }], plants: [pemSecret(sa.private_key)], note: 'service-account file committed then deleted' });
  }
  {
    const a = g.authKey();
    history.push({ commits: [{ path: '.env', content: `GEMINI_API_KEY=${a}\n` }, { path: '.env', delete: true }, { path: '.gitignore', content: '.env\n' }], plants: [a], note: '.env committed then removed and ignored' });
  }
  {
    const k = g.apiKey();
    history.push({ branch: 'feature/maps', commits: [{ path: 'src/maps.ts', content: `export const MAPS_KEY = '${k}';\n` }], plants: [k], note: 'leak only on an unmerged branch' });
  }
  return { cases, history };
}
