// The GitHub Action: pick what to scan from the event, scan in-process through the CLI's own set-up and the
// composition root (src/scan/), then write the annotations, the job summary, the SARIF file and the outputs, and
// fail the step on findings.
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import * as core from '@actions/core';
import { createRun, endRun } from '../cli/run-state.js';
import { parseFlags } from '../cli/flags.js';
import { scanFiles, type ScanArgs } from '../cli/commands/scan.js';
import { scanHistoryOf, type HistoryArgs } from '../cli/commands/history.js';
import { UsageError } from '../cli/errors.js';
import { VERSION } from '../cli/run-io.js';
import { builtinRulesDir } from '../config/rules.js';
import { readRuleDir } from '../config/rule-file.js';
import { renderGithub } from '../report/github.js';
import { renderSarif } from '../report/sarif.js';
import { renderSummary } from '../report/summary.js';
import { GitError, runGit } from '../sources/git.js';
import type { ReportOptions, Rule, ScanResult } from '../types.js';
import { parseMode, planScan, type ScanPlan } from './plan.js';
import type { Scope } from '../scope.js';

/** An error the workflow author can fix: the step fails with this one line. */
class ActionError extends Error {}

const FETCH_DEPTH = 'set fetch-depth: 0 on actions/checkout (with: fetch-depth: 0) so the whole history is there';

interface Env {
  workspace: string;
  env: NodeJS.ProcessEnv;
  /** Owns the git processes (see src/scope.ts). */
  scope?: Scope | undefined;
}

async function hasCommit(rev: string, { workspace, env, scope }: Env): Promise<boolean> {
  const r = await runGit(['cat-file', '-e', `${rev}^{commit}`], { cwd: workspace, env, ...(scope ? { scope } : {}) });
  return r.code === 0;
}

async function isShallow({ workspace, env, scope }: Env): Promise<boolean> {
  const r = await runGit(['rev-parse', '--is-shallow-repository'], { cwd: workspace, env, ...(scope ? { scope } : {}) });
  return r.stdout.toString().trim() === 'true';
}

async function newBranchArgs(plan: Extract<ScanPlan, { type: 'new-branch' }>, e: Env): Promise<string[]> {
  if (!(await hasCommit(plan.head, e))) throw new ActionError(`commit ${plan.head} is not in the checkout; ${FETCH_DEPTH}`);
  const base = plan.defaultBranch ? `refs/remotes/origin/${plan.defaultBranch}` : undefined;
  if (base && (await hasCommit(base, e))) {
    core.info(`keyguard: new branch: scanning its commits that are not on ${plan.defaultBranch}`);
    return ['history', '--range', `${base}..${plan.head}`];
  }
  if (await isShallow(e)) throw new ActionError(`a new branch was pushed and this checkout is shallow, so its history cannot be scanned; ${FETCH_DEPTH}`);
  core.info('keyguard: new branch: scanning all of its history');
  return ['history', '--branch', plan.head];
}

/** The keyguard command line for a plan, after checking the commits it needs are in the checkout. */
async function commandFor(plan: ScanPlan, e: Env): Promise<string[] | undefined> {
  switch (plan.type) {
    case 'nothing':
      return undefined;
    case 'scan':
      return ['scan', '.'];
    case 'history':
      if (await isShallow(e)) core.warning(`keyguard: this checkout is shallow, so only part of the history is scanned; ${FETCH_DEPTH}`);
      return ['history'];
    case 'new-branch':
      return newBranchArgs(plan, e);
    case 'range': {
      const absent: string[] = [];
      for (const rev of [plan.base, plan.head]) if (!(await hasCommit(rev, e))) absent.push(rev);
      if (absent.length === 0) return ['history', '--range', `${plan.base}..${plan.head}`];
      const shallow = await isShallow(e);
      // A force-push can drop `before` from the repository altogether: scan the new head as a new branch.
      if (plan.event === 'push' && !shallow && absent.length === 1 && absent[0] === plan.base) {
        core.warning(`keyguard: the commit before this push (${plan.base.slice(0, 7)}) is not in the repository (force-push?); scanning the pushed branch instead`);
        return newBranchArgs({ type: 'new-branch', head: plan.head, event: plan.event, why: plan.why }, e);
      }
      throw new ActionError(
        `commit ${absent.map((x) => x.slice(0, 12)).join(' and ')} ${absent.length > 1 ? 'are' : 'is'} not in the checkout${shallow ? ' (it is a shallow clone)' : ''}; ${FETCH_DEPTH}`,
      );
    }
  }
}

function readEvent(env: NodeJS.ProcessEnv): unknown {
  const path = env['GITHUB_EVENT_PATH'];
  if (!path) return {};
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ActionError(`GITHUB_EVENT_PATH ${path}: cannot read the event payload (${(err as Error).message})`);
  }
}

function loadRules(): Rule[] {
  const loaded = readRuleDir(builtinRulesDir());
  return loaded.ok ? loaded.value : [];
}

const EMPTY: ScanResult = { mode: 'history', findings: [], skipped: [], stats: { files: 0, bytes: 0, binary: 0, skipped: 0, findings: 0, durationMs: 0 }, notes: [] };

/**
 * Scan in-process, as the CLI would for `argv` (its flags read from the same table, src/cli/flags.ts), through the
 * same set-up and composition root, and hand back the result itself. Its warnings go to the log.
 */
