// The composition root: every way keyguard scans (the CLI's scan, staged and history, the GitHub Action) comes
// here with a plan, and only here are a source, the detectors, the filters, the worker threads and --verify wired
// together. `scan(plan, deps)` returns the result; what to print and the exit code are the caller's.
//
//   plan  which source (tree, staged, history; standard input within tree), which rules, which suppression, whether
//         to show secrets and whether to verify
//   deps  the outside world: the clock, the environment, the current folder, standard input and the run's scope
//         (which owns every git process, socket and thread started here)
import type { Finding, RawFinding, ScanResult, SourceEvent } from '../types.js';
import type { RuleSet } from '../detect/engine.js';
import { createKeywordGate } from '../detect/gate.js';
import type { Suppression } from '../filter/pipeline.js';
import { createGitLists, prefetchGitLists, readTree, type GitLists } from '../sources/tree.js';
import { readStdin } from '../sources/stdin.js';
import { readStaged } from '../sources/staged.js';
import { readBlobs, readWindowFacts, readWindowGit, type HistoryRead, type RepoFacts, type WindowGit } from '../sources/history.js';
import type { ReadOptions } from '../sources/cat-file.js';
import { keepVerifiableSecrets, MAX_CONCURRENT, verifyCredentials, withVerification } from '../verify/verify.js';
import type { Scope } from '../scope.js';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runGit } from '../sources/git.js';
import type { ReadFindingBytes } from '../sources/pkcs12-content.js';
import { createDetectPool, type DetectPool, type WorkerFailure } from './detect-pool.js';
import { scanEvents, scanHistory } from './scan.js';

/** Files and folders on disk, and standard input when `stdinName` is set. */
export interface TreePlan {
  kind: 'tree';
  paths: string[];
  /** Read standard input too, shown under this name. */
  stdinName?: string;
  gitignore: boolean;
  maxFileSize?: number;
  /** Files never scanned (the report being written). */
  exclude?: string[];
  /** git's lists of each folder's files, if the caller started asking for them already (see startTreeLists). */
  gitLists?: GitLists;
}

/** What `git commit` would record. */
export interface StagedPlan {
  kind: 'staged';
  root: string;
  allLines: boolean;
  /** The staged diff, if the caller started it already (startStagedDiff) so git works while the set-up loads. */
  diff?: Promise<Buffer>;
}

/** Commits: the history being read (opened by the caller, who may start it before the set-up loads). */
export interface HistoryPlan {
  kind: 'history';
  root: string;
  read: HistoryRead;
  facts: RepoFacts;
  /** The log lists every ref, so it holds the whole commit graph the exposure windows need. */
  everyRef: boolean;
  /** Detection threads (see PoolPlan). */
  pool?: PoolPlan | undefined;
  /** How the clone's shape limits reading (a partial clone: only the objects present; see sources/clone-shape.ts). */
  readOptions?: Partial<ReadOptions> | undefined;
}

/** Worker threads for a big history. */
export interface PoolPlan {
  workerUrl: URL;
  size: number;
  /** Start them once this many bytes were scanned on the main thread (0: at once). */
  afterBytes: number;
  /** Tests only: make a worker fail (see WorkerFailure). */
  failForTest?: WorkerFailure;
  /** KEYGUARD_DEBUG: say on stderr when the threads start. */
  debug?: boolean;
}

/** --verify: one request per API key or auth key found, after the scan. */
export interface VerifyPlan {
  base: string;
  timeoutSeconds: number;
  userAgent: string;
}

export interface ScanPlan {
  source: TreePlan | StagedPlan | HistoryPlan;
  ruleSet: RuleSet;
  suppression: { suppress: Suppression; keepBaselined?: (findings: Finding[]) => void };
  showSecrets: boolean;
  verify?: VerifyPlan | undefined;
  /** Progress for a long scan (see Progress). */
  progress?: ((unit: string, total: () => number | undefined) => Progress | undefined) | undefined;
}

/** Told what was scanned so far; stopped when the scan is over. */
export type Progress = ((done: { files: number; bytes: number }) => void) & { stop(): void };

