import { existsSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import type { Argv } from 'yargs';
import { createKeywordGate } from '../../detect/gate.js';
import type { SourceEvent } from '../../types.js';
import { createGitLists, prefetchGitLists, readTree } from '../../sources/tree.js';
import { readStdin } from '../../sources/stdin.js';
import { scanEvents } from '../../scan/scan.js';
import { UsageError } from '../errors.js';
import { gitDirectoryAround } from '../../sources/git.js';
import { parseSize } from '../../config/size.js';
import type { CommonArgs, Context } from '../context.js';
import type { Command } from './command.js';
import { STDIN_PATH } from '../stdin-path.js';

interface ScanArgs extends CommonArgs {
  paths: string[];
  gitignore: boolean;
  maxFileSize?: string;
  stdinName: string;
}

export const scanCommand: Command<ScanArgs> = {
  name: 'scan',
  usage: 'scan [paths..]',
  describe: 'Scan files and folders on disk (default: the current folder); "-" reads standard input',
  positionals: (y: Argv) => y.positional('paths', { type: 'string', array: true, default: ['.'], describe: 'Files or folders to scan' }),
  async handler(args, ctx: Context) {
    // The flag table checked its form (flags.ts); here it becomes bytes.
    let maxFileSize = args.maxFileSize !== undefined ? parseSize(args.maxFileSize) : undefined;
    const paths = args.paths.length > 0 ? args.paths : ['.'];
    const onDisk = paths.filter((p) => p !== STDIN_PATH);
    for (const p of onDisk) {
      if (!existsSync(resolve(ctx.io.cwd, p))) throw new UsageError(`${p}: no such file or folder; check the path`);
      // Its files are git's compressed objects, not the project's: what it holds is scanned by keyguard history.
      const gitDir = gitDirectoryAround(resolve(ctx.io.cwd, p));
      const home = gitDir && basename(gitDir) === '.git' ? dirname(gitDir) : gitDir;
      if (gitDir) throw new UsageError(`${p}: is inside the git directory ${gitDir} (a bare repository or .git), whose files are compressed objects; scan its history instead: cd ${home} && keyguard history`);
    }
    ctx.checkOutput(args, onDisk);
    // git lists the work tree's files while the configuration and the rules load.
    const gitLists = createGitLists({ env: ctx.io.env, workTree: (dir) => ctx.workTreeOf(dir), scope: ctx.scope });
    prefetchGitLists(gitLists, onDisk, ctx.io.cwd);
    const config = await ctx.loadConfig(args, { scanPath: onDisk[0] ?? '.' });
    maxFileSize ??= config.maxFileSize;
    const suppression = await ctx.suppression(args);
    const ruleSet = await ctx.loadRuleSet();
    const gate = createKeywordGate(ruleSet);
    const io = ctx.io;
    async function* events(): AsyncGenerator<SourceEvent> {
      if (paths.includes(STDIN_PATH)) yield* readStdin(io.stdin, args.stdinName);
      if (onDisk.length > 0) {
        yield* readTree({ paths: onDisk, cwd: io.cwd, gitignore: args.gitignore, env: io.env, workTree: (dir) => ctx.workTreeOf(dir), gitLists, scope: ctx.scope, ...(gate ? { gate } : {}), ...(maxFileSize !== undefined ? { maxFileSize } : {}), onListed: (n: number) => (listed += n), ...(args.output ? { exclude: [args.output] } : {}) });
      }
    }
    let listed = 0;
    const progress = ctx.progress(args, 'files', () => listed || undefined);
    const verify = ctx.prepareVerify(args);
    const result = await scanEvents(events(), { mode: 'scan', ruleSet, showSecrets: args.showSecrets, now: io.now, ...(progress ? { onProgress: progress } : {}), ...verify, ...suppression });
    progress?.stop();
    ctx.finishBaseline(result, args, false);
    return ctx.report(ctx.separateWarnings(await ctx.verify(result, args), ruleSet.rules, args), args);
  },
};
