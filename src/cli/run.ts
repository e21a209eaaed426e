// argv → { exitCode, stdout, stderr }. Exit codes: 0 nothing found, 1 findings (or --exit-code), 2 an error the user can fix.
import yargs, { type Argv } from 'yargs';
import { VERSION, type RunIO, type RunResult } from './run-io.js';
import { createRun, endRun, resultOf } from './run-state.js';
import { UsageError } from './errors.js';
import { commands } from './commands/index.js';
import { firstUnknownFlag, flagsOf, keyOf, parseValue, unknownFlagMessage, type CommandName } from './flags.js';
import { GitError } from '../sources/git.js';
import { STDIN_PATH } from './stdin-path.js';
import { failureResult } from './failure.js';

export type { RunIO, RunResult };

/** A command's options from the flag table; values go through the table's own check (one line, exit 2). */
function withFlags(y: Argv, command: CommandName): Argv {
  for (const f of flagsOf(command)) {
    y.option(f.name, {
      type: f.type === 'boolean' ? 'boolean' : 'string',
      describe: f.describe,
      ...(f.alias ? { alias: f.alias } : {}),
      ...(f.choices ? { choices: f.choices } : {}),
      ...(f.default !== undefined ? { default: f.default } : {}),
      ...(f.hidden ? { hidden: true } : {}),
      ...(f.type === 'value'
        ? {
            coerce: (raw: unknown) => {
              const parsed = parseValue(f, raw);
              if (!parsed.ok) throw new UsageError(parsed.error);
              return parsed.value;
            },
          }
        : {}),
    });
  }
  return y;
}

/** Flags that are another name for one of ours (gitleaks' --baseline-path) set that one. */
function withSameAs<A extends Record<string, unknown>>(args: A, command: CommandName): A {
  for (const f of flagsOf(command)) {
    const value = f.sameAs ? args[keyOf(f.name)] : undefined;
    if (f.sameAs && value !== undefined && args[keyOf(f.sameAs)] === undefined) (args as Record<string, unknown>)[keyOf(f.sameAs)] = value;
  }
  return args;
}

export async function run(rawArgv: string[], io: RunIO): Promise<RunResult> {
  const argv = rawArgv.map((a) => (a === '-' ? STDIN_PATH : a));
  const state = createRun(io);
  const command = commands.find((c) => c.name === argv[0])?.name;
  let exitCode = 0;
  let handled = false;
  const parser = yargs(argv)
    .scriptName('keyguard')
    .usage('$0 <command> [options]\n\nFinds Google and Gemini credentials in staged changes, history and files.')
    .strict()
    .demandCommand(1, 'Name a command: scan, staged, history, rules… (keyguard --help lists them)')
    .recommendCommands()
    .version(VERSION)
    .help()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((msg, err) => {
      if (err instanceof UsageError || err instanceof GitError) throw err;
      // yargs says "Unknown arguments: such-flag, suchFlag"; name the flag as it was typed, with a did-you-mean.
      if (msg && /^Unknown argument/.test(msg)) {
        const unknown = firstUnknownFlag(command, argv.slice(command ? 1 : 0));
        if (unknown) throw new UsageError(unknownFlagMessage(command, unknown));
      }
      throw new UsageError(msg ?? err?.message ?? 'invalid arguments');
    });
  // yargs renders the whole help text whenever a command starts, to show it should the command fail later; keyguard
  // reports failures itself (.fail above), so that would be tens of milliseconds of every scan's start for nothing.
  const internals = parser as unknown as { getInternalMethods(): { getUsageInstance(): { cacheHelpMessage(): void } } };
  internals.getInternalMethods().getUsageInstance().cacheHelpMessage = () => undefined;
  for (const c of commands) {
    parser.command(c.usage, c.describe, (y) => withFlags(c.positionals ? c.positionals(y) : y, c.name), async (args) => {
      handled = true;
      exitCode = await c.handler(withSameAs(args, c.name), state);
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
    if (!handled && output) state.out.stdout += `${output}\n`;
    return resultOf(state, exitCode);
  } catch (err) {
    return failureResult(state, err, io);
  } finally {
    await endRun(state);
  }
}
