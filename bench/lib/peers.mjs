// Other scanners measured beside keyguard, when they can be installed: secretlint from npm (into bench/.work/peers,
// never as a project dependency) and git-secrets from Debian (apt-get, only when asked with --install-peers).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const which = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).stdout.trim() || undefined;

/** secretlint's CLI and a config enabling the recommended preset, or a reason it is not there. */
export function findSecretlint(workDir, { install, log }) {
  const dir = join(workDir, 'peers');
  const bin = join(dir, 'node_modules', '.bin', 'secretlint');
  const preset = join(dir, 'node_modules', '@secretlint', 'secretlint-rule-preset-recommend');
  if ((!existsSync(bin) || !existsSync(preset)) && install) {
    mkdirSync(dir, { recursive: true });
    if (!existsSync(join(dir, 'package.json'))) writeFileSync(join(dir, 'package.json'), '{"name":"keyguard-bench-peers","private":true}\n');
    log('peers: npm install secretlint @secretlint/secretlint-rule-preset-recommend (into bench/.work/peers)');
    try {
      execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--no-save', 'secretlint', '@secretlint/secretlint-rule-preset-recommend'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    } catch (e) {
      return { missing: `npm install failed: ${String(e.stderr ?? e.message).trim().split('\n').pop()}` };
    }
  }
  if (!existsSync(bin) || !existsSync(preset)) return { missing: 'not installed (run with --install-peers, or npm install it into bench/.work/peers)' };
  const rc = join(dir, 'secretlintrc.json');
  writeFileSync(rc, JSON.stringify({ rules: [{ id: '@secretlint/secretlint-rule-preset-recommend' }] }, null, 2));
  return { argv: (target) => [bin, '--secretlintrc', rc, '--no-color', '--format', 'json', `${target}/**/*`], version: spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim() };
}

/** git-secrets from PATH (Debian package git-secrets), with a Google API key pattern given through GIT_CONFIG_*. */
export function findGitSecrets({ install, log }) {
  let bin = which('git-secrets');
  if (!bin && install && which('apt-get')) {
    log('peers: apt-get install git-secrets');
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
    spawnSync('apt-get', ['install', '-y', '-qq', 'git-secrets'], { stdio: 'ignore', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    bin = which('git-secrets');
  }
  if (!bin) return { missing: 'not installed (Debian package git-secrets; run with --install-peers)' };
  // The repository's own config is left alone: the pattern comes in through the environment.
  const env = { ...process.env, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'secrets.patterns', GIT_CONFIG_VALUE_0: 'AIza[0-9A-Za-z_-]{35}' };
  return { bin, env };
}