export interface ScanDeps {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Monotonic milliseconds. */
  now: () => number;
  stdin: NodeJS.ReadableStream;
  /** Owns the git processes, sockets and threads the scan starts. */
  scope: Scope;
  /** The git work tree around a folder (the caller caches it; default: ask git each time). */
  workTreeOf?: (dir: string) => Promise<string | undefined>;
  /** A line for standard error (KEYGUARD_DEBUG only). */
  debug?: (line: string) => void;
}

/**
 * Ask git for the lists of the work trees around `paths` now, so it works while the set-up loads; hand the result to
 * the tree plan's `gitLists`.
 */
export function startTreeLists(paths: string[], deps: Pick<ScanDeps, 'env' | 'cwd' | 'scope' | 'workTreeOf'>): GitLists {
  const lists = createGitLists({ env: deps.env, scope: deps.scope, ...(deps.workTreeOf ? { workTree: deps.workTreeOf } : {}) });
  prefetchGitLists(lists, paths, deps.cwd);
  return lists;
}

/** Scan what the plan names, and return the result, verified when the plan asks for it. */
export async function scan(plan: ScanPlan, deps: ScanDeps): Promise<ScanResult> {
  // --verify: the raw secrets of API keys and auth keys, in this function's memory until they were checked.
  const secrets = plan.verify ? new Map<string, string>() : undefined;
  const source = plan.source;
  const common = {
    ruleSet: plan.ruleSet,
    readFindingBytes: findingBytesReader(source, deps),
    showSecrets: plan.showSecrets,
    now: deps.now,
    ...plan.suppression,
    ...(secrets ? { keepSecrets: (raw: readonly RawFinding[]) => keepVerifiableSecrets(raw, secrets) } : {}),
  };
  let result: ScanResult;
  if (source.kind === 'history') result = await scanCommits(source, plan, deps, common);
  else {
    const listed = { files: 0 };
    const progress = source.kind === 'tree' ? plan.progress?.('files', () => listed.files || undefined) : undefined;
    try {
      const events = source.kind === 'tree' ? treeEvents(source, plan.ruleSet, deps, listed) : stagedEvents(source, plan.ruleSet, deps);
      result = await scanEvents(events, { mode: source.kind === 'tree' ? 'scan' : 'staged', ...common, ...(progress ? { onProgress: progress } : {}) });
    } finally {
      progress?.stop();
    }
  }
  if (!plan.verify || !secrets) return result;
  return verified(result, secrets, plan.verify, deps.env);
}

/**
 * How to read the bytes of a file found by its name (a .p12 judged by its content): from disk in a tree scan, from the
 * index in a staged scan, by blob id in history. Undefined when it cannot be read: the finding by name then stands.
 */
function findingBytesReader(source: ScanPlan['source'], deps: ScanDeps): ReadFindingBytes {
  const blob = async (root: string, object: string): Promise<Uint8Array | undefined> => {
    const r = await runGit(['cat-file', 'blob', object], { cwd: root, env: deps.env, scope: deps.scope });
    return r.code === 0 ? r.stdout : undefined;
  };
  if (source.kind === 'tree') return (f) => readFile(resolve(deps.cwd, f.file)).then((b) => b as Uint8Array, () => undefined);
  if (source.kind === 'staged') return (f) => blob(source.root, `:${f.file}`);
  return (f) => (f.blobId ? blob(source.root, f.blobId) : Promise.resolve(undefined));
}

async function* treeEvents(plan: TreePlan, ruleSet: RuleSet, deps: ScanDeps, listed: { files: number }): AsyncGenerator<SourceEvent> {
  if (plan.stdinName !== undefined) yield* readStdin(deps.stdin, plan.stdinName);
  if (plan.paths.length === 0) return;
  const gate = createKeywordGate(ruleSet);
  yield* readTree({
    paths: plan.paths,
    cwd: deps.cwd,
    gitignore: plan.gitignore,
    env: deps.env,
    scope: deps.scope,
    ...(deps.workTreeOf ? { workTree: deps.workTreeOf } : {}),
    ...(plan.gitLists ? { gitLists: plan.gitLists } : {}),
    ...(gate ? { gate } : {}),
    ...(plan.maxFileSize !== undefined ? { maxFileSize: plan.maxFileSize } : {}),
    ...(plan.exclude ? { exclude: plan.exclude } : {}),
    onListed: (n: number) => (listed.files += n),
  });
}

