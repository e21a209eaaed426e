// Golden files: compare a rendered report with test/report/golden/<name>; UPDATE_SNAPSHOT=1 rewrites them, and
// nothing else writes one.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

const DIR = fileURLToPath(new URL('./golden/', import.meta.url));

export function expectGolden(name: string, actual: string): void {
  const path = `${DIR}${name}`;
  if (process.env['UPDATE_SNAPSHOT'] === '1') {
    mkdirSync(DIR, { recursive: true });
    writeFileSync(path, actual);
    return;
  }
  // A missing golden file fails, in CI and out of it: writing it here would make the test pass on whatever came out.
  if (!existsSync(path)) throw new Error(`golden file test/report/golden/${name} is missing; run UPDATE_SNAPSHOT=1 npx vitest run test/report and review it`);
  expect(actual, `golden file test/report/golden/${name} (UPDATE_SNAPSHOT=1 to rewrite, then review the diff)`).toBe(readFileSync(path, 'utf8'));
}
