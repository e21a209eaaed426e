// Bundles the CLI (and, once it exists, the GitHub Action) into single files under dist/.
// One file per entry keeps start-up cheap: the pre-commit hook pays for Node's start and little else. Two things
// are done here once instead of at every start: the rule schema is compiled to ajv's standalone code, and nothing
// heavy (yargs) is evaluated unless the command needs it (see src/cli/main.ts).
import { build } from 'esbuild';
import { Ajv } from 'ajv';
import standalone from 'ajv/dist/standalone/index.js';
import ucs2length from 'ajv/dist/runtime/ucs2length.js';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { parseDocument } from 'yaml';
import picomatch from 'picomatch';
import { fileURLToPath } from 'node:url';

const root = new URL('../', import.meta.url);
const pkg = JSON.parse(readFileSync(new URL('package.json', root), 'utf8'));
const entries = [
  { in: 'src/cli/main.ts', out: 'dist/cli.js', banner: '#!/usr/bin/env node' },
  { in: 'src/action/main.ts', out: 'dist/action.js', banner: '' },
]
  .filter((e) => existsSync(new URL(e.in, root)))
  // `node scripts/build.mjs dist/cli.js` builds only the outputs named (the test set-up rebuilds only the CLI).
  .filter((e) => process.argv.length <= 2 || process.argv.slice(2).includes(e.out));
// KEYGUARD_ACTION_OUT=FILE writes the action bundle there instead (the test that compares it with the committed one).

// The rule schema as ajv standalone code: same schema, same errors, no compilation at run time.
const generated = new URL('node_modules/.cache/keyguard/rule-validator.mjs', root);
mkdirSync(new URL('.', generated), { recursive: true });
const schema = JSON.parse(readFileSync(new URL('rules/rule.schema.json', root), 'utf8'));
const ajv = new Ajv({ allErrors: true, strict: false, useDefaults: false, code: { source: true, esm: true } });
const validateRuleSchema = ajv.compile(schema);
/**
 * ajv's standalone code still require()s its runtime helpers (ajv-validator/ajv#2209), which would make the bundle
 * need ajv installed beside it. Inline the one helper these schemas use, so the package depends on nothing at run
 * time; any other helper stops the build rather than ship a bundle that fails on a user's machine.
 */
