// Every flag of every command, declared once. The yargs parser (run.ts, for --help and every command) and the fast
// start-up parser (parseFlags: the hook's `keyguard staged` and plain `scan` and `history`, which never load yargs)
// are both built from this table, and a value is validated by the same function whichever parser read it.
// Loaded on the hook's path: keep it free of heavy imports.
import { FORMATS } from '../report/index.js';
import { parseSize } from '../config/size.js';

export type CommandName = 'scan' | 'staged' | 'history' | 'baseline' | 'install' | 'uninstall' | 'doctor' | 'rules' | 'import-gitleaksignore';

/** A value parsed, or the one line that says what is wrong with it. */
export type Parsed = { ok: true; value: unknown } | { ok: false; error: string };

export interface Flag {
  /** The long name, as typed after `--`. */
  name: string;
  alias?: string;
  /** `boolean` flags take no value (`--no-NAME` sets false); `value` flags take one, parsed by `parse`. */
  type: 'boolean' | 'value';
  /** Checks and converts a value flag's text; the message names no flag (the caller adds `--NAME VALUE:`). */
  parse?: (text: string) => Parsed;
  choices?: readonly string[];
  default?: unknown;
  describe: string;
  /** The commands that take it. */
  commands: readonly CommandName[];
  /** Accepted and documented, but left out of --help: flags other scanners use that keyguard takes for theirs. */
  hidden?: boolean;
  /** Another name for this flag's value (gitleaks' `--baseline-path` for `--baseline`). */
  sameAs?: string;
}

const ok = (value: unknown): Parsed => ({ ok: true, value });
const bad = (error: string): Parsed => ({ ok: false, error });

/** A whole number in [min, max]. */
function wholeNumber(min: number, max: number, what: string): (text: string) => Parsed {
  return (text) => {
    const t = text.trim();
    if (!/^[+-]?\d+$/.test(t)) return bad(`not a whole number; use ${what}`);
    const n = Number(t);
    return n >= min && n <= max ? ok(n) : bad(`out of range; use ${what}`);
  };
}

function choice(choices: readonly string[]): (text: string) => Parsed {
  return (text) => (choices.includes(text) ? ok(text) : bad(`not one of ${choices.join(', ')}`));
}

const text = (t: string): Parsed => (t === '' ? bad('empty; give a value') : ok(t));

/** A size stays text (the command and the configuration convert it); only its form is checked here. */
const size = (t: string): Parsed => (parseSize(t) === undefined ? bad('not a size; use bytes or units like 10MiB') : ok(t));

function seconds(t: string): Parsed {
  const n = Number(t.trim());
  return t.trim() !== '' && Number.isFinite(n) && n > 0 && n <= 300 ? ok(n) : bad('use a number of seconds above 0 and at most 300');
}

/** The commands that scan and report findings. */
const SCANS = ['scan', 'staged', 'history', 'baseline'] as const;
/** Scans whose report the user reads or writes (baseline writes a baseline, not a report). */
const REPORTS = ['scan', 'staged', 'history'] as const;

