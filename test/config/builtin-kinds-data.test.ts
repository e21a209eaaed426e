// The build reads the kind files once for the CLI bundle (scripts/build.mjs → builtin-kinds-data): the bundle must hold
// exactly what reading rules/kinds/ gives, so a start can read none of them.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readKindDir } from '../../src/config/kind-file.js';
import { RULES_DIR } from '../helpers/rules.js';

const GENERATED = new URL('../../node_modules/.cache/keyguard/builtin-kinds-data.mjs', import.meta.url);

describe('bundled kind data', () => {
  it('is what reading the kind files gives', async () => {
    expect(existsSync(GENERATED), 'run npm run build first').toBe(true);
    const { BUILTIN_KINDS } = (await import(GENERATED.href)) as { BUILTIN_KINDS: unknown };
    const read = readKindDir(join(RULES_DIR, 'kinds'));
    expect(read.ok).toBe(true);
    // The test set-up builds the CLI, so the data matches the files as they are now.
    expect(BUILTIN_KINDS).toEqual(read.ok ? read.value : undefined);
  });
});
