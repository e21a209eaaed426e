// --baseline FILE and --baseline-update for one command: read the file before the scan (a bad file fails fast),
// hand its fingerprints to the filters, and rewrite it afterwards when asked.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { Finding, Result, ScanResult } from '../types.js';
import { entriesFor, parseBaseline, readBaseline, updateBaseline, writeBaseline, type Baseline, type BaselineEntry } from '../config/baseline.js';
import { readIndexFile } from '../sources/index-file.js';
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
   * baseline). `indexRoot` (the hook): a baseline inside this work tree is read from the index when it is staged
   * there, so an unstaged edit cannot hide a new secret from the commit.
   */
  static async open(args: BaselineArgs, cwd: string, options: { fresh?: boolean; indexRoot?: string | undefined; env?: NodeJS.ProcessEnv } = {}): Promise<BaselineRun | undefined> {
    if (args.baselineUpdate && !args.baseline) throw new UsageError('--baseline-update: name the baseline with --baseline FILE (keyguard baseline writes a new one)');
    if (!args.baseline) return undefined;
    const file = args.baseline;
    const abs = resolve(cwd, file);
    if (options.fresh) return new BaselineRun(file, abs, [], true);
    let read: Result<Baseline> | { ok: 'missing' } | undefined;
    const rel = options.indexRoot ? relative(options.indexRoot, abs) : '';
    if (options.indexRoot && rel && !rel.startsWith('..') && !isAbsolute(rel)) {
      const staged = await readIndexFile(options.indexRoot, rel.split(sep).join('/'), options.env);
      if (staged) read = parseBaseline(staged.toString('utf8'));
    }
    read ??= readBaseline(abs);
    if (read.ok === 'missing') {
      if (args.baselineUpdate) return new BaselineRun(file, abs, [], true);
      throw new UsageError(`--baseline ${file}: no such file; create it with keyguard baseline --output ${file}`);
    }
    if (!read.ok) throw new UsageError(`--baseline ${file}: ${read.errors[0]}; fix it or write a new one with keyguard baseline --output ${file}`);
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
