// Tests that run git hooks call the built CLI: rebuild it once per run so it matches the sources.
// Only dist/cli.js: the committed action bundle is compared against a fresh build elsewhere, never rebuilt here.
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs', 'dist/cli.js'], { stdio: 'inherit' });
}
