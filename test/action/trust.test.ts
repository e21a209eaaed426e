// The bundled action (dist/action.js) on a pull_request event: the configuration and baseline that decide the check
// are the base's, never the pull request's, and what the pull request changes in them is named in the annotations,
// the job summary and the SARIF file. Run as the runner runs it, against real repositories; the workspace is the
// merge commit GitHub checks out for a pull request.
import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Log } from 'sarif';
import { createPrRepo, type PrRepo } from '../helpers/pr-repo.js';
import { runCli } from '../helpers/cli.js';
import { validateSarif } from '../report/sarif-validate.js';
import { cleanupRunners, runAction, type ActionRun } from '../helpers/action-runner.js';

const cleanups: (() => void)[] = [];
afterAll(() => {
  cleanups.forEach((c) => c());
  cleanupRunners();
});

interface PrRun extends ActionRun {
  findings: string | undefined;
  sarif: string;
}

/** A pull request's repository, checked out as GitHub does: a detached merge of the branch into main. */
async function prCheckout(...args: Parameters<typeof createPrRepo>): Promise<PrRepo> {
  const p = await createPrRepo(...args);
  cleanups.push(p.repo.cleanup);
  p.repo.git('checkout', '-q', '--detach', 'main');
  p.repo.git('merge', '-q', '--no-ff', '-m', 'Merge feature into main', 'feature');
  return p;
}

function runPr(p: PrRepo, inputs: Record<string, string> = {}): PrRun {
  const payload = { action: 'opened', number: 25, pull_request: { number: 25, base: { ref: 'main', sha: p.base }, head: { ref: 'feature', sha: p.head } }, repository: { default_branch: 'main' } };
  const r = runAction(p.repo.dir, { name: 'pull_request', payload }, inputs, { GITHUB_SHA: p.repo.git('rev-parse', 'HEAD').trim() });
  const sarif = readFileSync(join(p.repo.dir, 'keyguard.sarif'), 'utf8');
  for (const text of [r.stdout, r.stderr, sarif]) expect(text).not.toContain(p.key);
  return { ...r, findings: r.outputs['findings'], sarif };
}

/** The change to `file` is named in the annotations (on the file), the job summary and the SARIF file. */
function expectChangeNamed(r: PrRun, file: string, verb: string, detail: string): void {
  const phrase = `this range ${verb} ${file}`;
  const annotation = r.stdout.split('\n').find((l) => l.startsWith(`::warning file=${file},`));
  expect(annotation).toContain(phrase);
  expect(annotation).toContain(detail);
  expect(r.summary).toContain('### For review');
  expect(r.summary).toContain(phrase);
  const log = JSON.parse(r.sarif) as Log;
  const notified = log.runs[0]!.invocations![0]!.toolExecutionNotifications?.find((n) => n.message.text?.includes(phrase));
  expect(notified?.message.text).toContain(detail);
  expect(notified?.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe(file);
  expect(validateSarif(r.sarif)).toEqual([]);
  // Named once, on its file: not a second time as a plain note.
  expect(r.stdout.split('\n').filter((l) => l.includes(phrase))).toHaveLength(1);
}

describe('the action on pull_request trusts the base, not the pull request', () => {
  it('a pull request that adds a broad allowlist beside its key fails, and the allowlist is named', async () => {
    const p = await prCheckout(
      () => undefined,
      (r, key) => {
        r.write('src/maps.js', `export const mapsKey = "${key}";\n`);
        r.write('.keyguard.yaml', 'allowlist:\n  paths: ["**"]\n');
      },
    );
    const r = runPr(p);
    expect(r.status).toBe(1);
    expect(r.findings).toBe('1');
    expect(r.stdout).toMatch(/^::error file=src\/maps.js,line=1,/m);
    expectChangeNamed(r, '.keyguard.yaml', 'adds', 'widens allowlist.paths: "**"');
  });

  it('a pull request that adds a baseline entry for its own key fails (input baseline), and the entry is named', async () => {
    const p = await prCheckout(
      (r) => r.write('.keyguard-baseline.json', '{\n  "version": 1,\n  "entries": []\n}\n'),
      async (r, key) => {
        r.write('src/maps.js', `export const mapsKey = "${key}";\n`);
        expect((await runCli(['baseline', '--output', '.keyguard-baseline.json'], { cwd: r.dir })).exitCode).toBe(0);
      },
    );
    const r = runPr(p, { baseline: '.keyguard-baseline.json' });
    expect(r.status).toBe(1);
    expect(r.findings).toBe('1');
    expectChangeNamed(r, '.keyguard-baseline.json', 'changes', 'adds 1 entry: src/maps.js (google-api-key); it hides a credential this range adds');
  });

  it('a pull request that deletes .keyguard.yaml is still checked by it, and the deletion is named', async () => {
    const p = await prCheckout(
      (r) => r.write('.keyguard.yaml', 'allowlist:\n  paths: ["docs/**"]\n'),
      (r, key) => {
        r.git('rm', '-q', '.keyguard.yaml');
        r.write('src/maps.js', `export const mapsKey = "${key}";\n`);
      },
    );
    const r = runPr(p);
    expect(r.status).toBe(1);
    expect(r.findings).toBe('1');
    expectChangeNamed(r, '.keyguard.yaml', 'deletes', 'takes effect once merged');
  });

  it('an inline marker the pull request adds is listed for review; inline-allow: false fails on the key', async () => {
    const p = await prCheckout(
      () => undefined,
      (r, key) => r.write('src/maps.js', `export const mapsKey = "${key}"; // gitleaks:allow\n`),
    );
    const r = runPr(p);
    expect(r.status).toBe(0);
    expect(r.findings).toBe('0');
    const phrase = 'suppressed by an inline marker added in this range: src/maps.js:1 (gitleaks:allow)';
    expect(r.stdout).toMatch(/^::warning file=src\/maps.js,line=1,title=keyguard%3A inline marker for review::suppressed by an inline marker/m);
    expect(r.summary).toContain(phrase);
    const log = JSON.parse(r.sarif) as Log;
    expect(log.runs[0]!.invocations![0]!.toolExecutionNotifications?.some((n) => n.message.text?.includes(phrase))).toBe(true);

    const strict = runPr(p, { 'inline-allow': 'false' });
    expect(strict.status).toBe(1);
    expect(strict.findings).toBe('1');
    expect(strict.stdout).toMatch(/^::error file=src\/maps.js,line=1,/m);

    const bad = runPr(p, { 'inline-allow': 'no' });
    expect(bad.stdout).toMatch(/^::error::keyguard: input inline-allow: "no" is not true or false$/m);
  });
});
