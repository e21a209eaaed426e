import type { Argv } from 'yargs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { convertGitleaksIgnore, mergeIntoConfig, renderAllowYaml } from '../../config/gitleaksignore.js';
import { parseConfig, formatConfigError } from '../../config/project-config.js';
import { CONFIG_FILE } from '../../config/read-config.js';
import { findWorkTree } from '../../sources/git.js';
import { UsageError } from '../errors.js';
import type { CommonArgs } from '../run-io.js';
import { warn, type Run } from '../run-state.js';
import { readBuiltinRules } from '../setup.js';
import type { Command } from './command.js';

interface ImportArgs extends CommonArgs {
  file?: string;
  write: boolean;
}

/**
 * `keyguard import-gitleaksignore [FILE]`: turn a .gitleaksignore into ruleAllowlists entries. gitleaks fingerprints
 * hold no secret, so they become path allowlists for the matching keyguard rule; lines it cannot map are listed.
 */
export const importGitleaksIgnoreCommand: Command<ImportArgs> = {
  name: 'import-gitleaksignore',
  usage: 'import-gitleaksignore [file]',
  describe: 'Convert a .gitleaksignore into .keyguard.yaml allowlist entries (prints them; --write adds them to the configuration)',
  positionals: (y: Argv) => y.positional('file', { type: 'string', describe: 'The .gitleaksignore to read (default: the one at the repository root)' }),
  async handler(args, run: Run) {
    const root = (await findWorkTree(run.io.cwd, run.io.env)) ?? run.io.cwd;
    const file = args.file ?? relative(run.io.cwd, join(root, '.gitleaksignore'));
    let text: string;
    try {
      text = readFileSync(resolve(run.io.cwd, file), 'utf8');
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read it (${(e as Error).message})`;
      throw new UsageError(`${file || '.gitleaksignore'}: ${why}; name the .gitleaksignore to import`);
    }
    const builtins = await readBuiltinRules();
    const known = new Set(builtins.map((r) => r.id));
    const conversion = convertGitleaksIgnore(text, known);
    for (const u of conversion.unconverted) warn(run, `keyguard: ${file}:${u.line}: not converted: ${u.reason}: ${u.text}`);
    const summary = `${conversion.converted} of ${conversion.converted + conversion.unconverted.length} entries converted to per-rule path allowlists (gitleaks fingerprints hold no secret, so each allows its rule in that whole file, in every commit)`;
    if (!args.write) {
      run.out.stdout += conversion.converted > 0 ? `# Add this to ${CONFIG_FILE} (or run keyguard import-gitleaksignore --write):\n${renderAllowYaml(conversion.allow)}` : '';
      warn(run, `keyguard: ${summary}`);
      return 0;
    }
    const target = args.config ?? relative(run.io.cwd, join(root, CONFIG_FILE));
    const abs = resolve(run.io.cwd, target);
    let existing = '';
    try {
      existing = readFileSync(abs, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new UsageError(`${target}: cannot read it (${(e as Error).message})`);
    }
    const merged = mergeIntoConfig(existing, conversion.allow);
    // Never write a configuration keyguard would refuse.
    const check = parseConfig(merged.text, target, builtins);
    if (!check.ok) throw new UsageError(`${formatConfigError(check.errors[0]!)}; fix it, then import again`);
    if (merged.added > 0) {
      try {
        writeFileSync(abs, merged.text);
      } catch (e) {
        throw new UsageError(`${target}: cannot write it (${(e as Error).message})`);
      }
    }
    run.out.stdout += `keyguard: ${merged.added > 0 ? `added ${merged.added} path(s) to ${target}` : `${target} already has every entry`}; ${summary}\n`;
    return 0;
  },
};
