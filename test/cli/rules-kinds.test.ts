// `keyguard rules --check` and the kind files, run as installed: the built CLI beside its own copy of rules/, since the
// bundle holds the kind data and only --check reads the files.
import { beforeAll, describe, expect, it } from 'vitest';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { tempDir } from '../helpers/git-repo.js';
import { fakeGoogleApiKey } from '../helpers/keys.js';

const ROOT = new URL('../../', import.meta.url).pathname;
let dir = '';

function check(): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(dir, 'dist', 'cli.js'), 'rules', '--check'], { cwd: dir, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function edit(name: string, change: (text: string) => string): void {
  const path = join(dir, 'rules', 'kinds', name);
  writeFileSync(path, change(readFileSync(path, 'utf8')));
}

describe('keyguard rules --check on the kind files', () => {
  beforeAll(() => {
    dir = tempDir();
    cpSync(join(ROOT, 'dist'), join(dir, 'dist'), { recursive: true, filter: (src) => !src.endsWith('action.js') });
    cpSync(join(ROOT, 'rules'), join(dir, 'rules'), { recursive: true });
  });

  it('passes on the files the bundle was built from', () => {
    const r = check();
    expect(r.stdout).toMatch(/^13 kind files valid$/m);
    expect(r.status).toBe(0);
  });

  it('says a kind file edited since the build differs from what keyguard runs with', () => {
    edit('hmac-key.yaml', (t) => t.replace('label: Cloud Storage HMAC key', 'label: GCS HMAC key'));
    const r = check();
    expect(r.stdout).toContain('rules/kinds/hmac-key.yaml: differs from the kind data keyguard was built with; rebuild it (npm run build)');
    expect(r.status).toBe(1);
  });

  it('names the file, line and field of a broken kind file, exit 2', () => {
    edit('fcm-server-key.yaml', (t) => t.replace("  - text: 'Audit {window}", "  - when: { stagd: true }\n    text: 'Audit {window}"));
    const r = check();
    const line = readFileSync(join(dir, 'rules', 'kinds', 'fcm-server-key.yaml'), 'utf8').split('\n').findIndex((l) => l.includes('stagd')) + 1;
    expect(r.stderr.split('\n')[0]).toBe(`keyguard: rules/kinds/fcm-server-key.yaml:${line}: field 'steps.3.when.stagd': is not a known condition: use history, staged, client, firebase, notInGit, secretsFile, tracked, refs, verification, after, before`);
    expect(r.stderr.trim().split('\n')).toHaveLength(2);
    expect(r.status).toBe(2);
  });

  it('reads no kind file to scan: the bundle holds the data', () => {
    const bare = tempDir();
    cpSync(join(ROOT, 'dist'), join(bare, 'dist'), { recursive: true, filter: (src) => !src.endsWith('action.js') });
    cpSync(join(ROOT, 'rules'), join(bare, 'rules'), { recursive: true });
    rmSync(join(bare, 'rules', 'kinds'), { recursive: true });
    writeFileSync(join(bare, 'config.js'), `export const apiKey = "${fakeGoogleApiKey(7)}";\n`);
    const r = spawnSync(process.execPath, [join(bare, 'dist', 'cli.js'), 'scan', 'config.js', '--no-color'], { cwd: bare, encoding: 'utf8', timeout: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Google API key (standard)');
    expect(r.stdout).toMatch(/Create a replacement, and make it an auth key/);
    expect(r.status).toBe(1);
  });
});
