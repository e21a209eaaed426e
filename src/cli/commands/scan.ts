import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Argv } from 'yargs';
import { createKeywordGate } from '../../detect/gate.js';
import type { SourceEvent } from '../../types.js';
import { createGitLists, prefetchGitLists, readTree } from '../../sources/tree.js';
import { readStdin } from '../../sources/stdin.js';
import { scanEvents } from '../../scan.js';
import { UsageError } from '../errors.js';
import { parseSize } from '../size.js';
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
  name: 'scan [paths..]',
  describe: 'Scan files and folders on disk (default: the current folder); "-" reads standard input',
  builder: (y: Argv) =>
    y
      .positional('paths', { type: 'string', array: true, default: ['.'], describe: 'Files or folders to scan' })
      .option('gitignore', { type: 'boolean', default: true, describe: 'Inside a git work tree, skip what .gitignore ignores (--no-gitignore scans everything)' })
      .option('max-file-size', { type: 'string', describe: 'Skip (and report) files larger than this: bytes or 10KB, 5MiB…; default no limit' })
      .option('stdin-name', { type: 'string', default: '<stdin>', describe: 'Path shown for standard input' })
      .option('inline-allow', { type: 'boolean', describe: 'Honour inline markers (keyguard:allow, gitleaks:allow…); --no-inline-allow reports what they hide, so a reviewer decides' }),
  async handler(args, ctx: Context) {
    let maxFileSize: number | undefined;
    if (args.maxFileSize !== undefined) {
      maxFileSize = parseSize(args.maxFileSize);
      if (maxFileSize === undefined) throw new UsageError(`--max-file-size ${args.maxFileSize}: not a size; use bytes or units like 10MiB`);
    }
    const paths = args.paths.length > 0 ? args.paths : ['.'];
    const onDisk = paths.filter((p) => p !== STDIN_PATH);
    for (const p of onDisk) {
      if (!existsSync(resolve(ctx.io.cwd, p))) throw new UsageError(`${p}: no such file or folder; check the path`);
    }
    ctx.checkOutput(args, onDisk);
    // git lists the work tree's files while the configuration and the rules load.
    const gitLists = createGitLists({ env: ctx.io.env, workTree: (dir) => ctx.workTreeOf(dir) });
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
        yield* readTree({ paths: onDisk, cwd: io.cwd, gitignore: args.gitignore, env: io.env, workTree: (dir) => ctx.workTreeOf(dir), gitLists, ...(gate ? { gate } : {}), ...(maxFileSize !== undefined ? { maxFileSize } : {}), onListed: (n: number) => (listed += n), ...(args.output ? { exclude: [args.output] } : {}) });
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
