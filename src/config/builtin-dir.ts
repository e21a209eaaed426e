// Where the built-in data files are: rules/ next to the bundle (dist/cli.js → ../rules) or the sources
// (src/config → ../../rules). Reads only to test which candidate exists.
import { readdirSync } from 'node:fs';

/** Folder of the built-in rules, next to the bundle (dist/cli.js → ../rules) or the sources (src/config → ../../rules). */
export function builtinRulesDir(): string {
  const here = new URL('.', import.meta.url);
  const candidates = [new URL('../rules/', here), new URL('../../rules/', here)];
  for (const c of candidates) {
    try {
      readdirSync(c);
      return c.pathname;
    } catch {
      // try the next
    }
  }
  return new URL('../rules/', here).pathname;
}