async function scanFor(argv: string[], workspace: string, env: NodeJS.ProcessEnv, scope: Scope | undefined): Promise<ScanResult> {
  const name = argv[0] === 'scan' ? 'scan' : 'history';
  const parsed = parseFlags(name, argv.slice(1));
  if (!parsed.ok) throw new ActionError('error' in parsed ? parsed.error : `cannot run keyguard ${argv.join(' ')}`);
  // Machine-readable settings: warn-only matches go to the result's notes, nothing is coloured.
  const args = { ...parsed.args, format: 'json' as const, color: false };
  // GITHUB_STEP_SUMMARY is left out: the action writes the summary itself, once.
  const { GITHUB_STEP_SUMMARY: _summary, ...scanEnv } = env;
  const state = createRun({
    cwd: workspace,
    env: { ...scanEnv, NO_COLOR: '1' },
    stdin: Readable.from([]),
    stdoutIsTTY: false,
    stderrIsTTY: false,
    now: () => performance.now(),
    today: () => new Date().toISOString().slice(0, 10),
    ...(scope ? { scope: scope.child() } : {}),
  });
  try {
    const scanned =
      name === 'scan'
        ? await scanFiles({ ...(args as unknown as ScanArgs), paths: parsed.positionals.length > 0 ? parsed.positionals : ['.'] }, state)
        : await scanHistoryOf(args as unknown as HistoryArgs, state);
    return scanned.result;
  } catch (err) {
    if (err instanceof UsageError || err instanceof GitError) throw new ActionError(err.message.replace(/\s*\n\s*/g, ' ').trim());
    throw err;
  } finally {
    await endRun(state);
    for (const line of state.out.stderr.split('\n').filter(Boolean)) {
      if (/warning/i.test(line)) core.warning(line);
      else core.info(line);
    }
  }
}

/**
 * Run the action; every outcome is reported through @actions/core (exit code 1 on failure). `scope` owns every git
 * process started (main.ts closes it on a signal); the scan itself ends what it started before it returns.
 */
export async function runAction(env: NodeJS.ProcessEnv = process.env, scope?: Scope): Promise<void> {
  try {
    const workspace = env['GITHUB_WORKSPACE'] || process.cwd();
    const e: Env = { workspace, env, scope };
    const mode = parseMode(core.getInput('mode'));
    if (!mode.ok) throw new ActionError(mode.errors[0]!);
    const failInput = core.getInput('fail-on-findings').trim().toLowerCase();
    if (!['', 'true', 'false'].includes(failInput)) throw new ActionError(`input fail-on-findings: "${failInput}" is not true or false`);
    const failOnFindings = failInput !== 'false';
    const verifyInput = core.getInput('verify').trim().toLowerCase();
    if (!['', 'true', 'false'].includes(verifyInput)) throw new ActionError(`input verify: "${verifyInput}" is not true or false`);
    const inlineInput = core.getInput('inline-allow').trim().toLowerCase();
    if (!['', 'true', 'false'].includes(inlineInput)) throw new ActionError(`input inline-allow: "${inlineInput}" is not true or false`);
    const sarifInput = core.getInput('sarif-file');
    const sarifFile = resolve(workspace, sarifInput || 'keyguard.sarif');
    const planned = planScan(mode.value, env['GITHUB_EVENT_NAME'] ?? '', readEvent(env), env['GITHUB_SHA']);
    if (!planned.ok) throw new ActionError(planned.errors[0]!);
    const plan = planned.value;
    core.info(`keyguard: ${plan.why}`);
    const command = await commandFor(plan, e);

    let result = EMPTY;
    if (command) {
      const config = core.getInput('config');
      const baseline = core.getInput('baseline');
      // In a range (pull_request, push) the CLI reads the configuration and the baseline at the base of the range, a
      // file named here included when it is inside the repository: a pull request cannot switch its own check off.
      const argv = [
        ...command,
        ...(config ? ['--config', config] : []),
        ...(baseline ? ['--baseline', baseline] : []),
        ...(verifyInput === 'true' ? ['--verify'] : []),
        ...(inlineInput === 'false' ? ['--no-inline-allow'] : []),
      ];
      core.info(`keyguard ${argv.join(' ')}`);
      result = await scanFor(argv, workspace, env, scope);
    }

    const options: ReportOptions = { color: false, toolVersion: VERSION, today: new Date().toISOString().slice(0, 10), rules: loadRules() };
    process.stdout.write(renderGithub(result, options));
    try {
      writeFileSync(sarifFile, renderSarif(result, options));
    } catch (err) {
      throw new ActionError(`input sarif-file ${sarifInput || 'keyguard.sarif'}: cannot write it (${(err as Error).message})`);
    }
    if (env['GITHUB_STEP_SUMMARY']) await core.summary.addRaw(renderSummary(result, options)).write();
    const n = result.findings.length;
    core.setOutput('findings', n);
    core.setOutput('sarif-file', sarifFile);
    if (n > 0) {
      const credentials = new Set(result.findings.map((f) => f.credential)).size;
      const message = `keyguard found ${n} leaked credential finding${n === 1 ? '' : 's'} (${credentials} distinct credential${credentials === 1 ? '' : 's'}); rotate ${credentials === 1 ? 'it' : 'them'}: the job summary has the steps`;
      if (failOnFindings) core.setFailed(message);
      else core.warning(`${message} (fail-on-findings is false, so the step passes)`);
    }
  } catch (err) {
    if (err instanceof ActionError) core.setFailed(`keyguard: ${err.message}`);
    else core.setFailed(`keyguard: internal error: ${(err as Error).message} (please report it)`);
  }
}
