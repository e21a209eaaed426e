import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/git-repo.js';
import { fakeGoogleApiKey, fakeGeminiAuthKey, fakeServiceAccountJson } from '../helpers/keys.js';
import { CHUNK_BYTES, CHUNK_OVERLAP } from '../../src/sources/tree.js';

function project(files: Record<string, string | Buffer>): string {
  const dir = tempDir();
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe('keyguard scan', () => {
  it('exits 0 on a clean folder', async () => {
    const dir = project({ 'src/app.js': 'const key = process.env.GEMINI_API_KEY;\n' });
    const r = await runCli(['scan', '.'], { cwd: dir });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/no leaks found in 1 file/);
  });

  it('finds a key, redacts it, and exits 1', async () => {
    const key = fakeGoogleApiKey(7);
    const dir = project({ 'src/App.jsx': `export const ai = new GoogleGenAI({ apiKey: "${key}" });\n` });
    const r = await runCli(['scan'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('src/App.jsx:1:46');
    expect(r.stdout).toContain(`${key.slice(0, 4)}…${key.slice(-4)}`);
    expect(r.stdout).not.toContain(key);
    expect(r.stderr).not.toContain(key);
  });

  it('prints the secret only with --show-secrets', async () => {
    const key = fakeGeminiAuthKey(3);
    const dir = project({ '.env': `GEMINI_API_KEY=${key}\n` });
    const json = JSON.parse((await runCli(['scan', '--format', 'json'], { cwd: dir })).stdout);
    expect(JSON.stringify(json)).not.toContain(key);
    const shown = JSON.parse((await runCli(['scan', '--format', 'json', '--show-secrets'], { cwd: dir })).stdout);
    expect(shown.findings[0].secret).toBe(key);
  });

  it('writes the JSON document of the contract', async () => {
    const dir = project({ 'keys/sa.json': fakeServiceAccountJson(), 'public/index.html': `<script>const k="${fakeGoogleApiKey(2)}"</script>` });
    const r = await runCli(['scan', '-f', 'json'], { cwd: dir });
    const doc = JSON.parse(r.stdout);
    expect(doc).toMatchObject({ version: 1, tool: { name: 'keyguard' }, mode: 'scan', skipped: [] });
    expect(doc.stats).toMatchObject({ files: 2, findings: 2 });
    const sa = doc.findings.find((f: { kind: string }) => f.kind === 'service-account-key');
    expect(sa).toMatchObject({ ruleId: 'google-service-account-key', file: 'keys/sa.json', line: 5, severity: 'critical', exposure: 'server' });
    expect(sa.credential).toMatch(/^[0-9a-f]{16}$/);
    expect(sa.fingerprint).toBe(`${sa.credential}:keys/sa.json`);
    const web = doc.findings.find((f: { kind: string }) => f.kind === 'google-api-key');
    expect(web.exposure).toBe('client');
  });

  it('gives the same credential id to the same key in two files, and two findings', async () => {
    const key = fakeGoogleApiKey(11);
    const dir = project({ 'a.py': `KEY = "${key}"\n`, 'b.yaml': `key: ${key}\n` });
    const doc = JSON.parse((await runCli(['scan', '-f', 'json'], { cwd: dir })).stdout);
    expect(doc.findings).toHaveLength(2);
    expect(doc.findings[0].credential).toBe(doc.findings[1].credential);
    expect(doc.findings[0].fingerprint).not.toBe(doc.findings[1].fingerprint);
  });

  it('honours inline markers', async () => {
    const key = fakeGoogleApiKey(5);
    const dir = project({
      'a.js': `const a = "${key}"; // keyguard:allow\n`,
      'b.py': `# pragma: allowlist nextline secret\nb = "${key}"\n`,
      'c.go': `c := "${key}" // gitleaks:allow\n`,
    });
    const r = await runCli(['scan'], { cwd: dir });
    expect(r.exitCode).toBe(0);
  });

  it('reads standard input with -', async () => {
    const dir = tempDir();
    const r = await runCli(['scan', '-', '--stdin-name', 'pasted.env', '-f', 'json'], { cwd: dir, stdin: `GOOGLE_API_KEY=${fakeGoogleApiKey(9)}\n` });
    expect(r.exitCode).toBe(1);
    expect(JSON.parse(r.stdout).findings[0].file).toBe('pasted.env');
  });

  it('finds keys on a chunk seam of a big file, at the right line and column', async () => {
    const key = fakeGoogleApiKey(21);
    // Multi-line file: a key straddling the first 8 MiB boundary.
    const line = `${'x'.repeat(99)}\n`;
    const before = line.repeat(Math.floor(CHUNK_BYTES / line.length) - 1);
    const pad = CHUNK_BYTES - before.length - 20;
    const multi = `${before}${'y'.repeat(pad)} k="${key}"\n${line.repeat(1000)}`;
    // Minified file: one line longer than a chunk, a key across the seam and one past it.
    const minified = `${'z'.repeat(CHUNK_BYTES - 20)};k="${key}";${'w'.repeat(CHUNK_OVERLAP * 2)};j="${key}";`;
    const dir = project({ 'big.txt': multi, 'dist/app.min.js': minified });
    const doc = JSON.parse((await runCli(['scan', '-f', 'json'], { cwd: dir })).stdout);
    const found = doc.findings.map((f: { file: string; line: number; column: number }) => `${f.file}:${f.line}:${f.column}`).sort();
    const multiLine = before.split('\n').length;
    expect(found).toEqual([
      `big.txt:${multiLine}:${pad + 5}`,
      `dist/app.min.js:1:${CHUNK_BYTES - 20 + 5}`,
      `dist/app.min.js:1:${CHUNK_BYTES - 20 + 4 + key.length + 3 + CHUNK_OVERLAP * 2 + 4}`,
    ]);
  });

  it('reports bad input with exit 2 and one line', async () => {
    const dir = tempDir();
    const missing = await runCli(['scan', 'src', 'nope'], { cwd: dir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toMatch(/src: no such file or folder/);
    const size = await runCli(['scan', '--max-file-size', 'ten'], { cwd: dir });
    expect(size.exitCode).toBe(2);
    expect(size.stderr).toMatch(/--max-file-size ten/);
    const format = await runCli(['scan', '--format', 'xml'], { cwd: dir });
    expect(format.exitCode).toBe(2);
    expect(format.stderr).toMatch(/format/);
    const out = await runCli(['scan', '--output', 'missing/dir/report.json'], { cwd: dir });
    expect(out.exitCode).toBe(2);
    expect(out.stderr).toMatch(/--output missing\/dir\/report.json/);
  });

  it('writes --output and never overwrites a scanned file', async () => {
    const dir = project({ 'a.txt': 'hello\n' });
    const ok = await runCli(['scan', '.', '--output', 'report.json', '-f', 'json'], { cwd: dir });
    expect(ok.exitCode).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8')).mode).toBe('scan');
    const clash = await runCli(['scan', '.', '--output', 'a.txt'], { cwd: dir });
    expect(clash.exitCode).toBe(2);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('hello\n');
    expect(existsSync(join(dir, 'report.json'))).toBe(true);
  });

  it('honours --exit-code', async () => {
    const dir = project({ 'a.env': `GOOGLE_API_KEY=${fakeGoogleApiKey(4)}\n` });
    expect((await runCli(['scan', '--exit-code', '3'], { cwd: dir })).exitCode).toBe(3);
  });

  it('decodes UTF-16 files and scans CRLF files with the right lines', async () => {
    const key = fakeGoogleApiKey(8);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`a\r\nKEY=${key}\r\n`, 'utf16le')]);
    const dir = project({ 'win.env': utf16, 'crlf.txt': `one\r\ntwo\r\nkey: ${key}\r\n`, 'cr.txt': `one\rkey: ${key}\r` });
    const doc = JSON.parse((await runCli(['scan', '-f', 'json'], { cwd: dir })).stdout);
    const found = doc.findings.map((f: { file: string; line: number; column: number }) => `${f.file}:${f.line}:${f.column}`).sort();
    expect(found).toEqual(['cr.txt:2:6', 'crlf.txt:3:6', 'win.env:2:5']);
  });
});
