// Bundles the CLI (and, once it exists, the GitHub Action) into single files under dist/.
// One file per entry keeps start-up cheap: the pre-commit hook pays for Node's start and little else.
import { build } from 'esbuild';
import { existsSync, readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const entries = [
  { in: 'src/cli/main.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  { in: 'src/action/main.ts', out: 'dist/action.js', banner: '' },
]
  .filter((e) => existsSync(new URL(`../${e.in}`, import.meta.url)))
  // `node scripts/build.mjs dist/cli.js` builds only the outputs named (the test set-up rebuilds only the CLI).
  .filter((e) => process.argv.length <= 2 || process.argv.slice(2).includes(e.out));

for (const entry of entries) {
  await build({
    entryPoints: [entry.in],
    outfile: entry.out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    legalComments: 'none',
    define: { __KEYGUARD_VERSION__: JSON.stringify(pkg.version) },
    // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
    banner: {
      js: [entry.banner, "import { createRequire as __kgCreateRequire } from 'node:module'; const require = __kgCreateRequire(import.meta.url);"]
        .filter(Boolean)
        .join('\n'),
    },
    logLevel: 'warning',
  });
}
