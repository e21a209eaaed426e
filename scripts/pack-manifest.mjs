// `npm pack` (and `npm publish`, and npm's pack of a git clone) ship package.json as it is on disk. Its `prepare`
// script builds dist/ in a checkout, but in a package it is an install script npm warns about ("install scripts not
// yet covered by allowScripts") although it would never run there. So `prepack` writes the manifest without it, and
// `postpack` puts the original back:
//   node scripts/pack-manifest.mjs strip     (prepack)
//   node scripts/pack-manifest.mjs restore   (postpack; also run by strip first, after a pack that was interrupted)
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

const file = new URL('../package.json', import.meta.url);
const kept = new URL('../package.json.keyguard-pack', import.meta.url);

function restore() {
  if (existsSync(kept)) renameSync(kept, file);
}

const mode = process.argv[2];
if (mode === 'restore') {
  restore();
} else if (mode === 'strip') {
  restore();
  const text = readFileSync(file, 'utf8');
  const pkg = JSON.parse(text);
  // What a user of the package needs: no lifecycle script runs, and none is listed.
  const { prepare, prepack, postpack, ...scripts } = pkg.scripts ?? {};
  void prepare;
  void prepack;
  void postpack;
  writeFileSync(kept, text);
  writeFileSync(file, `${JSON.stringify({ ...pkg, scripts }, null, 2)}\n`);
} else {
  console.error('usage: node scripts/pack-manifest.mjs strip|restore');
  process.exit(2);
}
