// The package as a user gets it: `npm pack`, then the tarball installed into a fresh project with install scripts
// allowed. Packed from a copy of what the package ships (package.json, scripts/, the built dist/, rules/, schema/), so
// the checkout's package.json is never rewritten under the other tests' feet; the copy has no src/, as a package has
// none, so `prepare` does nothing there and `prepack` strips it from the manifest.
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempDir } from './helpers/git-repo.js';
import { fakeGoogleApiKey } from './helpers/keys.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown> & { version: string; files: string[] };
const work = tempDir('keyguard-pack-');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** npm without the npm_* settings of the `npm test` that runs this file, and never the network. */
function npm(args: string[], cwd: string) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  const res = spawnSync('npm', [...args, '--offline', '--no-audit', '--no-fund', '--loglevel=warn'], { cwd, env: { ...env, npm_config_cache: join(work, 'cache') }, encoding: 'utf8' });
  return { status: res.status, out: `${res.stdout}${res.stderr}` };
}

describe('the npm package', () => {
  it('packs only what the CLI needs, declares no dependency and no install script, and installs alone', () => {
    const src = join(work, 'src-copy');
    mkdirSync(src);
    for (const name of ['package.json', 'README.md', 'dist', 'rules', 'schema', 'scripts']) cpSync(join(ROOT, name), join(src, name), { recursive: true });
    expect(existsSync(join(src, 'dist', 'action.js'))).toBe(true);
    const packed = npm(['pack', '--pack-destination', work], src);
    expect(packed.status, packed.out).toBe(0);
    // postpack put the manifest back.
    expect(readFileSync(join(src, 'package.json'), 'utf8')).toBe(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    const tgz = join(work, `keyguard-${pkg.version}.tgz`);
    const list = spawnSync('tar', ['-tzf', tgz], { encoding: 'utf8' }).stdout.split('\n').filter(Boolean);
    expect(list).toContain('package/dist/cli.js');
    expect(list).toContain('package/dist/worker.js');
    expect(list).toContain('package/rules/google-api-key.yaml');
    // The Action's 3 MB bundle, the sources, tests and build scripts are not for a CLI user.
    expect(list.filter((f) => /^package\/(?:dist\/action\.js|src\/|test\/|scripts\/|bench\/)/.test(f))).toEqual([]);
    const manifest = JSON.parse(spawnSync('tar', ['-xzOf', tgz, 'package/package.json'], { encoding: 'utf8' }).stdout) as Record<string, unknown> & { scripts: Record<string, string> };
    expect(manifest['dependencies']).toBeUndefined();
    expect(Object.keys(manifest.scripts).filter((s) => /^(?:pre|post)?(?:install|prepare)$|^prepack$|^postpack$/.test(s))).toEqual([]);
    expect(manifest['repository']).toMatchObject({ type: 'git', url: expect.stringMatching(/^git\+https:\/\/github\.com\/.+\/keyguard\.git$/) });
    expect(manifest['homepage']).toMatch(/^https:\/\/github\.com\//);
    expect(manifest['bugs']).toMatchObject({ url: expect.stringMatching(/\/issues$/) });

    const project = join(work, 'app');
    mkdirSync(project);
    writeFileSync(join(project, 'package.json'), '{ "name": "app", "version": "1.0.0", "private": true }\n');
    const installed = npm(['install', '--save-dev', '--ignore-scripts=false', tgz], project);
    expect(installed.status, installed.out).toBe(0);
    expect(installed.out).not.toMatch(/install-scripts|prepare/);
    // keyguard and nothing else: every dependency is bundled into dist/.
    expect(readdirSync(join(project, 'node_modules')).sort()).toEqual(['.bin', '.package-lock.json', 'keyguard']);

    const bin = join(project, 'node_modules', '.bin', 'keyguard');
    const version = spawnSync(bin, ['--version'], { cwd: project, encoding: 'utf8' });
    expect(version.stdout.trim()).toBe(pkg.version);
    // A scan with a configuration file: the configuration's validator is bundled too (no ajv at run time).
    writeFileSync(join(project, '.keyguard.yaml'), 'allowlist:\n  paths: ["fixtures/**"]\n');
    writeFileSync(join(project, 'app.js'), `const key = "${fakeGoogleApiKey(7)}";\n`);
    const scan = spawnSync(bin, ['scan', 'app.js', '--format', 'json'], { cwd: project, encoding: 'utf8' });
    expect(scan.status, scan.stderr).toBe(1);
    expect((JSON.parse(scan.stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId)).toEqual(['google-api-key']);
  }, 120_000);
});
