// Property: whatever bytes a file's name and content hold, a key planted in it is found at the file's name (shown as
// names.ts shows it), or the file is listed as skipped: by the tree walk, by git's lists, and in history.
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gitEnv, tempDir } from '../helpers/git-repo.js';
import { runCli } from '../helpers/cli.js';
import { fakeGoogleApiKey } from '../helpers/keys.js';
import { showName } from '../../src/sources/names.js';
import { isBinaryFormatName } from '../../src/sources/decode.js';
import { CHUNK_BYTES } from '../../src/sources/chunks.js';

interface Report {
  findings: { file: string; secret: string }[];
  skipped: { path: string; reason: string }[];
}

const root = tempDir('keyguard-names-');
// rm walks down folder by folder: Node's rmSync cannot remove a path over 4096 bytes.
afterAll(() => void execFileSync('rm', ['-rf', root]));
const env = gitEnv();
const git = (cwd: string, ...args: string[]): void => void execFileSync('git', args, { cwd, env, stdio: 'ignore' });

const KEYS = Array.from({ length: 8 }, (_, i) => fakeGoogleApiKey(700 + i));
/** Bytes that end a token on either side of a key: ASCII punctuation, a newline, and bytes that are not UTF-8. */
const SEPARATORS = [0x20, 0x22, 0x0a, 0x3d, 0xff, 0xe9, 0xc3, 0x80];
const BOMS = [[], [0xff, 0xfe], [0xfe, 0xff], [0xef, 0xbb, 0xbf]];

/** Any bytes but NUL (a NUL makes content binary, which is counted, not listed). */
const noNul = fc.uint8Array({ maxLength: 60 }).map((b) => Buffer.from(b.map((x) => x || 1)));
const name = fc
  .uint8Array({ minLength: 1, maxLength: 24 })
  .map((b) => Buffer.from(b.map((x) => (x === 0 || x === 0x2f ? 0x5f : x))))
  // Not hidden (.gitignore, .env are files with a meaning), and not a binary format by its name (counted unread).
  .filter((b) => b[0] !== 0x2e && !isBinaryFormatName(b.toString('latin1')));
const file = fc.record({
  name,
  bom: fc.constantFrom(...BOMS),
  before: noNul,
  after: noNul,
  open: fc.constantFrom(...SEPARATORS),
  close: fc.constantFrom(...SEPARATORS),
});

let run = 0;

describe('every name, every byte', () => {
  it('finds each planted key at its file, or lists the file as skipped: tree walk, git lists and history', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(file, { minLength: 1, maxLength: KEYS.length, selector: (f) => f.name.toString('hex') }), async (files) => {
        const dir = join(root, `r${run++}`);
        mkdirSync(dir);
        git(dir, 'init', '-q', '-b', 'main');
        const planted = files.map((f, i) => {
          const content = Buffer.concat([Buffer.from(f.bom), f.before, Buffer.from([f.open]), Buffer.from(KEYS[i]!), Buffer.from([f.close]), f.after]);
          writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), f.name]), content);
          return { shown: showName(f.name), key: KEYS[i]! };
        });
        const check = async (args: string[]): Promise<void> => {
          const res = await runCli([...args, '--format', 'json', '--show-secrets'], { cwd: dir, env });
          expect(res.exitCode, res.stderr).toBe(1);
          const report = JSON.parse(res.stdout) as Report;
          for (const p of planted) {
            const found = report.findings.some((f) => f.file === p.shown && f.secret === p.key);
            const skipped = report.skipped.some((s) => s.path === p.shown);
            expect(found || skipped, `${args.join(' ')}: ${p.shown}`).toBe(true);
          }
        };
        // git lists the (untracked) files; then the walk, without git's lists; then history, once committed.
        await check(['scan', '.']);
        await check(['scan', '.', '--no-gitignore']);
        git(dir, 'add', '-A');
        git(dir, '-c', 'commit.gpgsign=false', 'commit', '-qm', 'keys');
        await check(['history']);
        rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 12 },
    );
  });

  it('finds a key across a chunk seam, with a character that is not UTF-8 split on the seam before it', async () => {
    const dir = join(root, 'seam');
    mkdirSync(dir);
    const key = KEYS[0]!;
    const content = Buffer.alloc(CHUNK_BYTES + 4096, 0x61);
    // A three-byte character cut short, then the key, whose middle is on the seam.
    const at = CHUNK_BYTES - 20;
    content.set([0x0a, 0xe2, 0x82], at - 3);
    content.write(` ${key} \n`, at, 'latin1');
    content.writeUInt8(0xff, at + key.length + 3);
    writeFileSync(join(dir, 'bundle.js'), content);
    const res = await runCli(['scan', '.', '--format', 'json', '--show-secrets'], { cwd: dir, env });
    const report = JSON.parse(res.stdout) as Report;
    expect(report.findings.map((f) => [f.file, f.secret])).toEqual([['bundle.js', key]]);
  });

  it('lists a file whose path is over 4096 bytes as skipped (its folder cannot be opened), walked or listed by git', async () => {
    const dir = join(root, 'long');
    mkdirSync(dir);
    const segment = 'd'.repeat(200);
    // The shell goes down one folder at a time: no single path it uses is too long.
    execFileSync('sh', ['-c', `for i in $(seq 22); do mkdir ${segment} && cd ${segment}; done; printf 'k = "%s"\\n' "$KEY" > deep.txt`], { cwd: dir, env: { ...env, KEY: KEYS[1]! } });
    for (const args of [['scan', '.', '--no-gitignore'], ['scan', '.']]) {
      if (args.length === 2) git(dir, 'init', '-q', '-b', 'main');
      const res = await runCli([...args, '--format', 'json'], { cwd: dir, env });
      const report = JSON.parse(res.stdout) as Report;
      expect(report.skipped.map((x) => x.reason)).toEqual(['folder not read: path longer than the system allows (4096 bytes), not read']);
      expect(report.skipped[0]!.path.startsWith(segment)).toBe(true);
    }
  });
});
