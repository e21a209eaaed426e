// `keyguard scan` and `keyguard history` with plain flags, without loading yargs (as run-staged.ts does for the
// hook): a scan pays for Node's start, the scan and little else. Anything this parser does not know goes to the full
// CLI (run.ts), which parses it (or explains the error) as before. The command itself is loaded only when it runs.
import { Context, type RunIO, type RunResult } from './context.js';
import type { scanCommand } from './commands/scan.js';
import type { historyCommand } from './commands/history.js';
import { FORMATS, type ReportFormat } from '../report/index.js';
import { failureResult } from './failure.js';

type ScanArgs = Parameters<typeof scanCommand.handler>[0];
type HistoryArgs = Parameters<typeof historyCommand.handler>[0];
export type DirectArgs = { command: 'scan'; args: ScanArgs } | { command: 'history'; args: HistoryArgs };
type AnyArgs = ScanArgs & HistoryArgs;

/** Flags without a value: what each sets. */
const BOOLEAN_FLAGS: Record<string, (a: AnyArgs) => void> = {
  '--quiet': (a) => (a.quiet = true),
  '--show-secrets': (a) => (a.showSecrets = true),
  '--color': (a) => (a.color = true),
  '--no-color': (a) => (a.color = false),
  '--progress': (a) => (a.progress = true),
  '--no-progress': (a) => (a.progress = false),
  '--baseline-update': (a) => (a.baselineUpdate = true),
  '--inline-allow': (a) => (a.inlineAllow = true),
  '--no-inline-allow': (a) => (a.inlineAllow = false),
};

const integer = (v: string): number | undefined => (/^-?\d+$/.test(v.trim()) ? Number(v) : undefined);

/** Flags with a value: false when the value is one yargs should judge (or explain). */
const VALUE_FLAGS: Record<string, (a: AnyArgs, v: string) => boolean> = {
  '--format': (a, v) => (FORMATS as readonly string[]).includes(v) && ((a.format = v as ReportFormat), true),
  '--output': (a, v) => ((a.output = v), true),
  '--config': (a, v) => ((a.config = v), true),
  '--baseline': (a, v) => ((a.baseline = v), true),
  '--exit-code': (a, v) => integer(v) !== undefined && ((a.exitCode = integer(v)!), true),
};

const COMMANDS = {
  scan: {
    positional: true,
    booleans: { '--gitignore': (a) => (a.gitignore = true), '--no-gitignore': (a) => (a.gitignore = false) } as Record<string, (a: AnyArgs) => void>,
    values: { '--max-file-size': (a, v) => ((a.maxFileSize = v), true) } as Record<string, (a: AnyArgs, v: string) => boolean>,
  },
  history: {
    positional: false,
    booleans: {} as Record<string, (a: AnyArgs) => void>,
    values: {
      '--range': (a, v) => ((a.range = v), true),
      '--since-commit': (a, v) => ((a.sinceCommit = v), true),
      '--branch': (a, v) => ((a.branch = v), true),
      '--jobs': (a, v) => integer(v) !== undefined && ((a.jobs = integer(v)!), true),
    } as Record<string, (a: AnyArgs, v: string) => boolean>,
  },
};

const ALIASES: Record<string, string> = { '-q': '--quiet', '-f': '--format', '-o': '--output', '-j': '--jobs' };

/** The arguments of a plain scan or history, as yargs would give them, or undefined when the full CLI must parse them. */
export function parseDirectArgs(argv: string[]): DirectArgs | undefined {
  const command = argv[0];
  if (command !== 'scan' && command !== 'history') return undefined;
  const spec = COMMANDS[command];
  const args = { format: 'text', showSecrets: false, quiet: false, exitCode: 1, verifyTimeout: 5 } as AnyArgs;
  if (command === 'scan') Object.assign(args, { paths: [], gitignore: true, stdinName: '<stdin>' });
  const seen = new Set<string>();
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-')) {
      if (!spec.positional || a === '') return undefined;
      args.paths.push(a);
      continue;
    }
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const given = eq === -1 ? a : a.slice(0, eq);
    const flag = ALIASES[given] ?? given;
    // A flag given twice (yargs makes an array of it, or has its own rule for which wins) is yargs' to decide.
    const name = flag.replace(/^--no-/, '--');
    if (seen.has(name)) return undefined;
    seen.add(name);
    const setBoolean = BOOLEAN_FLAGS[flag] ?? spec.booleans[flag];
    if (setBoolean) {
      if (eq !== -1) return undefined;
      setBoolean(args);
      continue;
    }
    const setValue = VALUE_FLAGS[flag] ?? spec.values[flag];
    if (!setValue) return undefined;
    const v = eq !== -1 ? a.slice(eq + 1) : argv[++i];
    if (v === undefined || v === '' || (eq === -1 && v.startsWith('-')) || !setValue(args, v)) return undefined;
  }
  if (command === 'scan' && args.paths.length === 0) args.paths.push('.');
  return { command, args } as DirectArgs;
}

export async function runDirect(direct: DirectArgs, io: RunIO): Promise<RunResult> {
  const ctx = new Context(io);
  try {
    const exitCode =
      direct.command === 'scan'
        ? await (await import('./commands/scan.js')).scanCommand.handler(direct.args, ctx)
        : await (await import('./commands/history.js')).historyCommand.handler(direct.args, ctx);
    return { exitCode, stdout: ctx.stdout, stderr: ctx.stderr };
  } catch (err) {
    return failureResult(ctx, err, io);
  }
}
