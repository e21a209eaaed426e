// Merge keyguard into a lefthook.yml without losing the user's comments or layout.
import { parseDocument, isMap, isSeq, isScalar, YAMLMap, YAMLSeq, type Document } from 'yaml';
import { FIND_COMMAND, FIND_PRE_PUSH, OLD_NPX_COMMAND, LEFTHOOK_SNIPPET, LEFTHOOK_PRE_PUSH_SNIPPET } from './snippets.js';

export type MergeResult = { ok: true; text: string; changed: boolean } | { ok: false; message: string };

interface Job {
  hook: 'pre-commit' | 'pre-merge-commit' | 'pre-push';
  run: string;
  useStdin?: boolean;
}

/** The jobs keyguard adds: pre-commit and pre-merge-commit, and pre-push when asked. */
export function lefthookJobs(prePush: boolean): Job[] {
  return [
    { hook: 'pre-commit', run: FIND_COMMAND },
    { hook: 'pre-merge-commit', run: FIND_COMMAND },
    ...(prePush ? [{ hook: 'pre-push' as const, run: FIND_PRE_PUSH, useStdin: true }] : []),
  ];
}

/** A job or command whose `run` mentions keyguard: the user's own, or ours from before. */
function keyguardEntry(node: unknown): YAMLMap | undefined {
  if (!isMap(node)) return undefined;
  const run = node.get('run', true);
  return isScalar(run) && typeof run.value === 'string' && /\bkeyguard\b/.test(run.value) ? node : undefined;
}

/** A file whose hooks use lefthook 1.x `commands:` (and no `jobs:`) gets keyguard's new hooks in that style too. */
function usesCommands(doc: Document): boolean {
  const hooks = isMap(doc.contents) ? doc.contents.items.map((p) => p.value).filter(isMap) : [];
  return hooks.some((h) => h.has('commands')) && !hooks.some((h) => h.has('jobs'));
}

function addJob(doc: Document, job: Job): 'added' | 'updated' | 'present' | string {
  let hook = doc.get(job.hook);
  if (hook === undefined || hook === null) {
    doc.set(job.hook, doc.createNode(usesCommands(doc) ? { commands: {} } : { jobs: [] }));
    hook = doc.get(job.hook);
  }
  if (!isMap(hook)) return `${job.hook} is not a mapping`;
  const entry = { run: job.run, ...(job.useStdin ? { use_stdin: true } : {}) };
  const commands = hook.get('commands');
  // lefthook 1.x style
  const v1 = isMap(commands) && !hook.has('jobs');
  const existing = v1 ? commands.items.map((p) => keyguardEntry(p.value)).find(Boolean) : (() => {
    const jobs = hook.get('jobs');
    return isSeq(jobs) ? jobs.items.map(keyguardEntry).find(Boolean) : undefined;
  })();
  if (existing) {
    // keyguard's job of earlier versions ran `npx --no-install keyguard staged`, which fails when keyguard is only on PATH.
    if (existing.get('run') === OLD_NPX_COMMAND) {
      existing.set('run', job.run);
      return 'updated';
    }
    return 'present';
  }
  if (v1) {
    commands.set('keyguard', doc.createNode(entry));
    return 'added';
  }
  let jobs = hook.get('jobs');
  if (jobs === undefined || jobs === null) {
    hook.set('jobs', new YAMLSeq());
    jobs = hook.get('jobs');
  }
  if (!isSeq(jobs)) return `${job.hook}.jobs is not a list`;
  jobs.add(doc.createNode({ name: 'keyguard', ...entry }));
  return 'added';
}

export function mergeLefthookConfig(existing: string | undefined, prePush = false): MergeResult {
  if (existing === undefined || existing.trim() === '') return { ok: true, text: `${LEFTHOOK_SNIPPET}${prePush ? LEFTHOOK_PRE_PUSH_SNIPPET : ''}`, changed: true };
  const doc = parseDocument(existing);
  if (doc.errors.length > 0) return { ok: false, message: `not valid YAML (${doc.errors[0]!.message.split('\n')[0]})` };
  if (doc.contents === null) doc.contents = new YAMLMap() as never;
  if (!isMap(doc.contents)) return { ok: false, message: 'the top level is not a mapping' };
  let changed = false;
  for (const job of lefthookJobs(prePush)) {
    const r = addJob(doc, job);
    if (r === 'added' || r === 'updated') changed = true;
    else if (r !== 'present') return { ok: false, message: r };
  }
  return changed ? { ok: true, text: doc.toString(), changed } : { ok: true, text: existing, changed: false };
}
