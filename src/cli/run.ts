// argv → { exitCode, stdout, stderr }. Exit codes: 0 nothing found, 1 findings (or --exit-code), 2 an error the user can fix.
import yargs from 'yargs';
import { Context, VERSION, type RunIO, type RunResult } from './context.js';
import { UsageError } from './errors.js';
import { commands } from './commands/index.js';
import { FORMATS } from '../report/index.js';
import { GitError } from '../sources/git.js';
import { STDIN_PATH } from './stdin-path.js';
import { failureResult } from './failure.js';

export type { RunIO, RunResult };



export async function run(rawArgv: string[], io: RunIO): Promise<RunResult> {
  const argv = rawArgv.map((a) => (a === '-' ? STDIN_PATH : a));
  const ctx = new Context(io);
  let exitCode = 0;
  let handled = false;
  const parser = yargs(argv)
    .scriptName('keyguard')
    .usage('$0 <command> [options]\n\nFinds Google and Gemini credentials in staged changes, history and files.')
    .option('format', { alias: 'f', choices: FORMATS, default: 'text' as const, describe: 'Report format' })
    .option('output', { alias: 'o', type: 'string', describe: 'Write the report to this file instead of standard output' })
    .option('show-secrets', { type: 'boolean', default: false, describe: 'Print secrets in full (off: always redacted)' })
    .option('color', { type: 'boolean', describe: 'Colour the text report (default: on a terminal; NO_COLOR turns it off)' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'Print nothing when nothing is found, and no progress' })
    .option('exit-code', { type: 'number', default: 1, describe: 'Exit code when findings remain' })
    .option('verify', { type: 'boolean', describe: 'Ask Google whether each API key and auth key found still works (one request per key; off by default)' })
    .option('verify-timeout', { type: 'number', default: 5, describe: 'Seconds to wait for each --verify request' })
    .option('config', { type: 'string', describe: 'Configuration file (default: KEYGUARD_CONFIG, else .keyguard.yaml at the repository root)' })
    .option('baseline', { type: 'string', describe: 'Report only findings not recorded in this baseline file (keyguard baseline writes one)' })
    .option('baseline-update', { type: 'boolean', describe: 'Rewrite the --baseline file with the findings of this scan' })
    .option('progress', { type: 'boolean', describe: 'Progress bar on stderr for long scans (default: on a terminal; never in CI or when piped)' })
    .strict()
    .demandCommand(1, 'Name a command: scan, staged, history, rules… (keyguard --help lists them)')
    .recommendCommands()
    .version(VERSION)
    .help()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      throw err instanceof UsageError || err instanceof GitError ? err : new UsageError(msg ?? err?.message ?? 'invalid arguments');
    });
  // yargs renders the whole help text whenever a command starts, to show it should the command fail later; keyguard
  // reports failures itself (.fail above), so that would be tens of milliseconds of every scan's start for nothing.
  const internals = parser as unknown as { getInternalMethods(): { getUsageInstance(): { cacheHelpMessage(): void } } };
  internals.getInternalMethods().getUsageInstance().cacheHelpMessage = () => undefined;
  for (const command of commands) {
    parser.command(command.name, command.describe, command.builder, async (args) => {
      handled = true;
      exitCode = await command.handler(args, ctx);
    });
  }
  try {
    const output = await new Promise<string>((resolveOut, reject) => {
      parser
        .parseAsync(argv, {}, (err, _argv, out) => {
          if (err) reject(err);
          else resolveOut(out);
        })
        .catch(reject);
    });
    if (!handled && output) ctx.stdout += `${output}\n`;
    return { exitCode, stdout: ctx.stdout, stderr: ctx.stderr };
  } catch (err) {
    return failureResult(ctx, err, io);
  } finally {
    await ctx.end();
  }
}