function selfContained(code) {
  const inlined = code.replaceAll('require("ajv/dist/runtime/ucs2length").default', `(${ucs2length.default.toString()})`);
  const left = /require\("([^"]+)"\)/.exec(inlined);
  if (left) throw new Error(`build: the generated validator needs ${left[1]} at run time; inline it in scripts/build.mjs`);
  return inlined;
}
const code = selfContained(standalone.default(ajv, validateRuleSchema));
writeFileSync(generated, `${code}\nexport function ruleValidator() { return validate; }\n`);
// The same for .keyguard.yaml's schema, which refers to the rule schema for its `rules`.
const generatedConfig = new URL('node_modules/.cache/keyguard/config-validator.mjs', root);
const configAjv = new Ajv({ allErrors: true, strict: false, useDefaults: false, code: { source: true, esm: true } });
configAjv.addSchema({ ...schema, $id: '../rules/rule.schema.json' });
const configCode = selfContained(standalone.default(configAjv, configAjv.compile(JSON.parse(readFileSync(new URL('schema/config.schema.json', root), 'utf8')))));
writeFileSync(generatedConfig, `${configCode}\nexport function configValidator() { return validate; }\n`);
// The built-in rule files parsed once here (src/config/builtin-rules-data.ts): the loader takes an entry only for a
// file whose text has the same SHA-256, so an edited rule is read from its YAML as before.
const generatedRules = new URL('node_modules/.cache/keyguard/builtin-rules-data.mjs', root);
const precompiledRules = {};
for (const name of readdirSync(new URL('rules/', root)).filter((n) => /\.ya?ml$/.test(n)).sort()) {
  const text = readFileSync(new URL(`rules/${name}`, root), 'utf8');
  const doc = parseDocument(text);
  if (doc.errors.length > 0) continue;
  const data = doc.toJS();
  const json = JSON.stringify(data);
  if (!isDeepStrictEqual(JSON.parse(json), data)) continue;
  // Only rules the schema accepts: the loader then skips the schema check, and takes each path glob's regex from here
  // (compiled as src/detect/paths.ts compilePathGlob does), so a start compiles no glob of a built-in rule.
  if (!validateRuleSchema(data)) continue;
  const globs = {};
  for (const glob of [...(data.paths ?? []), ...(data.allowlist?.paths ?? [])]) {
    const re = picomatch.makeRe(glob.replace(/^\.\//, ''), { dot: true, nocase: true });
    globs[glob] = [re.source, re.flags];
  }
  precompiledRules[name] = { sha256: createHash('sha256').update(text).digest('hex'), json, globs };
}
writeFileSync(generatedRules, `export const PRECOMPILED_RULES = ${JSON.stringify(precompiledRules)};\n`);
// The kind files' schema as standalone code too (kind files and _shared.yaml), for `keyguard rules --check`.
const generatedKindValidator = new URL('node_modules/.cache/keyguard/kind-validator.mjs', root);
const kindSchema = JSON.parse(readFileSync(new URL('rules/kind.schema.json', root), 'utf8'));
const kindAjv = new Ajv({ allErrors: true, strict: false, useDefaults: false, code: { source: true, esm: true } });
kindAjv.addSchema(kindSchema);
const kindCode = selfContained(standalone.default(kindAjv, { kind: kindSchema.$id, shared: `${kindSchema.$id}#/$defs/shared` }));
writeFileSync(generatedKindValidator, `${kindCode}\nexport function kindValidators() { return { kind, shared }; }\n`);
// The kind files (rules/kinds/) read and validated once here by the sources' own reader (src/config/kind-file.ts,
// bundled for this script), so the CLI bundle holds them as data and a start reads none. A broken file stops the build.
const kindReader = new URL('node_modules/.cache/keyguard/kind-reader.mjs', root);
await build({
  stdin: {
    contents: "export { readKindDir } from './src/config/kind-file.ts'; export { formatRuleError } from './src/config/schema-errors.ts';",
    resolveDir: fileURLToPath(root),
    loader: 'ts',
  },
  outfile: fileURLToPath(kindReader),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  banner: { js: "import { createRequire as __kgCreateRequire } from 'node:module'; const require = __kgCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
const { readKindDir, formatRuleError } = await import(`${kindReader.href}?${Date.now()}`);
const kinds = readKindDir(fileURLToPath(new URL('rules/kinds/', root)));
if (!kinds.ok) {
  for (const e of kinds.errors) console.error(formatRuleError(e));
  console.error('build: fix the kind files (docs/credential-kinds.md)');
  process.exit(1);
}
const generatedKinds = new URL('node_modules/.cache/keyguard/builtin-kinds-data.mjs', root);
writeFileSync(generatedKinds, `export const BUILTIN_KINDS = ${JSON.stringify(kinds.value)};\n`);
const precompiled = {
  name: 'precompiled-rule-validator',
  setup(b) {
    // Only the CLI: the action bundle is committed, and would change at every edit of a rule file.
    b.onResolve({ filter: /[\\/]builtin-rules-data\.js$/ }, (args) =>
      args.importer.includes(`${'src'}`) && b.initialOptions.outdir ? { path: fileURLToPath(generatedRules) } : undefined,
    );
    // The kind data likewise: the action bundle reads rules/kinds/ at its start, as it reads the rules.
    b.onResolve({ filter: /[\\/]builtin-kinds-data\.js$/ }, (args) =>
      args.importer.includes(`${'src'}`) && b.initialOptions.outdir ? { path: fileURLToPath(generatedKinds) } : undefined,
    );
    b.onResolve({ filter: /[\\/]kind-validator\.js$/ }, (args) =>
      args.importer.includes(`${'src'}`) ? { path: fileURLToPath(generatedKindValidator) } : undefined,
    );
    b.onResolve({ filter: /[\\/]rule-validator\.js$/ }, (args) =>
      args.importer.includes(`${'src'}`) ? { path: fileURLToPath(generated) } : undefined,
    );
    b.onResolve({ filter: /[\\/]config-validator\.js$/ }, (args) =>
      args.importer.includes(`${'src'}`) ? { path: fileURLToPath(generatedConfig) } : undefined,
    );
  },
};

for (const entry of entries) {
  // The CLI is split into chunks loaded on demand, so the hook's path never even parses yargs; the action stays
  // one self-contained file (GitHub runs it from the repository as committed).
  const split = entry.out === 'dist/cli.js';
  if (split) rmSync(new URL('dist/chunks', root), { recursive: true, force: true });
  await build({
    ...(split
      ? { entryPoints: { cli: entry.in, worker: 'src/scan/detect-worker.ts' }, outdir: 'dist', splitting: true, chunkNames: 'chunks/[name]-[hash]' }
      : { entryPoints: [entry.in], outfile: (entry.out === 'dist/action.js' && process.env.KEYGUARD_ACTION_OUT) || entry.out }),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    legalComments: 'none',
    plugins: [precompiled],
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
// The bin is run directly (npx links it, hooks call it): make it executable here rather than rely on npm's bin
// linking, which chmods only what exists when it links, and npx may reuse a link made before this build.
if (existsSync(new URL('dist/cli.js', root))) chmodSync(new URL('dist/cli.js', root), 0o755);
