// A pull request cannot switch its own check off: `history --range BASE..BRANCH` reads the configuration and the
// baseline at the base, and names what the range changes in them (and the inline markers it adds) in every format.
import { afterEach, describe, expect, it } from 'vitest';
import type { Log } from 'sarif';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/git-repo.js';
import { createPrRepo, type PrRepo } from '../helpers/pr-repo.js';
import { acmeRuleYaml, acmeToken } from '../helpers/config.js';
import type { ReviewItem } from '../../src/types.js';

const repos: PrRepo[] = [];
afterEach(() => {
  while (repos.length) repos.pop()!.repo.cleanup();
});

async function pr(...args: Parameters<typeof createPrRepo>): Promise<PrRepo> {
  const made = await createPrRepo(...args);
  repos.push(made);
  return made;
}

interface JsonReport {
  findings: { file: string; line: number; ruleId: string; commit?: string }[];
  notes?: string[];
  review?: ReviewItem[];
  stats: { suppressed?: { inline: number; allowlist: number; baseline: number } };
}

/** The range scan in each format: exit codes, the parsed JSON and SARIF, the text and github outputs. */
async function scanRange(p: PrRepo, extra: string[] = []) {
  const argv = ['history', '--range', `${p.base}..${p.head}`, ...extra];
  const text = await runCli([...argv, '--format', 'text'], { cwd: p.repo.dir });
  const json = await runCli([...argv, '--format', 'json'], { cwd: p.repo.dir });
  const sarif = await runCli([...argv, '--format', 'sarif'], { cwd: p.repo.dir });
  const github = await runCli([...argv, '--format', 'github'], { cwd: p.repo.dir });
  for (const r of [text, json, sarif, github]) expect(r.stderr).not.toContain(p.key);
  for (const r of [text, json, sarif, github]) expect(r.stdout).not.toContain(p.key);
  const codes = [text.exitCode, json.exitCode, sarif.exitCode, github.exitCode];
  return { codes, text, json: JSON.parse(json.stdout) as JsonReport, sarif: JSON.parse(sarif.stdout) as Log, github: github.stdout };
}