export const FLAGS: readonly Flag[] = [
  // Report and output: every scan, and the commands that print a report of their own.
  { name: 'format', alias: 'f', type: 'value', choices: FORMATS, parse: choice(FORMATS), default: 'text', describe: 'Report format', commands: [...REPORTS, 'doctor', 'rules'] },
  { name: 'output', alias: 'o', type: 'value', parse: text, describe: 'Write the report to this file instead of standard output (baseline: the baseline file to write)', commands: [...SCANS, 'doctor'] },
  { name: 'show-secrets', type: 'boolean', default: false, describe: 'Print secrets in full (off: always redacted)', commands: REPORTS },
  { name: 'color', type: 'boolean', describe: 'Colour the text report (default: on a terminal; NO_COLOR turns it off)', commands: [...REPORTS, 'doctor'] },
  { name: 'quiet', alias: 'q', type: 'boolean', default: false, describe: 'Print nothing when nothing is found, and no progress', commands: [...SCANS, 'doctor'] },
  { name: 'exit-code', type: 'value', parse: wholeNumber(0, 255, 'an exit code from 0 to 255'), default: 1, describe: 'Exit code when findings remain (0 to 255)', commands: REPORTS },
  { name: 'brief', type: 'boolean', default: false, describe: 'Text report: one line per finding and the summary, no checklist (for CI logs)', commands: REPORTS },
  { name: 'progress', type: 'boolean', describe: 'Progress bar on stderr for long scans (default: on a terminal; never in CI or when piped)', commands: SCANS },
  // Liveness check.
  { name: 'verify', type: 'boolean', describe: 'Ask Google whether each API key and auth key found still works (one request per key; off by default)', commands: REPORTS },
  { name: 'verify-timeout', type: 'value', parse: seconds, default: 5, describe: 'Seconds to wait for each --verify request', commands: REPORTS },
  // Configuration and suppression.
  { name: 'config', type: 'value', parse: text, describe: 'Configuration file (default: KEYGUARD_CONFIG, else .keyguard.yaml at the repository root)', commands: [...SCANS, 'doctor', 'rules', 'import-gitleaksignore'] },
  { name: 'baseline', type: 'value', parse: text, describe: 'Report only findings not recorded in this baseline file (keyguard baseline writes one)', commands: SCANS },
  { name: 'inline-allow', type: 'boolean', describe: 'Honour inline markers (keyguard:allow, gitleaks:allow…); --no-inline-allow reports what they hide, so a reviewer decides', commands: REPORTS },
  { name: 'baseline-update', type: 'boolean', describe: 'Rewrite the --baseline file with the findings of this scan', commands: REPORTS },
  // scan
  { name: 'gitignore', type: 'boolean', default: true, describe: 'Inside a git work tree, skip what .gitignore ignores (--no-gitignore scans everything)', commands: ['scan', 'baseline'] },
  { name: 'max-file-size', type: 'value', parse: size, describe: 'Skip (and report) files larger than this: bytes or 10KB, 5MiB…; default no limit', commands: ['scan', 'baseline'] },
  { name: 'stdin-name', type: 'value', parse: text, default: '<stdin>', describe: 'Path shown for standard input', commands: ['scan'] },
  // staged
  { name: 'all-lines', type: 'boolean', default: false, describe: 'Scan whole staged files, not only the lines added or changed against HEAD', commands: ['staged'] },
  { name: 'checklist', type: 'boolean', default: false, describe: 'Text report: add the leak-response checklist for each credential (the hook prints a short report without it)', commands: ['staged'] },
  // history
  { name: 'range', type: 'value', parse: text, describe: 'Only commits in A..B (reachable from B, not from A), as for a pull request', commands: ['history'] },
  { name: 'since-commit', type: 'value', parse: text, describe: 'Only commits after this one, up to HEAD (SHA..HEAD), as for a push', commands: ['history'] },
  { name: 'branch', type: 'value', parse: text, describe: 'Only commits reachable from this ref', commands: ['history'] },
  { name: 'unpushed', type: 'boolean', default: false, describe: 'Only commits on no remote-tracking branch (git log REF --not --remotes), from --branch or HEAD: what a push of a new branch sends', commands: ['history'] },
  { name: 'fetch-missing', type: 'boolean', describe: 'In a partial clone, fetch the missing blobs from the promisor remote in one batch first, then scan everything', commands: ['history', 'baseline'] },
  { name: 'jobs', alias: 'j', type: 'value', parse: wholeNumber(1, 256, 'a whole number of threads from 1 to 256'), describe: 'Detection threads for big histories (default: one fewer than the cores; 1 = no worker threads)', commands: ['history'] },
  // baseline
  { name: 'history', type: 'boolean', default: false, describe: 'Baseline the findings of every commit (keyguard history) instead of the files on disk', commands: ['baseline'] },
  // install, uninstall
  { name: 'husky', type: 'boolean', default: false, describe: 'install: add keyguard to .husky/pre-commit (husky v9); uninstall: remove it from there', commands: ['install', 'uninstall'] },
  { name: 'lefthook', type: 'boolean', default: false, describe: 'Add a keyguard job to lefthook.yml', commands: ['install'] },
  { name: 'pre-commit', type: 'boolean', default: false, describe: 'Print the .pre-commit-config.yaml block for the pre-commit framework', commands: ['install'] },
  { name: 'pre-push', type: 'boolean', default: false, describe: 'install: also write a pre-push hook that scans the commits being pushed (so commits that skipped the hook, rebased and merged ones are checked); uninstall: remove only that hook', commands: ['install', 'uninstall'] },
  { name: 'force', type: 'boolean', default: false, describe: 'Replace an existing pre-commit hook (kept as pre-commit.keyguard-backup) instead of chaining to it', commands: ['install'] },
  { name: 'print', type: 'boolean', default: false, describe: 'Only print the snippet, write nothing', commands: ['install'] },
  // rules
  { name: 'check', type: 'boolean', default: false, describe: 'Validate every rule and kind file (rules/kinds/), and run the examples and negative examples', commands: ['rules'] },
  // import-gitleaksignore
  { name: 'write', type: 'boolean', default: false, describe: 'Add the entries to .keyguard.yaml (or --config FILE), keeping its comments', commands: ['import-gitleaksignore'] },
  // Flags of gitleaks with the same meaning, so a command copied from a gitleaks set-up runs (docs/migrating-from-gitleaks.md).
  { name: 'redact', type: 'boolean', hidden: true, describe: 'gitleaks: secrets are always redacted unless --show-secrets (accepted, no effect)', commands: REPORTS },
  { name: 'banner', type: 'boolean', hidden: true, describe: 'gitleaks: keyguard prints no banner (--no-banner accepted, no effect)', commands: REPORTS },
  { name: 'baseline-path', type: 'value', parse: text, hidden: true, sameAs: 'baseline', describe: 'gitleaks: the same as --baseline', commands: SCANS },
];

