// The built-in kind files (rules/kinds/*.yaml) as data, for the leak-response checklist (src/report/response.ts) and the
// engine's prefixes (src/detect/prefixes.ts). From the sources this module reads and validates the folder when it is
// first imported; the CLI bundle replaces it with the data the build read and validated the same way (scripts/build.mjs),
// so a start reads no kind file. `keyguard rules --check` validates the files as they are and compares.
import type { KindTable } from '../types.js';
import { builtinKindsDir, readKindDir } from './kind-file.js';
import { formatRuleError } from './schema-errors.js';

function load(): KindTable {
  const loaded = readKindDir(builtinKindsDir());
  if (!loaded.ok) throw new Error(`${loaded.errors.map(formatRuleError).join('\n')}\nfix the kind file (docs/credential-kinds.md)`);
  return loaded.value;
}

export const BUILTIN_KINDS: KindTable = load();