/** Every format names `file` as changed (`verb`: adds, changes, deletes) with each of `details`. */
function expectChangeNamed(out: Awaited<ReturnType<typeof scanRange>>, file: string, verb: string, details: string[]): void {
  const phrase = `this range ${verb} ${file}`;
  expect(out.text.stdout).toContain(phrase);
  const item = out.json.review?.find((r) => r.type === 'config-change' && r.file === file);
  expect(item).toMatchObject({ type: 'config-change', file, change: { adds: 'added', changes: 'changed', deletes: 'deleted' }[verb] });
  expect(out.json.notes?.some((n) => n.includes(phrase))).toBe(true);
  const notifications = out.sarif.runs[0]!.invocations![0]!.toolExecutionNotifications ?? [];
  const notified = notifications.find((n) => n.message.text?.includes(phrase));
  expect(notified?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe(file);
  expect((out.sarif.runs[0]!.properties as { review?: ReviewItem[] }).review).toContainEqual(item);
  const annotation = out.github.split('\n').find((l) => l.startsWith(`::warning file=${file},`));
  expect(annotation).toContain(phrase);
  for (const d of details) {
    expect(out.text.stdout).toContain(d);
    expect(annotation).toContain(d.replace(/%/g, '%25'));
    expect(notified?.message.text).toContain(d);
  }
}

describe('history --range reads what it trusts at the base of the range', () => {
  it('a branch that adds a broad allowlist beside its key: the key is reported, the allowlist named for review', async () => {
    const p = await pr(
      () => undefined,
      (r, key) => {
        r.write('src/maps.js', `export const mapsKey = "${key}";\n`);
        r.write('.keyguard.yaml', 'allowlist:\n  paths: ["**"]\n');
      },
    );
    // The configuration on disk (the branch's) hides the key from a scan of the files: what the range would merge.
    expect((await runCli(['scan', '.'], { cwd: p.repo.dir })).exitCode).toBe(0);
    const out = await scanRange(p);
    expect(out.codes).toEqual([1, 1, 1, 1]);
    expect(out.json.findings.map((f) => [f.file, f.line, f.ruleId, f.commit])).toEqual([['src/maps.js', 1, 'google-api-key', p.head]]);
    expect(out.text.stderr).toContain('.keyguard.yaml is not in');
    expect(out.text.stderr).not.toContain('warning');
    expectChangeNamed(out, '.keyguard.yaml', 'adds', ['widens allowlist.paths: "**"', 'takes effect once merged']);
  });

  it('a branch that widens an existing configuration: the base version applies, the widening is described', async () => {
    const p = await pr(
      (r) => r.write('.keyguard.yaml', 'allowlist:\n  paths: ["docs/**"]\n'),
      (r, key) => {
        r.write('src/maps.js', `export const mapsKey = "${key}";\n`);
        r.write('.keyguard.yaml', 'allowlist:\n  paths: ["docs/**", "src/**"]\n  stopwords: ["maps"]\ndisable: [google-api-key]\n');
      },
    );
    const out = await scanRange(p);
    expect(out.codes).toEqual([1, 1, 1, 1]);
    expect(out.json.findings.map((f) => f.file)).toEqual(['src/maps.js']);
    expectChangeNamed(out, '.keyguard.yaml', 'changes', ['widens allowlist.paths: "src/**"', 'widens allowlist.stopwords', 'disables rule google-api-key']);
  });

  it('a branch that adds a baseline entry for its own key: the base baseline applies, the entry is named', async () => {
    const p = await pr(
      (r) => r.write('.keyguard-baseline.json', '{\n  "version": 1,\n  "entries": []\n}\n'),
      async (r, key) => {
        r.write('src/maps.js', `export const mapsKey = "${key}";\n`);
        r.git('add', '-A');
        r.commit('add the maps key', '2026-01-15T00:00:00Z');
        const written = await runCli(['baseline', '--output', '.keyguard-baseline.json'], { cwd: r.dir });
        expect(written.exitCode).toBe(0);
      },
    );
    // The branch's baseline on disk hides the key from a scan of the files.
    expect((await runCli(['scan', '.', '--baseline', '.keyguard-baseline.json'], { cwd: p.repo.dir })).exitCode).toBe(0);
    const out = await scanRange(p, ['--baseline', '.keyguard-baseline.json']);
    expect(out.codes).toEqual([1, 1, 1, 1]);
    expect(out.json.findings.map((f) => f.file)).toEqual(['src/maps.js']);
    expect(out.json.stats.suppressed).toBeUndefined();
    expectChangeNamed(out, '.keyguard-baseline.json', 'changes', ['adds 1 entry: src/maps.js (google-api-key)', 'it hides a credential this range adds']);
  });

  it('a baseline the range itself adds applies none of its entries', async () => {
    const p = await pr(
      () => undefined,
      async (r, key) => {
        r.write('src/maps.js', `export const mapsKey = "${key}";\n`);
        r.write('ci/README.md', 'CI files\n');
        expect((await runCli(['baseline', '--output', 'ci/known.json'], { cwd: r.dir })).exitCode).toBe(0);
      },
    );
    const out = await scanRange(p, ['--baseline', 'ci/known.json']);
    expect(out.codes).toEqual([1, 1, 1, 1]);
    expect(out.text.stderr).toContain('--baseline ci/known.json is not in');
    expectChangeNamed(out, 'ci/known.json', 'adds', ['adds 1 entry: src/maps.js (google-api-key)']);
  });

  it('a branch that deletes .keyguard.yaml: the base configuration (its own rule) still applies', async () => {
    const token = acmeToken(7);
    const p = await pr(
      (r) => r.write('.keyguard.yaml', acmeRuleYaml()),
      (r, key) => {
        r.git('rm', '-q', '.keyguard.yaml');
        r.write('src/clients.js', `export const acme = "${token}";\nexport const maps = "${key}";\n`);
      },
    );
    const out = await scanRange(p);
    expect(out.codes).toEqual([1, 1, 1, 1]);
    expect(out.json.findings.map((f) => [f.line, f.ruleId])).toEqual([
      [1, 'acme-internal-token'],
      [2, 'google-api-key'],
    ]);
    expect(out.text.stdout).not.toContain(token);
    expectChangeNamed(out, '.keyguard.yaml', 'deletes', ['removes user rule acme-internal-token']);
  });

  it('an inline marker the range adds is listed for review; --no-inline-allow reports the key', async () => {
    const p = await pr(
      () => undefined,
      (r, key) => r.write('src/maps.js', `// setup\nexport const mapsKey = "${key}"; // keyguard:allow\n`),
    );
    const out = await scanRange(p);
    expect(out.codes).toEqual([0, 0, 0, 0]);
    expect(out.json.findings).toEqual([]);
    const item = { type: 'inline-marker', file: 'src/maps.js', line: 2, markerLine: 2, marker: 'keyguard:allow', commit: p.head, ruleId: 'google-api-key' };
    expect(out.json.review).toEqual([expect.objectContaining(item)]);
    const phrase = 'suppressed by an inline marker added in this range: src/maps.js:2';
    expect(out.text.stdout).toContain(phrase);
    expect(out.json.notes?.some((n) => n.includes(phrase))).toBe(true);
    expect(out.github).toContain('::warning file=src/maps.js,line=2,');
    expect(out.github).toContain(phrase);
    const notified = out.sarif.runs[0]!.invocations![0]!.toolExecutionNotifications?.find((n) => n.message.text?.includes(phrase));
    expect(notified?.locations?.[0]?.physicalLocation?.region?.startLine).toBe(2);

    const strict = await scanRange(p, ['--no-inline-allow']);
    expect(strict.codes).toEqual([1, 1, 1, 1]);
    expect(strict.json.findings.map((f) => [f.file, f.line])).toEqual([['src/maps.js', 2]]);
    expect(strict.json.review).toBeUndefined();
  });

  it('a marker on the line before (allow-next-line) is listed at its own line', async () => {
    const p = await pr(
      () => undefined,
      (r, key) => r.write('src/maps.js', `// keyguard:allow-next-line\nexport const mapsKey = "${key}";\n`),
    );
    const out = await scanRange(p);
    expect(out.json.review).toEqual([expect.objectContaining({ type: 'inline-marker', line: 2, markerLine: 1, marker: 'keyguard:allow-next-line' })]);
    expect(out.text.stdout).toContain('src/maps.js:1 (for line 2)');
  });

  it('a marker on a path the base allowlist already allows is not listed', async () => {
    const p = await pr(
      (r) => r.write('.keyguard.yaml', 'allowlist:\n  paths: ["fixtures/**"]\n'),
      (r, key) => r.write('fixtures/maps.js', `export const mapsKey = "${key}"; // keyguard:allow\n`),
    );
    const out = await scanRange(p);
    expect(out.codes).toEqual([0, 0, 0, 0]);
    expect(out.json.review).toBeUndefined();
  });

  it('--since-commit and A...B read the base too; every ref, or --config outside the repository, reads the disk', async () => {
    const p = await pr(
      () => undefined,
      (r, key) => {
        r.write('src/maps.js', `export const mapsKey = "${key}";\n`);
        r.write('.keyguard.yaml', 'allowlist:\n  paths: ["**"]\n');
      },
    );
    const since = await runCli(['history', '--since-commit', p.base, '--format', 'json'], { cwd: p.repo.dir });
    expect(since.exitCode).toBe(1);
    expect((JSON.parse(since.stdout) as JsonReport).review?.[0]).toMatchObject({ file: '.keyguard.yaml', change: 'added' });
    // Three dots: the merge base is the base.
    const dots = await runCli(['history', '--range', `main...feature`, '--format', 'json'], { cwd: p.repo.dir });
    expect(dots.exitCode).toBe(1);
    // Every ref (no range): nothing is the base, so the checked-out configuration applies (and hides the key).
    expect((await runCli(['history'], { cwd: p.repo.dir })).exitCode).toBe(0);
    // A file outside the repository is not the code under check: the user named it, it applies as it is on disk.
    const outside = tempDir('keyguard-trusted-');
    try {
      writeFileSync(join(outside, 'ci.yaml'), 'allowlist:\n  paths: ["src/**"]\n');
      const named = await runCli(['history', '--range', `${p.base}..${p.head}`, '--config', join(outside, 'ci.yaml'), '--format', 'json'], { cwd: p.repo.dir });
      expect(named.exitCode).toBe(0);
      expect((JSON.parse(named.stdout) as JsonReport).review?.[0]).toMatchObject({ file: '.keyguard.yaml', change: 'added' });
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('--config naming a file inside the repository is read at the base as well', async () => {
    const p = await pr(
      (r) => r.write('ci/keyguard.yaml', 'allowlist:\n  paths: ["docs/**"]\n'),
      (r, key) => {
        r.write('src/maps.js', `export const mapsKey = "${key}";\n`);
        r.write('ci/keyguard.yaml', 'allowlist:\n  paths: ["docs/**", "src/**"]\n');
      },
    );
    const out = await scanRange(p, ['--config', 'ci/keyguard.yaml']);
    expect(out.codes).toEqual([1, 1, 1, 1]);
    expectChangeNamed(out, 'ci/keyguard.yaml', 'changes', ['widens allowlist.paths: "src/**"']);
  });

  it('a configuration at the base that does not load is an error naming that version', async () => {
    const p = await pr(
      (r) => r.write('.keyguard.yaml', 'allowlist:\n  pathz: ["docs/**"]\n'),
      (r) => r.write('.keyguard.yaml', 'allowlist:\n  paths: ["docs/**"]\n'),
    );
    const out = await runCli(['history', '--range', `${p.base}..${p.head}`], { cwd: p.repo.dir });
    expect(out.exitCode).toBe(2);
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toContain(`.keyguard.yaml:2 (the version at ${p.base.slice(0, 12)}, the base of the range)`);
  });

  it('a range that changes nothing keyguard trusts reports no review items', async () => {
    const p = await pr(
      (r) => r.write('.keyguard.yaml', 'allowlist:\n  paths: ["docs/**"]\n'),
      (r) => r.write('src/app.js', 'export const one = 1;\n'),
    );
    const out = await scanRange(p);
    expect(out.codes).toEqual([0, 0, 0, 0]);
    expect(out.json.review).toBeUndefined();
    expect(out.text.stdout).not.toContain('For review');
  });
});
