// What every command gets: the outside world (injected, so tests run commands in-process),
// the common options, and the shared steps (load rules, render and write a report, pick the exit code).
import { writeFileSync, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Rule, ScanResult } from '../types.js';
import { builtinRulesDir, formatRuleError, readRuleDir } from '../config/rules.js';
import { createRuleSet, type RuleSet } from '../detect/engine.js';
import { reporters, type ReportFormat } from '../report/index.js';
import { UsageError } from './errors.js';
import { findWorkTree } from '../sources/git.js';

declare const __KEYGUARD_VERSION__: string | undefined;
export const VERSION = typeof __KEYGUARD_VERSION__ === 'string' ? __KEYGUARD_VERSION__ : '0.0.0-dev';

export interface RunIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdin: NodeJS.ReadableStream;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Monotonic milliseconds. */
  now: () => number;
  /** Today as YYYY-MM-DD. */
  today: () => string;
  /** The node binary and CLI script running now, for hooks that must find keyguard again. */
  self?: { node: string; cli: string };
  /** Live progress on stderr (TTY only); tests leave it out. */
  progress?: (line: string) => void;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface CommonArgs {
  format: ReportFormat;
  output?: string;
  showSecrets: boolean;
  color?: boolean;
  quiet: boolean;
  exitCode: number;
}

export class Context {
  stdout = '';
  stderr = '';
  private rules: Rule[] | undefined;

  constructor(readonly io: RunIO) {}

  warn(line: string): void {
    this.stderr += `${line}\n`;
  }

  /** The git work tree around the current folder, or a usage error naming the command that needs one. */
  async requireWorkTree(command: string): Promise<string> {
    const root = await findWorkTree(this.io.cwd, this.io.env);
    if (!root) throw new UsageError(`${this.io.cwd}: not inside a git work tree; run ${command} in a git repository`);
    return root;
  }

  loadRules(): Rule[] {
    if (this.rules) return this.rules;
    const loaded = readRuleDir(builtinRulesDir());
    if (!loaded.ok) {
      const first = loaded.errors[0]!;
      const more = loaded.errors.length > 1 ? ` (and ${loaded.errors.length - 1} more)` : '';
      throw new UsageError(`${formatRuleError(first)}${more}: fix the rule file`);
    }
    this.rules = loaded.value;
    return this.rules;
  }

  loadRuleSet(): RuleSet {
    return createRuleSet(this.loadRules());
  }

  useColor(args: CommonArgs): boolean {
    if (args.color === false || args.output) return false;
    if (this.io.env['NO_COLOR'] !== undefined && this.io.env['NO_COLOR'] !== '') return false;
    if (args.color === true || this.io.env['FORCE_COLOR']) return true;
    return this.io.stdoutIsTTY && args.format === 'text';
  }

  /** Check --output before scanning, so a bad path fails fast and a scanned file is never overwritten. */
  checkOutput(args: CommonArgs, scanned: string[]): void {
    if (!args.output) return;
    const target = resolve(this.io.cwd, args.output);
    const folder = dirname(target);
    if (!existsSync(folder) || !statSync(folder).isDirectory()) {
      throw new UsageError(`--output ${args.output}: folder ${folder} does not exist; create it or choose another path`);
    }
    if (existsSync(target) && statSync(target).isFile()) {
      for (const p of scanned) {
        const root = resolve(this.io.cwd, p);
        if (target === root || target.startsWith(`${root}/`)) {
          throw new UsageError(`--output ${args.output}: that file is inside the scanned path ${p}; write the report outside it or delete the file first`);
        }
      }
    }
  }

  /** Render a result, write it, and return the exit code for it. */
  report(result: ScanResult, args: CommonArgs): number {
    const rendered = reporters[args.format](result, {
      color: this.useColor(args),
      toolVersion: VERSION,
      today: this.io.today(),
      rules: this.rules ?? [],
    });
    if (args.output) {
      try {
        writeFileSync(resolve(this.io.cwd, args.output), rendered);
      } catch (err) {
        throw new UsageError(`--output ${args.output}: cannot write the report (${(err as Error).message}); choose a writable path`);
      }
      if (!args.quiet) this.warn(result.findings.length > 0 ? `keyguard: ${result.findings.length} findings; report written to ${args.output}` : `keyguard: no leaks found; report written to ${args.output}`);
    } else if (!(args.quiet && args.format === 'text' && result.findings.length === 0)) {
      this.stdout += rendered;
    }
    if (result.skipped.length > 0 && !args.quiet && args.format !== 'text') {
      this.warn(`keyguard: ${result.skipped.length} file(s) skipped (see "skipped" in the report)`);
    }
    if (args.format === 'text' && !args.quiet) {
      for (const s of result.skipped.slice(0, 20)) this.warn(`skipped ${s.path}: ${s.reason}`);
      if (result.skipped.length > 20) this.warn(`… and ${result.skipped.length - 20} more skipped`);
    }
    return result.findings.length > 0 ? args.exitCode : 0;
  }
}
