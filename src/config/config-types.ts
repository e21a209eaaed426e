// The loaded project configuration's shape, its defaults and its error line: light enough for the hook to import
// when there is no .keyguard.yaml (parsing and checking one is project-config.ts, loaded only when there is).
import type { Rule } from '../types.js';

/** An allowlist as written. */
export interface AllowlistSpec {
  description?: string;
  paths?: string[];
  regexes?: string[];
  lineRegexes?: string[];
  stopwords?: string[];
  commits?: string[];
}

/** An allowlist ready to test findings against. */
export interface Allowlist {
  /** Whether a repository-relative path is allowed. */
  path: ((path: string) => boolean) | undefined;
  regexes: RegExp[];
  lineRegexes: RegExp[];
  /** Lower-cased. */
  stopwords: string[];
  /** Lower-cased commit ids or prefixes of 7+ hex digits. */
  commits: string[];
}

export interface ProjectConfig {
  /** The file it came from, as shown to the user; undefined when there is none (all defaults). */
  source: string | undefined;
  /** Built-in rules on. */
  extends: boolean;
  /** User rules, compiled and checked. */
  rules: Rule[];
  disable: string[];
  allowlist: Allowlist | undefined;
  /** Rule id → an allowlist for that rule only. */
  ruleAllowlists: Map<string, Allowlist>;
  maxFileSize?: number;
  /** The hook lets commits through when keyguard itself fails (a git error; never a bad config). */
  failOpen: boolean;
  /** --verify by default (issue 9: the hook reads it); the command line wins. */
  verify?: boolean;
}

export const DEFAULT_CONFIG: ProjectConfig = { source: undefined, extends: true, rules: [], disable: [], allowlist: undefined, ruleAllowlists: new Map(), failOpen: false };

export interface ConfigError {
  source: string;
  line?: number;
  /** Dotted path of the field at fault (`allowlist.paths[2]`), or '' for the whole file. */
  field: string;
  /** The user rule at fault, when there is one. */
  rule?: string;
  message: string;
  /** Read from git, not the disk: which version is at fault ("the staged version", "the version at abc1234, the base of the range"), which may differ from the file on disk. */
  version?: string;
}

/** One line: file, line, field (and rule), what is wrong. Never quotes the file's content. */
export function formatConfigError(e: ConfigError): string {
  const where = `${e.source}${e.line ? `:${e.line}` : ''}${e.version ? ` (${e.version})` : ''}`;
  const what = [e.rule ? `rule '${e.rule}'` : '', e.field ? `field '${e.field}'` : ''].filter(Boolean).join(' ');
  return `${where}: ${what ? `${what}: ` : ''}${e.message}`;
}

