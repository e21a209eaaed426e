// What a scan is set up with, read once and returned as a value: the configuration, the rules, the suppression
// layers (inline markers, allowlists, the baseline) and the --verify plan. Nothing here must be called before
// anything else: readSetup does it all, in order, for the place being scanned.
import { existsSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { Finding, Rule } from '../types.js';
import { builtinRulesDir, formatRuleError, loadRuleDir } from '../config/rules.js';
import { activeRules, readProjectConfig } from '../config/read-config.js';
import { DEFAULT_CONFIG, formatConfigError, type ProjectConfig } from '../config/config-types.js';
import { createRuleSet, type RuleSet } from '../detect/engine.js';
import type { Suppression } from '../filter/pipeline.js';
import type { TrustedSource } from '../sources/git-file.js';
import { parseApiBase } from '../verify/api-base.js';
import type { PoolPlan, VerifyPlan } from '../scan/index.js';
import { BaselineRun } from './baseline-run.js';
import { UsageError } from './errors.js';
import { VERSION, type CommonArgs, type RunIO } from './run-io.js';
import { warn, workTreeOf, type Run } from './run-state.js';

/** Below this, starting worker threads costs more than it saves. */
const POOL_AFTER_BYTES = 16 * 1024 * 1024;

/** Where the scan runs: the work tree of what is scanned, and where a configuration inside it is read from. */
export interface Where {
  /** The work tree of what is scanned (else found from `scanPath`, else the current folder's). */
  root?: string | undefined;
  /** `keyguard scan`'s first path: paths are reported relative to the current folder. */
  scanPath?: string;
  /** Read the configuration and the baseline inside the repository from git: the index (the hook), a range's base. */
  from?: TrustedSource | undefined;
}

/** The configuration and the rules it turns on. */
export interface RuleSetup {
  config: ProjectConfig;
  rules: Rule[];
  /** The work tree root, with forward slashes. */
  workRoot?: string | undefined;
  /** Where the scan runs, relative to the work tree root ('' at the root): allowlists and baselines are root-relative. */
  pathPrefix: string;
  /** Where the configuration was read from, when not the disk. */
  trusted?: TrustedSource | undefined;
}

export interface Setup extends RuleSetup {
  ruleSet: RuleSet;
  suppression: { suppress: Suppression; keepBaselined?: (findings: Finding[]) => void };
  /** --baseline, read (and with --baseline-update, to be rewritten after the scan). */
  baseline?: BaselineRun | undefined;
  /** --verify (or `verify: true` in the configuration, unless --no-verify). */
  verify?: VerifyPlan | undefined;
}

async function builtinRules(): Promise<Rule[]> {
  const loaded = await loadRuleDir(builtinRulesDir());
  if (loaded.ok) return loaded.value;
  const first = loaded.errors[0]!;
  const more = loaded.errors.length > 1 ? ` (and ${loaded.errors.length - 1} more)` : '';
  throw new UsageError(`${formatRuleError(first)}${more}: fix the rule file`);
}

/** The built-in rules as the default configuration turns them on (no project configuration read). */
export async function readBuiltinRules(): Promise<Rule[]> {
  return activeRules(await builtinRules(), DEFAULT_CONFIG);
}

/**
 * The project configuration and its rules (src/config/read-config.ts says where the configuration is looked up). Its
 * warnings go to standard error unless --quiet.
 */
export async function readRules(run: Run, args: Pick<CommonArgs, 'config' | 'quiet'>, where: Where = {}): Promise<RuleSetup> {
  const io = run.io;
  let root = where.root;
  if (root === undefined) {
    const target = resolve(io.cwd, where.scanPath ?? '.');
    const dir = existsSync(target) && statSync(target).isDirectory() ? target : dirname(target);
    root = await workTreeOf(run, dir);
  }
  const builtins = await builtinRules();
  const loaded = await readProjectConfig({ cwd: io.cwd, env: io.env, explicit: args.config, root, from: where.from, builtins });
  if (!loaded.ok) {
    const more = loaded.errors.length > 1 ? ` (and ${loaded.errors.length - 1} more)` : '';
    throw new UsageError(`${formatConfigError(loaded.errors[0]!)}${more}`);
  }
  if (!args.quiet) for (const w of loaded.value.warnings) warn(run, w);
  const config = loaded.value.config;
  // keyguard scan reports paths relative to the current folder; staged and history, relative to the root already.
  const rel = root && where.scanPath !== undefined ? relative(root, io.cwd) : '';
  return {
    config,
    rules: activeRules(builtins, config),
    pathPrefix: rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : '',
    workRoot: root?.split(sep).join('/'),
    trusted: root ? where.from : undefined,
  };
}

/** --verify's plan, checked before the scan so a typo fails first; undefined without it. */
function verifyPlan(io: RunIO, args: CommonArgs, config: ProjectConfig): VerifyPlan | undefined {
  if (!(args.verify ?? config.verify)) return undefined;
  const base = parseApiBase(io.env);
  if (!base.ok) throw new UsageError(`KEYGUARD_GOOGLE_API_BASE=${io.env['KEYGUARD_GOOGLE_API_BASE']}: ${base.errors[0]}; set it to a URL like https://generativelanguage.googleapis.com or unset it`);
  return { base: base.value, timeoutSeconds: args.verifyTimeout ?? 5, userAgent: `keyguard/${VERSION}` };
}

/**
 * Everything a scan is set up with: the configuration and rules, then the suppression layers: inline markers (unless
 * --no-inline-allow), the configuration's allowlists, then --baseline (read now, so a bad file fails before the
 * scan, from where the configuration was read). In a range scan the findings only a marker hides are listed for review.
 */
export async function readSetup(run: Run, args: CommonArgs, where: Where = {}): Promise<Setup> {
  const rules = await readRules(run, args, where);
  const { config, workRoot, pathPrefix, trusted } = rules;
  const verify = verifyPlan(run.io, args, config);
  const baseline = await BaselineRun.open(args, run.io.cwd, {
    fresh: args.baselineFresh ?? false,
    trusted: trusted && workRoot ? { root: workRoot, source: trusted } : undefined,
    env: run.io.env,
    warn: (line) => !args.quiet && warn(run, line),
  });
  const suppress: Suppression = {
    allowlists: { global: config.allowlist, byRule: config.ruleAllowlists },
    pathPrefix,
    ...(workRoot ? { root: workRoot } : {}),
    ...(args.inlineAllow === false ? { inline: false } : {}),
    ...(trusted?.type === 'revision' ? { reviewInline: true } : {}),
  };
  if (baseline) suppress.baseline = baseline.fingerprints();
  return {
    ...rules,
    ruleSet: createRuleSet(rules.rules),
    suppression: baseline ? { suppress, keepBaselined: (found) => baseline.keep(found) } : { suppress },
    baseline,
    verify,
  };
}

/**
 * Worker threads for a big scan: by default started only after POOL_AFTER_BYTES were scanned on the main thread,
 * so small repositories never pay for them. None without a built worker, on one core, or with --jobs 1.
 */
export function poolPlan(io: RunIO, jobs: number | undefined): PoolPlan | undefined {
  const url = io.workerUrl;
  // By default one thread fewer than cores: the main thread (reading) and git's readers need one. On 2 cores that
  // is none, which the bench measured faster and cheaper than two threads contending with git.
  const size = jobs ?? Math.max(1, (io.cores ?? 1) - 1);
  if (!url || size < 2 || !existsSync(url)) return undefined;
  // Tests only: make a worker fail (see WorkerFailure in scan/detect-pool.ts).
  const injected = io.env['KEYGUARD_TEST_WORKER_FAILURE'];
  const failForTest = injected === 'throw' || injected === 'crash' || injected === 'exit' ? injected : undefined;
  // An explicit --jobs starts the threads at once; the default waits until the scan proves big.
  return { workerUrl: url, size, afterBytes: jobs !== undefined ? 0 : POOL_AFTER_BYTES, ...(failForTest ? { failForTest } : {}), ...(io.env['KEYGUARD_DEBUG'] ? { debug: true } : {}) };
}