function stagedEvents(plan: StagedPlan, ruleSet: RuleSet, deps: ScanDeps): AsyncIterable<SourceEvent> {
  // The JavaScript gate: on a commit's few files, compiling the WebAssembly one at start-up would cost more than it saves.
  const gate = createKeywordGate(ruleSet, { engine: 'js' });
  return readStaged({ root: plan.root, env: deps.env, allLines: plan.allLines, scope: deps.scope, ...(plan.diff ? { diff: plan.diff } : {}), ...(gate ? { gate } : {}) });
}

async function scanCommits(plan: HistoryPlan, scanPlan: ScanPlan, deps: ScanDeps, common: Omit<Parameters<typeof scanHistory>[1], 'mode'>): Promise<ScanResult> {
  const { root, read, facts } = plan;
  const git = { root, env: deps.env, scope: deps.scope };
  const gate = createKeywordGate(scanPlan.ruleSet);
  const progress = scanPlan.progress?.('blobs', read.total);
  // The exposure windows' git calls start at the first secret found, hidden behind the rest of the scan (and made
  // while Node's heap is small, which makes each git start cheaper); a rejection waits for readWindowFacts. A log of
  // every ref lists the whole commit graph itself (its commits fill in as it is read, and it is read by the time
  // the windows are worked out).
  let windowGit: Promise<WindowGit> | undefined;
  const startWindowGit = (): Promise<WindowGit> => {
    if (!windowGit) (windowGit = readWindowGit(git, { head: { sha: facts.head }, ...(plan.everyRef ? { graph: read.commits } : {}) })).catch(() => undefined);
    return windowGit;
  };
  const pool = plan.pool;
  try {
    return await scanHistory(
      { ...read, readMore: (oids) => readBlobs(oids, { ...git, readers: 1, ...plan.readOptions }), stashOnly: facts.stashOnly },
      {
        mode: 'history',
        ...common,
        windowFacts: (commits) => readWindowFacts(git, commits, startWindowGit()),
        prepareWindowFacts: () => void startWindowGit(),
        ...(progress ? { onProgress: progress } : {}),
        ...(gate ? { gate } : {}),
        ...(pool
          ? {
              pool: {
                afterBytes: pool.afterBytes,
                start: (): DetectPool => {
                  if (pool.debug) deps.debug?.(`keyguard: detecting on ${pool.size} worker threads`);
                  return createDetectPool(pool.workerUrl, scanPlan.ruleSet.rules, pool.size, { scope: deps.scope, ...(pool.failForTest ? { failForTest: pool.failForTest } : {}) });
                },
              },
            }
          : {}),
      },
    );
  } finally {
    progress?.stop();
  }
}

/**
 * --verify, after the scan and before the report: one GET /v1beta/models per API key or auth key (never per finding),
 * `verification` on every finding. The only network access in keyguard.
 */
async function verified(result: ScanResult, secrets: Map<string, string>, plan: VerifyPlan, env: NodeJS.ProcessEnv): Promise<ScanResult> {
  try {
    if (result.findings.length === 0) return result;
    // Loaded only here: the hook's path and every scan without --verify never load the HTTP client.
    const { createGoogleClient } = await import('../verify/http.js');
    const client = createGoogleClient(plan.base, { env, timeoutSeconds: plan.timeoutSeconds, userAgent: plan.userAgent });
    try {
      return withVerification(result, await verifyCredentials(result.findings, secrets, { probe: (key) => client.probe(key), concurrency: MAX_CONCURRENT }));
    } finally {
      await client.close();
    }
  } finally {
    secrets.clear();
  }
}
