import type { Argv } from 'yargs';
import { DEFAULT_BASELINE, readBaseline } from '../../config/baseline.js';
import { resolve } from 'node:path';
import type { CommonArgs } from '../run-io.js';
import type { Run } from '../run-state.js';
import type { Command } from './command.js';
import { scanCommand } from './scan.js';
import { historyCommand } from './history.js';

export { DEFAULT_BASELINE };

interface BaselineArgs extends CommonArgs {
  paths: string[];
  history: boolean;
  gitignore: boolean;
  maxFileSize?: string;
}

/**
 * `keyguard baseline`: record today's findings so that only new ones fail from now on. It runs the scan (or, with
 * --history, the history scan) exactly as that command would, config and allowlists included, and writes every
 * finding's fingerprint to the file instead of a report.
 */
export const baselineCommand: Command<BaselineArgs> = {
  name: 'baseline',
  usage: 'baseline [paths..]',
  describe: 'Write the current findings to a baseline file (default .keyguard-baseline.json), so only new leaks fail from now on',
  positionals: (y: Argv) => y.positional('paths', { type: 'string', array: true, default: ['.'], describe: 'Files or folders to scan (not with --history)' }),
  async handler(args, run: Run) {
    const file = args.output ?? args.baseline ?? DEFAULT_BASELINE;
    const { output: _output, ...rest } = args;
    // The scan writes the baseline (a fresh one) and its report is dropped: the file is the output.
    const inner = { ...rest, baseline: file, baselineUpdate: true, baselineFresh: true, quiet: true, format: 'json' as const, verify: false, exitCode: 1 };
    const stdout = run.out.stdout;
    if (args.history) await historyCommand.handler({ ...inner }, run);
    else await scanCommand.handler({ ...inner, stdinName: '<stdin>' }, run);
    run.out.stdout = stdout;
    const written = readBaseline(resolve(run.io.cwd, file));
    const count = written.ok === true ? written.value.entries.length : 0;
    if (!args.quiet) {
      run.out.stdout += `keyguard: wrote ${count} finding(s) to ${file} (${args.history ? 'every commit' : args.paths.join(' ')}).\n`;
      run.out.stdout += count > 0 ? `From now on only new findings fail: keyguard ${args.history ? 'history' : 'scan'} --baseline ${file} (and keyguard staged --baseline ${file} in the hook). Commit ${file}; the credentials in it still need rotating.\n` : 'Nothing to baseline: the scan found nothing.\n';
    }
    return 0;
  },
};
