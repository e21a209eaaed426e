// npm's `prepare`: bundles the CLI (scripts/build.mjs), then sets up this repository's own husky hook.
// It runs only where the sources are (a clone, or npm's clone when it installs keyguard from git): a packed tarball
// ships the built dist/ and no src/, and npm runs no `prepare` when it installs a tarball or a registry package, so a
// user's install runs no script of keyguard's. dist/ is not committed (only dist/action.js is, for the Action): a
// fresh clone gets its dist/cli.js from this script on `npm ci`, which the README's quick start relies on.
// npm runs it on `npm install`/`npm ci` in a checkout, on `npm pack`, and when it installs keyguard from git, which is
// how the pre-commit framework installs a `language: node` hook (`npm install -g git+file://…`). In that last case npm
// prepares the clone without its devDependencies (npm/cli#8440), so esbuild is missing: install them first, from the
// lockfile, with npm's global-install settings taken out of the environment. Husky runs only when it is installed and
// this is a git work tree; anywhere else (a packed or global install) it is skipped, never a failure.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../', import.meta.url));
const resolvable = (name) => {
  try {
    createRequire(`${root}package.json`).resolve(name);
    return true;
  } catch {
    return false;
  }
};
const run = (command, args, env = process.env) => {
  const res = spawnSync(command, args, { cwd: root, env, stdio: 'inherit' });
  if (res.status !== 0) {
    console.error(`keyguard prepare: ${[command, ...args].join(' ')} failed (${res.error?.message ?? `exit ${res.status}`})`);
    process.exit(res.status || 1);
  }
};

if (!existsSync(`${root}src/cli/main.ts`) || !existsSync(`${root}scripts/build.mjs`)) {
  // Not a source checkout (an unpacked package): dist/ is already built; nothing to do.
  process.exit(0);
}
if (!resolvable('esbuild')) {
  const GLOBAL_ONLY = /^npm_config_(global|prefix|global_prefix|local_prefix|location|install_links|force|include|omit|only|production|dry_run|package_lock_only|save)$/i;
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !GLOBAL_ONLY.test(k)));
  const cli = process.env.npm_execpath ?? '';
  const npm = /npm-cli\.js$/.test(cli) ? [process.execPath, [cli]] : ['npm', []];
  const install = existsSync(`${root}package-lock.json`) ? ['ci'] : ['install', '--no-save'];
  console.error('keyguard prepare: build dependencies missing (npm install -g from git, npm/cli#8440): installing them');
  run(npm[0], [...npm[1], ...install, '--include=dev', '--ignore-scripts', '--no-audit', '--no-fund'], env);
}
run(process.execPath, ['scripts/build.mjs']);
if (resolvable('husky') && existsSync(`${root}.git`)) {
  // What husky's own bin does: point core.hooksPath at .husky/_ (it says why not, e.g. HUSKY=0), on stderr so that
  // `npm pack`'s stdout stays the tarball's name.
  const { default: husky } = await import('husky');
  const message = husky();
  if (message) console.error(message);
}
