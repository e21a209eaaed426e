// The build parses the rule files once for the bundle (scripts/build.mjs → builtin-rules-data): each entry must give
// the same rule as parsing the YAML, and must belong to the text it was made from.
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { validateRule } from '../../src/config/rules.js';
import { parseRuleFile } from '../../src/config/rule-file.js';
import { RULES_DIR } from '../helpers/rules.js';

const GENERATED = new URL('../../node_modules/.cache/keyguard/builtin-rules-data.mjs', import.meta.url);

describe('precompiled built-in rules', () => {
  it('hold every rule file, each parsing to the same rule as its YAML', async () => {
    expect(existsSync(GENERATED), 'run npm run build first').toBe(true);
    const { PRECOMPILED_RULES } = (await import(GENERATED.href)) as { PRECOMPILED_RULES: Record<string, { sha256: string; json: string; globs: Record<string, [string, string]> }> };
    let compared = 0;
    const names = readdirSync(RULES_DIR).filter((n) => n.endsWith('.yaml')).sort();
    for (const name of names) {
      const text = readFileSync(join(RULES_DIR, name), 'utf8');
      const pre = PRECOMPILED_RULES[name];
      // The build ran before an edit of this file: the loader then parses the YAML, which is what it must do.
      if (!pre || pre.sha256 !== createHash('sha256').update(text).digest('hex')) continue;
      const fromYaml = parseRuleFile(text, `rules/${name}`);
      const fromJson = validateRule(JSON.parse(pre.json), `rules/${name}`);
      expect(fromJson, name).toEqual(fromYaml);
      // As the loader takes it: no schema check, and the globs' regexes as the build compiled them.
      const asLoaded = validateRule(JSON.parse(pre.json), `rules/${name}`, undefined, { globs: pre.globs });
      expect(asLoaded, name).toEqual(fromYaml);
      const globsOf = (r: typeof asLoaded) => (r.ok ? [...(r.value.paths ?? []), ...(r.value.allowlist.paths ?? [])].map((g) => [g.glob, g.regex.source, g.regex.flags]) : []);
      expect(globsOf(asLoaded), name).toEqual(globsOf(fromYaml));
      if (fromYaml.ok && fromYaml.value.paths) expect(Object.keys(pre.globs).length, name).toBeGreaterThan(0);
      compared++;
    }
    // The test set-up builds the CLI, so the data matches the files as they are now.
    expect(compared).toBe(names.length);
  });
});
