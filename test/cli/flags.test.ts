// The flag table: one declaration read by both parsers, one check per value, and errors that name what was typed.
import { describe, expect, it } from 'vitest';
import { FLAGS, flagsOf, parseFlags, unknownFlagMessage, type CommandName } from '../../src/cli/flags.js';
import { commands } from '../../src/cli/commands/index.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/git-repo.js';

describe('the flag table', () => {
  it('covers every command, and every flag belongs to one', () => {
    const names = commands.map((c) => c.name).sort();
    for (const f of FLAGS) for (const c of f.commands) expect(names, `${f.name}: ${c}`).toContain(c);
    expect(new Set(FLAGS.map((f) => f.name)).size).toBe(FLAGS.length);
  });

  it('parses the forms a user types', () => {
    const p = parseFlags('history', ['--range=a..b', '-j', '2', '--no-progress', '-q', '--', 'x']);
    expect(p).toMatchObject({ ok: true, positionals: ['x'], args: { range: 'a..b', jobs: 2, progress: false, quiet: true, format: 'text' } });
    expect(parseFlags('scan', ['--bogus'])).toEqual({ ok: false, handOver: true });
    expect(parseFlags('scan', ['--help'])).toEqual({ ok: false, handOver: true });
    expect(parseFlags('scan', ['--exit-code', '0'])).toMatchObject({ ok: true, args: { exitCode: 0 } });
  });

  it('suggests the closest flag of the command, and points gitleaks users to the migration page', () => {
    expect(unknownFlagMessage('scan', '--fromat')).toBe('--fromat: keyguard scan has no such option; did you mean --format? (keyguard scan --help lists them)');
    expect(unknownFlagMessage('history', '--jbos=2')).toContain('did you mean --jobs?');
    expect(unknownFlagMessage('scan', '--no-such-flag')).toBe('--no-such-flag: keyguard scan has no such option (keyguard scan --help lists them)');
    expect(unknownFlagMessage('history', '--log-opts')).toBe('--log-opts: keyguard history has no such option (a gitleaks option?): use --range A..B, --since-commit or --branch; see docs/migrating-from-gitleaks.md');
  });
});

describe('both parsers, the same answers', () => {
  const dir = tempDir();
  // The fast paths (staged, scan, history without --help) and yargs (every other command, and anything the fast
  // path hands over) must say the same thing about the same value.
  const cases: { argv: string[]; error: string }[] = [
    { argv: ['staged', '--exit-code', '256'], error: '--exit-code 256: out of range; use an exit code from 0 to 255' },
    { argv: ['scan', '--exit-code', 'abc'], error: '--exit-code abc: not a whole number; use an exit code from 0 to 255' },
    { argv: ['history', '--exit-code', '512'], error: '--exit-code 512: out of range; use an exit code from 0 to 255' },
    { argv: ['history', '-j', 'abc'], error: '--jobs abc: not a whole number; use a whole number of threads from 1 to 256' },
    { argv: ['history', '--jobs', '0'], error: '--jobs 0: out of range; use a whole number of threads from 1 to 256' },
    { argv: ['scan', '--verify-timeout', '0'], error: '--verify-timeout 0: use a number of seconds above 0 and at most 300' },
    { argv: ['doctor', '--format', 'yaml'], error: '--format yaml: not one of text, json, sarif, github, junit' },
    { argv: ['scan', '--no-such-flag'], error: '--no-such-flag: keyguard scan has no such option (keyguard scan --help lists them)' },
    { argv: ['staged', '--fromat', 'json'], error: '--fromat: keyguard staged has no such option; did you mean --format? (keyguard staged --help lists them)' },
    { argv: ['install', '--format', 'json'], error: '--format: keyguard install has no such option (keyguard install --help lists them)' },
  ];
  it.each(cases)('$argv: one line, exit 2', async ({ argv, error }) => {
    for (const full of [false, true]) {
      const res = await runCli(argv, { cwd: dir, full });
      expect(res.exitCode).toBe(2);
      expect(res.stderr).toBe(`keyguard: ${error}\n`);
    }
  });

  it('lists in COMMAND --help only the options that command takes', async () => {
    for (const c of ['scan', 'staged', 'history', 'install', 'rules', 'doctor'] satisfies CommandName[]) {
      const res = await runCli([c, '--help'], { cwd: dir });
      expect(res.exitCode, c).toBe(0);
      const shown = [...res.stdout.matchAll(/^\s+(?:-\w, )?--([a-z-]+)/gm)].map((m) => m[1]).filter((n) => n !== 'help' && n !== 'version');
      const expected = flagsOf(c).filter((f) => !f.hidden).map((f) => f.name);
      expect(shown.sort(), c).toEqual(expected.sort());
    }
  });
});

describe('--version', () => {
  it('the bin answers with the package version alone, and exits 0', async () => {
    const { spawnSync } = await import('node:child_process');
    const { readFileSync } = await import('node:fs');
    const { BUILT_CLI } = await import('../helpers/cli.js');
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    const bin = spawnSync(BUILT_CLI.node, [BUILT_CLI.cli, '--version'], { encoding: 'utf8' });
    expect(bin.status).toBe(0);
    expect(bin.stdout).toBe(`${pkg.version}\n`);
    expect(bin.stderr).toBe('');
  });
});
