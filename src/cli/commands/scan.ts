import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { gitDirectoryAround } from '../../sources/git.js';
import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { parseSize } from '../../config/size.js';
import type { CommonArgs } from '../run-io.js';
import { scanDeps, type Run } from '../run-state.js';
import { readSetup } from '../setup.js';
import { checkOutput, finishBaseline, progressFor, settle, writeReport, type Scanned } from '../output.js';
import { scan, startTreeLists } from '../../scan/index.js';
import type { Command } from './command.js';
import { withLayout } from '../../report/layout.js';
import { STDIN_PATH } from '../stdin-path.js';

export interface ScanArgs extends CommonArgs {
  paths: string[];
  gitignore: boolean;
  maxFileSize?: string;
  stdinName: string;
  /** --brief: one line per finding (text). */
  brief?: boolean;
}

export const scanCommand: Command<ScanArgs> = {
  name: 'scan',
  usage: 'scan [paths..]',
  describe: 'Scan files and folders on disk (default: the current folder); "-" reads standard input',
  positionals: (y: Argv) => y.positional('paths', { type: 'string', array: true, default: ['.'], describe: 'Files or folders to scan' }),
  async handler(args, run: Run) {
    const { result, rules } = await scanFiles(args, run);
    return writeReport(run, withLayout(result, args), args, rules);
  },
};

/** The files and folders the arguments name, scanned and settled (verified, warn-only matches taken out). */
export async function scanFiles(args: ScanArgs, run: Run): Promise<Scanned> {
  // The flag table checked its form (flags.ts); here it becomes bytes.
  let maxFileSize = args.maxFileSize !== undefined ? parseSize(args.maxFileSize) : undefined;
  const paths = args.paths.length > 0 ? args.paths : ['.'];
  const onDisk = paths.filter((p) => p !== STDIN_PATH);
  for (const p of onDisk) {
    if (!existsSync(resolve(run.io.cwd, p))) throw new UsageError(`${p}: no such file or folder; check the path`);
    // Its files are git's compressed objects, not the project's: what it holds is scanned by keyguard history.
    const gitDir = gitDirectoryAround(resolve(run.io.cwd, p));
    const home = gitDir && basename(gitDir) === '.git' ? dirname(gitDir) : gitDir;
    if (gitDir) throw new UsageError(`${p}: is inside the git directory ${gitDir} (a bare repository or .git), whose files are compressed objects; scan its history instead: cd ${home} && keyguard history`);
  }
  checkOutput(run, args, onDisk);
  const deps = scanDeps(run);
  // git lists the work tree's files while the configuration and the rules load.
  const gitLists = startTreeLists(onDisk, deps);
  const setup = await readSetup(run, args, { scanPath: onDisk[0] ?? '.' });
  maxFileSize ??= setup.config.maxFileSize;
  const result = await scan(
    {
      source: {
        kind: 'tree',
        paths: onDisk,
        gitignore: args.gitignore,
        gitLists,
        ...(paths.includes(STDIN_PATH) ? { stdinName: args.stdinName } : {}),
        ...(maxFileSize !== undefined ? { maxFileSize } : {}),
        ...(args.output ? { exclude: [args.output] } : {}),
      },
      ruleSet: setup.ruleSet,
      suppression: setup.suppression,
      showSecrets: args.showSecrets,
      verify: setup.verify,
      progress: (unit, total) => progressFor(run, args, unit, total),
    },
    deps,
  );
  finishBaseline(run, setup, result, args, false);
  return { result: settle(run, setup, result, args), rules: setup.rules };
}
