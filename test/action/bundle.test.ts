// GitHub runs dist/action.js exactly as committed: it must be what the sources build to today.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { tempDir } from '../helpers/git-repo.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('the committed action bundle', () => {
  it('equals a fresh build of src/action/main.ts', () => {
    const dir = tempDir('keyguard-bundle-');
    try {
      const fresh = join(dir, 'action.js');
      execFileSync(process.execPath, ['scripts/build.mjs', 'dist/action.js'], { cwd: ROOT, env: { ...process.env, KEYGUARD_ACTION_OUT: fresh }, stdio: 'pipe' });
      const committed = readFileSync(join(ROOT, 'dist/action.js'), 'utf8');
      const same = committed === readFileSync(fresh, 'utf8');
      expect(same, 'dist/action.js is stale: run npm run build and commit dist/action.js').toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('action.yml runs it on node24 with the documented inputs and outputs', () => {
    const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8'));
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/action.js' });
    expect(Object.keys(action.inputs)).toEqual(['mode', 'config', 'baseline', 'verify', 'inline-allow', 'fail-on-findings', 'sarif-file']);
    expect(action.inputs['inline-allow'].default).toBe('true');
    expect(action.inputs['verify'].default).toBe('false');
    expect(action.inputs['fail-on-findings'].default).toBe('true');
    expect(action.inputs['sarif-file'].default).toBe('keyguard.sarif');
    expect(Object.keys(action.outputs)).toEqual(['findings', 'sarif-file']);
  });
});
