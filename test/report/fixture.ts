// A fixed ScanResult for the golden tests: scan and history findings, several kinds, client exposure, odd paths.
// Secrets are already redacted, as reporters receive them; nothing here is key-shaped.
import type { Finding, Rule, ScanResult } from '../../src/types.js';
import type { ReportOptions } from '../../src/types.js';

function finding(f: Partial<Finding> & Pick<Finding, 'ruleId' | 'title' | 'kind' | 'file' | 'line' | 'column' | 'credential' | 'secret'>): Finding {
  return {
    severity: 'high',
    endLine: f.line,
    endColumn: f.column + 39,
    fingerprint: `${f.credential}:${f.file}`,
    entropy: 4.7,
    exposure: 'server',
    excerpt: `key = "${f.secret}"`,
    ...f,
  };
}

export const scanResult: ScanResult = {
  mode: 'scan',
  findings: [
    finding({ ruleId: 'google-api-key', title: 'Google API key', kind: 'google-api-key', file: 'src/App.jsx', line: 12, column: 40, credential: '3f9a1c0e5b7d2a4c', secret: 'AIza…DCg4', exposure: 'client', git: 'tracked', excerpt: 'const ai = new GoogleGenAI({ apiKey: "AIza…DCg4" });' }),
    finding({ ruleId: 'google-api-key', title: 'Google API key', kind: 'google-api-key', file: 'public/index.html', line: 3, column: 18, credential: '3f9a1c0e5b7d2a4c', secret: 'AIza…DCg4', exposure: 'client', git: 'tracked', excerpt: '<script>const k="AIza…DCg4"</script>' }),
    finding({ ruleId: 'google-service-account-key', title: 'Google service-account private key', severity: 'critical', kind: 'service-account-key', file: 'keys/sa.json', line: 5, column: 18, endLine: 5, endColumn: 1700, credential: '0b1c2d3e4f506172', secret: '----…---\\n', git: 'untracked', excerpt: '  "private_key": "----…---\\n",' }),
    finding({ ruleId: 'google-api-key', title: 'Google API key', severity: 'medium', kind: 'google-api-key', file: 'src/firebase.js', line: 2, column: 11, credential: 'a1b2c3d4e5f60718', secret: 'AIza…k9Qw', exposure: 'client', git: 'tracked', note: 'Firebase web config key: public by design in a web app, but an unrestricted key also works for every other API enabled on its project, the Gemini API included. Restrict it.' }),
    finding({ ruleId: 'google-oauth-client-secret', title: 'Google OAuth client secret', kind: 'oauth-client-secret', file: 'docs/a,b:c%<d>&"e".md', line: 7, column: 1, credential: '9988776655443322', secret: 'GOCS…_x1Z', git: 'tracked', excerpt: 'secret: GOCS…_x1Z | `code` <b>' }),
  ],
  skipped: [{ path: 'secrets.env', reason: 'permission denied' }],
  stats: { files: 120, bytes: 1832000, binary: 3, skipped: 1, findings: 5, durationMs: 84 },
  notes: [],
};

const commit = (n: number): string => `${n}`.repeat(40).slice(0, 40);

export const historyResult: ScanResult = {
  mode: 'history',
  incomplete: true,
  findings: [
    finding({ ruleId: 'gemini-auth-key', title: 'Gemini API auth key', severity: 'critical', kind: 'gemini-auth-key', file: '.env', line: 1, column: 16, endColumn: 69, credential: '5566778899aabbcc', secret: 'AQ.A…x9Zq', commit: commit(1), author: 'Ada Lovelace', email: 'ada@example.com', date: '2026-03-02T10:00:00+01:00', excerpt: 'GEMINI_API_KEY=AQ.A…x9Zq' }),
    finding({ ruleId: 'gemini-auth-key', title: 'Gemini API auth key', severity: 'critical', kind: 'gemini-auth-key', file: 'web/src/config.ts', line: 4, column: 30, endColumn: 83, credential: '5566778899aabbcc', secret: 'AQ.A…x9Zq', exposure: 'client', commit: commit(2), author: 'Grace Hopper', email: 'grace@example.com', date: '2026-02-14T09:30:00Z', excerpt: 'export const key = import.meta.env.VITE_KEY ?? "AQ.A…x9Zq";' }),
    finding({ ruleId: 'google-oauth-refresh-token', title: 'Google OAuth refresh token', kind: 'oauth-refresh-token', file: 'token.json', line: 1, column: 60, credential: 'ddeeff0011223344', secret: '1//0…Qm7A', commit: commit(3), author: 'Ada Lovelace', email: 'ada@example.com', date: '2026-04-01T12:00:00Z', refs: ['refs/heads/feature'] }),
    finding({ ruleId: 'google-authorized-user', title: 'gcloud user credentials (authorized_user)', kind: 'authorized-user', file: 'application_default_credentials.json', line: 4, column: 20, credential: '1234abcd5678ef90', secret: '1//0…z0Ab', commit: commit(3), author: 'Ada Lovelace', email: 'ada@example.com', date: '2026-04-01T12:00:00Z' }),
    finding({ ruleId: 'google-cloud-storage-hmac-secret', title: 'Google Cloud Storage HMAC secret', kind: 'hmac-key', file: 'deploy/s3.cfg', line: 3, column: 15, credential: 'cafe0000beef1111', secret: 'bGx0…QkE=', commit: commit(4), author: 'Grace Hopper', email: 'grace@example.com', date: '2026-05-05T08:00:00Z' }),
  ],
  skipped: [],
  stats: { files: 0, bytes: 52000, binary: 0, skipped: 0, findings: 5, durationMs: 1234, commits: 42, blobs: 57 },
  credentials: [
    { credential: '5566778899aabbcc', firstCommitted: { commit: commit(2), date: '2026-02-14T09:30:00Z' }, presentAtHead: false, removed: { commit: commit(5), date: '2026-06-01T00:00:00Z' }, refs: ['refs/heads/main', 'refs/heads/feature'] },
  ],
  notes: ['this is a shallow clone, so older history was not scanned; run git fetch --unshallow (or set fetch-depth: 0 in actions/checkout) and scan again'],
};

export const cleanResult: ScanResult = {
  mode: 'scan',
  findings: [],
  skipped: [],
  stats: { files: 10, bytes: 2048, binary: 0, skipped: 0, findings: 0, durationMs: 5 },
  notes: [],
};

function rule(r: Pick<Rule, 'id' | 'title' | 'description' | 'severity' | 'kind' | 'references'>): Rule {
  return { keywords: [], keywordsIgnoreCase: false, placeholders: true, context: [], allowlist: { regexes: [], stopwords: [] }, priority: 10, examples: [], negativeExamples: [], source: `rules/${r.id}.yaml`, ...r };
}

/** Two loaded rules; the other rule ids in the findings are synthesised by the SARIF reporter. */
export const rules: Rule[] = [
  rule({ id: 'google-api-key', title: 'Google API key', description: 'A standard Google Cloud API key.', severity: 'high', kind: 'google-api-key', references: ['https://ai.google.dev/gemini-api/docs/api-key'] }),
  rule({ id: 'google-service-account-key', title: 'Google service-account private key', description: 'A service-account key file with a PEM private key.', severity: 'critical', kind: 'service-account-key', references: [] }),
];

export function options(color = false): ReportOptions {
  return { color, toolVersion: '0.0.0-test', today: '2026-11-25', rules };
}
