// Where .keyguard.yaml comes from, and reading it (thin: the checks are project-config.ts).
// Order: --config FILE, else KEYGUARD_CONFIG, else .keyguard.yaml at the work tree root of what is scanned (else the
// current folder). A configuration inside the repository is read from git when the run names a trusted source: the
// index in hook mode (so an unstaged edit cannot switch the hook off), the base of the range in a range scan (so a
// pull request cannot switch its own check off). See docs/trust.md.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Result, Rule } from '../types.js';
import { DEFAULT_CONFIG, type ConfigError, type ProjectConfig } from './config-types.js';
import { describeSource, readTrustedFile, type TrustedSource } from '../sources/git-file.js';

export const CONFIG_FILE = '.keyguard.yaml';

export interface ConfigRequest {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** --config FILE. */
  explicit?: string | undefined;
  /** The git work tree root of what is scanned, if it is in one. */
  root?: string | undefined;
  /** Read a configuration inside the repository from git: the index (the hook) or the base of a range. */
  from?: TrustedSource | undefined;
  builtins: Rule[];
}

export interface LoadedConfig {
  config: ProjectConfig;
  /** Things worth a line on stderr (a configuration on disk that the hook ignores because it is not staged, or that a range adds). */
  warnings: string[];
}

function decode(buf: Buffer): string {
  return buf.toString('utf8').replace(/^\uFEFF/, '');
}

/** A path inside the work tree, root-relative with forward slashes, or undefined. */
function insideRoot(root: string | undefined, abs: string): string | undefined {
  if (!root) return undefined;
  const rel = relative(root, abs);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

export async function readProjectConfig(req: ConfigRequest): Promise<Result<LoadedConfig, ConfigError>> {
  const warnings: string[] = [];
  const envFile = req.env['KEYGUARD_CONFIG'] || undefined;
  const named = req.explicit ?? envFile;
  const parse = async (text: string, source: string, from?: TrustedSource): Promise<Result<LoadedConfig, ConfigError>> => {
    // Loaded only when there is a configuration: the hook of a repository without one never parses the checker.
    const { parseConfig } = await import('./project-config.js');
    const parsed = parseConfig(text, source, req.builtins);
    if (parsed.ok) return { ok: true, value: { config: parsed.value, warnings } };
    return from ? { ok: false, errors: parsed.errors.map((e) => ({ ...e, version: describeSource(from) })) } : parsed;
  };
  const addedNote = (shown: string, from: Extract<TrustedSource, { type: 'revision' }>): string =>
    `keyguard: ${shown} is not in ${from.rev.slice(0, 12)} (the base of the range, which this check reads): the defaults apply`;
  if (named !== undefined) {
    const option = req.explicit !== undefined ? '--config' : 'KEYGUARD_CONFIG=';
    const abs = resolve(req.cwd, named);
    const inside = req.from ? insideRoot(req.root, abs) : undefined;
    if (req.from && inside !== undefined) {
      const held = await readTrustedFile(req.root!, inside, req.from, req.env);
      if (held.from === 'git') return parse(decode(held.content), named, req.from);
      if (held.from === 'added' && req.from.type === 'revision') {
        warnings.push(addedNote(named, req.from));
        return { ok: true, value: { config: DEFAULT_CONFIG, warnings } };
      }
    }
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read it (${(e as Error).message})`;
      return { ok: false, errors: [{ source: `${option}${option.endsWith('=') ? '' : ' '}${named}`, field: '', message: `${why}; check the path` }] };
    }
    return parse(text.replace(/^\uFEFF/, ''), named);
  }
  const dir = req.root ?? req.cwd;
  const abs = join(dir, CONFIG_FILE);
  const shown = relative(req.cwd, abs) || CONFIG_FILE;
  if (req.from && req.root) {
    // Where the trusted source has none, the defaults apply, whatever is on disk.
    const held = await readTrustedFile(req.root, CONFIG_FILE, req.from, req.env);
    if (held.from === 'git') return parse(decode(held.content), shown, req.from);
    if (req.from.type === 'index' && existsSync(abs)) warnings.push(`keyguard: warning: ${shown} is not staged, so the hook does not use it (git add ${shown} to apply it)`);
    if (held.from === 'added' && req.from.type === 'revision') warnings.push(addedNote(shown, req.from));
    return { ok: true, value: { config: DEFAULT_CONFIG, warnings } };
  }
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return { ok: true, value: { config: DEFAULT_CONFIG, warnings } };
    return { ok: false, errors: [{ source: shown, field: '', message: `cannot read it (${(e as Error).message})` }] };
  }
  return parse(text.replace(/^\uFEFF/, ''), shown);
}

/** The rules that run: the built-in ones unless `extends: false`, the user's, minus `disable`. Pure. */
export function activeRules(builtins: Rule[], config: ProjectConfig): Rule[] {
  const disabled = new Set(config.disable);
  return [...(config.extends ? builtins : []), ...config.rules].filter((r) => !disabled.has(r.id));
}