/** camelCase property name of a flag, as yargs makes it. */
export function keyOf(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

export function flagsOf(command: CommandName): Flag[] {
  return FLAGS.filter((f) => f.commands.includes(command));
}

/** Validate a value flag's text: its value, or a usage line naming the flag (by its long name, whichever was typed). */
export function parseValue(flag: Flag, raw: unknown): Parsed {
  const typed = `--${flag.name}`;
  // Given twice, the last one counts (as with git and most CLIs).
  const last = Array.isArray(raw) ? raw[raw.length - 1] : raw;
  const t = typeof last === 'number' ? String(last) : typeof last === 'string' ? last : '';
  if (t === '') return bad(`${typed}: needs a value`);
  const parsed = flag.parse ? flag.parse(t) : ok(t);
  return parsed.ok ? parsed : bad(`${typed} ${t}: ${parsed.error}`);
}

/** The defaults of a command's flags, by property name. */
export function defaultsOf(command: CommandName): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of flagsOf(command)) if (f.default !== undefined) out[keyOf(f.sameAs ?? f.name)] = f.default;
  return out;
}

export type FlagParse =
  | { ok: true; args: Record<string, unknown>; positionals: string[] }
  | { ok: false; error: string }
  /** Something the full parser must handle: --help, --version, an unknown flag (it words the error). */
  | { ok: false; handOver: true };

/**
 * Parse a command's flags from the table, without yargs: `--name value`, `--name=value`, `-a value`, `--no-name`,
 * `--` before positionals. Anything not in the table (and --help, --version) hands over to the full parser.
 */
