// The bundled action (dist/action.js) run as the GitHub runner runs it: node, INPUT_* variables, an event payload
// file, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. Shared by the action's tests; call cleanupRunners() after them.
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gitEnv, tempDir, type TempRepo } from './git-repo.js';

export const ACTION = fileURLToPath(new URL('../../dist/action.js', import.meta.url));
const runners: string[] = [];

/** Remove the runner folders (event payload, outputs, summary) the runs made. */
export function cleanupRunners(): void {
  for (const r of runners.splice(0)) rmSync(r, { recursive: true, force: true });
}

export interface ActionRun {
  status: number | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

/** GITHUB_OUTPUT as @actions/core writes it: `name<<DELIMITER`, value lines, `DELIMITER`. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<]+)<<(.+)$/.exec(lines[i]!);
    if (!m) continue;
    const value: string[] = [];
    for (i++; i < lines.length && lines[i] !== m[2]; i++) value.push(lines[i]!);
    out[m[1]!] = value.join('\n');
  }
  return out;
}

export function runAction(repo: TempRepo | string, event: { name: string; payload: unknown }, inputs: Record<string, string> = {}, extraEnv: NodeJS.ProcessEnv = {}): ActionRun {
  const { dir, env, collect } = prepareAction(repo, event, inputs, extraEnv);
  const r = spawnSync(process.execPath, [ACTION], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
  return collect(r.status, r.stdout, r.stderr);
}

/** The same, without blocking this process's event loop (so a server in this process can answer the action). */
export function runActionAsync(repo: TempRepo | string, event: { name: string; payload: unknown }, inputs: Record<string, string> = {}, extraEnv: NodeJS.ProcessEnv = {}): Promise<ActionRun> {
  const { dir, env, collect } = prepareAction(repo, event, inputs, extraEnv);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [ACTION], { cwd: dir, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (status) => done(collect(status, stdout, stderr)));
  });
}

function prepareAction(repo: TempRepo | string, event: { name: string; payload: unknown }, inputs: Record<string, string>, extraEnv: NodeJS.ProcessEnv): { dir: string; env: NodeJS.ProcessEnv; collect: (status: number | null, stdout: string, stderr: string) => ActionRun } {
  const dir = typeof repo === 'string' ? repo : repo.dir;
  const runner = tempDir('keyguard-runner-');
  runners.push(runner);
  const eventPath = join(runner, 'event.json');
  writeFileSync(eventPath, JSON.stringify(event.payload));
  writeFileSync(join(runner, 'output'), '');
  writeFileSync(join(runner, 'summary'), '');
  // A clean environment: nothing from a CI run of this test suite leaks in (GITHUB_*, INPUT_*).
  const base = Object.fromEntries(Object.entries(gitEnv()).filter(([k]) => !k.startsWith('GITHUB_') && !k.startsWith('INPUT_') && k !== 'RUNNER_TEMP' && k !== 'KEYGUARD_CONFIG'));
  const env: NodeJS.ProcessEnv = {
    ...base,
    GITHUB_ACTIONS: 'true',
    GITHUB_EVENT_NAME: event.name,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_OUTPUT: join(runner, 'output'),
    GITHUB_STEP_SUMMARY: join(runner, 'summary'),
    GITHUB_WORKSPACE: dir,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...extraEnv,
  };
  const collect = (status: number | null, stdout: string, stderr: string): ActionRun => ({
    status,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(join(runner, 'output'), 'utf8')),
    summary: readFileSync(join(runner, 'summary'), 'utf8'),
  });
  return { dir, env, collect };
}
