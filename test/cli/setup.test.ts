// The set-up as a value: the configuration, rules, suppression and --verify plan for where a scan runs.
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { readRules, readSetup, poolPlan } from '../../src/cli/setup.js';
import { createRun, endRun, type Run } from '../../src/cli/run-state.js';
import type { CommonArgs, RunIO } from '../../src/cli/run-io.js';
import { UsageError } from '../../src/cli/errors.js';
import { createRepo, gitEnv, type TempRepo } from '../helpers/git-repo.js';

let repo: TempRepo | undefined;
let run: Run | undefined;
afterEach(async () => {
  if (run) await endRun(run);
  repo?.cleanup();
});

function io(cwd: string, env: NodeJS.ProcessEnv = {}): RunIO {
  return { cwd, env: { ...gitEnv(), ...env }, stdin: Readable.from([]), stdoutIsTTY: false, stderrIsTTY: false, now: () => 0, today: () => '2026-12-08' };
}

const args = (over: Partial<CommonArgs> = {}): CommonArgs => ({ format: 'text', showSecrets: false, quiet: false, exitCode: 1, ...over });

describe('readSetup', () => {
  it('reads the configuration at the work tree root: its rules, allowlist and verify default', async () => {
    repo = createRepo();
    repo.write('.keyguard.yaml', 'verify: true\ndisable: [google-api-key]\nallowlist:\n  paths: ["fixtures/**"]\n');
    run = createRun(io(repo.dir));
    const setup = await readSetup(run, args());
    expect(setup.config.verify).toBe(true);
    expect(setup.rules.map((r) => r.id)).not.toContain('google-api-key');
    expect(setup.ruleSet.rules.length).toBe(setup.rules.length);
    expect(setup.suppression.suppress.allowlists?.global?.path?.('fixtures/a.txt')).toBe(true);
    expect(setup.suppression.suppress.allowlists?.global?.path?.('src/a.txt')).toBe(false);
    expect(setup.verify).toMatchObject({ timeoutSeconds: 5, userAgent: expect.stringMatching(/^keyguard\//) });
    // The command line wins over the configuration.
    expect((await readSetup(run, args({ verify: false }))).verify).toBeUndefined();
  });

  it('reads a baseline before the scan, and a bad one is a usage error naming it', async () => {
    repo = createRepo();
    writeFileSync(join(repo.dir, 'b.json'), '{"version": 1, "entries": []}\n');
    run = createRun(io(repo.dir));
    const setup = await readSetup(run, args({ baseline: 'b.json' }));
    expect(setup.baseline?.file).toBe('b.json');
    expect(setup.suppression.suppress.baseline?.size).toBe(0);
    expect(setup.suppression.keepBaselined).toBeTypeOf('function');
    writeFileSync(join(repo.dir, 'bad.json'), 'not json');
    await expect(readSetup(run, args({ baseline: 'bad.json' }))).rejects.toThrow(UsageError);
    await expect(readSetup(run, args({ baseline: 'bad.json' }))).rejects.toThrow(/bad\.json/);
  });

  it('checks the --verify endpoint before the scan', async () => {
    repo = createRepo();
    run = createRun(io(repo.dir, { KEYGUARD_GOOGLE_API_BASE: 'not a url' }));
    await expect(readSetup(run, args({ verify: true }))).rejects.toThrow(/KEYGUARD_GOOGLE_API_BASE=not a url/);
  });

  it('gives paths a prefix when a scan runs below the root, so root-relative allowlists still match', async () => {
    repo = createRepo();
    repo.write('web/app.js', 'x\n');
    run = createRun(io(join(repo.dir, 'web')));
    const rules = await readRules(run, args(), { scanPath: '.' });
    expect(rules.pathPrefix).toBe('web');
    expect(rules.workRoot).toBe(repo.dir);
  });
});

describe('poolPlan', () => {
  it('starts no threads on one core, without a worker, or with --jobs 1', () => {
    const here = new URL(import.meta.url);
    expect(poolPlan({ ...io('.'), cores: 1, workerUrl: here }, undefined)).toBeUndefined();
    expect(poolPlan({ ...io('.'), cores: 8 }, undefined)).toBeUndefined();
    expect(poolPlan({ ...io('.'), cores: 8, workerUrl: here }, 1)).toBeUndefined();
    expect(poolPlan({ ...io('.'), cores: 8, workerUrl: here }, undefined)).toMatchObject({ size: 7, afterBytes: 16 * 1024 * 1024 });
    expect(poolPlan({ ...io('.'), cores: 2, workerUrl: here }, 3)).toMatchObject({ size: 3, afterBytes: 0 });
  });
});