export function parseFlags(command: CommandName, argv: readonly string[]): FlagParse {
  const flags = flagsOf(command);
  const byName = new Map<string, Flag>();
  for (const f of flags) {
    byName.set(`--${f.name}`, f);
    if (f.alias) byName.set(`-${f.alias}`, f);
  }
  const args = defaultsOf(command);
  const positionals: string[] = [];
  let onlyPositionals = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (onlyPositionals || a === '-' || !a.startsWith('-')) {
      positionals.push(a);
      continue;
    }
    if (a === '--') {
      onlyPositionals = true;
      continue;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const given = eq === -1 ? a : a.slice(0, eq);
    const negated = given.startsWith('--no-') && !byName.has(given) ? byName.get(`--${given.slice(5)}`) : undefined;
    const flag = negated ?? byName.get(given);
    if (!flag) return { ok: false, handOver: true };
    const key = keyOf(flag.sameAs ?? flag.name);
    if (flag.type === 'boolean') {
      if (eq !== -1) return { ok: false, handOver: true };
      args[key] = !negated;
      continue;
    }
    if (negated) return { ok: false, handOver: true };
    const raw = eq !== -1 ? a.slice(eq + 1) : argv[++i];
    // `--output --quiet`: the value was forgotten (a value that starts with a dash goes after `=`).
    if (raw === undefined || (eq === -1 && raw.startsWith('-') && raw !== '-' && !/^-\d/.test(raw))) return { ok: false, error: `--${flag.name}: needs a value` };
    const parsed = parseValue(flag, raw);
    if (!parsed.ok) return parsed;
    args[key] = parsed.value;
  }
  return { ok: true, args, positionals };
}

/** Edit distance, for did-you-mean (flags are short: the quadratic table is nothing). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** gitleaks flags keyguard does not take, with what to use instead. */
const GITLEAKS_HINTS: Record<string, string> = {
  '--log-opts': 'use --range A..B, --since-commit or --branch',
  '--source': 'name the folder as an argument (keyguard scan PATH) or run history inside the repository',
  '--report-path': 'use --output',
  '--report-format': 'use --format',
  '--staged': 'the hook is `keyguard staged`',
  '--verbose': 'the text report already shows every finding',
  '--no-git': 'use `keyguard scan PATH`',
  '--max-target-megabytes': 'use --max-file-size',
};

/**
 * One line for a flag the command does not take, naming it as typed, with the closest flag of that command when one
 * is close (`--fromat` → `--format`) and a pointer for flags of other scanners.
 */
export function unknownFlagMessage(command: CommandName | undefined, typed: string): string {
  const name = typed.includes('=') ? typed.slice(0, typed.indexOf('=')) : typed;
  const where = command ? `keyguard ${command}` : 'keyguard';
  const hint = GITLEAKS_HINTS[name];
  if (hint) return `${name}: ${where} has no such option (a gitleaks option?): ${hint}; see docs/migrating-from-gitleaks.md`;
  const candidates = (command ? flagsOf(command) : FLAGS).filter((f) => !f.hidden).flatMap((f) => (f.type === 'boolean' ? [`--${f.name}`, `--no-${f.name}`] : [`--${f.name}`]));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(name, c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  const close = best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 4));
  return `${name}: ${where} has no such option${close ? `; did you mean ${best}?` : ''} (${where} --help lists them)`;
}

/** The first argument that is not a flag of the command (for the full parser's "unknown argument" error). */
export function firstUnknownFlag(command: CommandName | undefined, argv: readonly string[]): string | undefined {
  const known = new Set<string>(['--help', '-h', '--version']);
  for (const f of command ? flagsOf(command) : []) {
    known.add(`--${f.name}`);
    if (f.alias) known.add(`-${f.alias}`);
    if (f.type === 'boolean') known.add(`--no-${f.name}`);
  }
  for (const a of argv) {
    if (a === '--') return undefined;
    if (!a.startsWith('-') || a === '-') continue;
    const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (!known.has(name)) return a;
  }
  return undefined;
}
