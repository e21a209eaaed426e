// --baseline FILE and --baseline-update for one command: read the file before the scan (a bad file fails fast),
// hand its fingerprints to the filters, and rewrite it afterwards when asked.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Finding, Result, ScanResult } from '../types.js';
import { entriesFor, parseBaseline, readBaseline, updateBaseline, writeBaseline, type Baseline, type BaselineEntry } from '../config/baseline.js';
import { describeSource, readTrustedFile, type TrustedSource } from '../sources/git-file.js';
import { UsageError } from './errors.js';

export interface BaselineArgs {
  baseline?: string;
  baselineUpdate?: boolean;
}

export class BaselineRun {
  private baselined: Finding[] = [];

  private constructor(
    readonly file: string,
    private readonly abs: string,
    private readonly old: BaselineEntry[],
    readonly update: boolean,
  ) {}

  /**
   * The run for these options, or undefined without --baseline. `fresh`: ignore what the file holds (keyguard
   * baseline). `trusted`: a baseline inside this work tree is read from git, the way the configuration is: from the
   * index in the hook (an unstaged edit cannot hide a new secret from the commit), from the base of a range in a range
   * scan (a pull request cannot baseline its own key). With --baseline-update the file on disk is read, as it is the
   * one rewritten. `warn` takes a line for stderr.
   */
  static async open(
    args: BaselineArgs,
    cwd: string,
    options: { fresh?: boolean; trusted?: { root: string; source: TrustedSource } | undefined; env?: NodeJS.ProcessEnv; warn?: (line: string) => void } = {},
  ): Promise<BaselineRun | undefined> {
    if (args.baselineUpdate && !args.baseline) throw new UsageError('--baseline-update: name the baseline with --baseline FILE (keyguard baseline writes a new one)');
    if (!args.baseline) return undefined;
    const file = args.baseline;
    const abs = resolve(cwd, file);
    if (options.fresh) return new BaselineRun(file, abs, [], true);
    let read: Result<Baseline> | { ok: 'missing' } | undefined;
    let version = '';
    const trusted = args.baselineUpdate ? undefined : options.trusted;
    const rel = trusted ? relative(trusted.root, abs) : '';
    if (trusted && rel && !rel.startsWith('..') && !isAbsolute(rel)) {
      const held = await readTrustedFile(trusted.root, rel.split(sep).join('/'), trusted.source, options.env);
      if (held.from === 'git') {
        read = parseBaseline(held.content.toString('utf8'));
        version = ` (${describeSource(trusted.source)})`;
      } else if (held.from === 'added' && trusted.source.type === 'revision') {
        options.warn?.(`keyguard: --baseline ${file} is not in ${trusted.source.rev.slice(0, 12)} (the base of the range, which this check reads): none of its entries apply`);
        return new BaselineRun(file, abs, [], false);
      }
    }
    read ??= readBaseline(abs);
    if (read.ok === 'missing') {
      if (args.baselineUpdate) return new BaselineRun(file, abs, [], true);
      throw new UsageError(`--baseline ${file}: no such file; create it with keyguard baseline --output ${file}`);
    }
    if (!read.ok) throw new UsageError(`--baseline ${file}${version}: ${read.errors[0]}; fix it or write a new one with keyguard baseline --output ${file}`);
    return new BaselineRun(file, abs, read.value.entries, args.baselineUpdate ?? false);
  }

  fingerprints(): Set<string> {
    return new Set(this.old.map((e) => e.fingerprint));
  }

  keep(findings: Finding[]): void {
    this.baselined.push(...findings);
  }

  /** With --baseline-update: write the baseline for this result. `partial`: the scan did not look everywhere (it only adds). */
  finish(result: ScanResult, where: { prefix: string; root?: string | undefined }, partial: boolean): { entries: number; added: number; removed: number } | undefined {
    if (!this.update) return undefined;
    const found = entriesFor([...result.findings, ...this.baselined], where.prefix, where.root);
    const updated = updateBaseline(this.old, found, partial);
    try {
      writeBaseline(this.abs, updated.entries);
    } catch (e) {
      throw new UsageError(`--baseline ${this.file}: cannot write it (${(e as Error).message}); choose a writable path`);
    }
    return { entries: updated.entries.length, added: updated.added, removed: updated.removed };
  }
}
