// The pre-commit hook's fast path: `keyguard staged` with plain flags runs without loading yargs, so a commit pays
// for Node's start-up and little else. Anything this parser does not know goes to the full CLI (run.ts) instead.
import { Context, type RunIO, type RunResult } from './context.js';
import { stagedCommand } from './commands/staged.js';
import { FORMATS, type ReportFormat } from '../report/index.js';
import { failureResult } from './failure.js';

type StagedArgs = Parameters<typeof stagedCommand.handler>[0];

/** The staged command's arguments, or undefined when the full CLI must parse them. */
export function parseStagedArgs(argv: string[]): StagedArgs | undefined {
  if (argv[0] !== 'staged') return undefined;
  const args: StagedArgs = { format: 'text', showSecrets: false, quiet: false, exitCode: 1, allLines: false };
  for (let i = 1; i < argv.length; i++) {
    const a = argv[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (flag) {
      case '--all-lines':
        args.allLines = true;
        break;
      case '--quiet':
      case '-q':
        args.quiet = true;
        break;
      case '--show-secrets':
        args.showSecrets = true;
        break;
      case '--color':
        args.color = true;
        break;
      case '--no-color':
        args.color = false;
        break;
      case '--format':
      case '-f': {
        const v = value();
        if (!v || !(FORMATS as readonly string[]).includes(v)) return undefined;
        args.format = v as ReportFormat;
        break;
      }
      case '--output':
      case '-o': {
        const v = value();
        if (!v) return undefined;
        args.output = v;
        break;
      }
      case '--config':
      case '--baseline': {
        const v = value();
        if (!v) return undefined;
        args[flag === '--config' ? 'config' : 'baseline'] = v;
        break;
      }
      case '--baseline-update':
        args.baselineUpdate = true;
        break;
      case '--inline-allow':
      case '--no-inline-allow':
        args.inlineAllow = flag === '--inline-allow';
        break;
      case '--exit-code': {
        const v = Number(value());
        if (!Number.isInteger(v)) return undefined;
        args.exitCode = v;
        break;
      }
      default:
        return undefined;
    }
  }
  return args;
}

export async function runStaged(args: StagedArgs, io: RunIO): Promise<RunResult> {
  const ctx = new Context(io);
  try {
    const exitCode = await stagedCommand.handler(args, ctx);
    return { exitCode, stdout: ctx.stdout, stderr: ctx.stderr };
  } catch (err) {
    return failureResult(ctx, err, io);
  }
}
