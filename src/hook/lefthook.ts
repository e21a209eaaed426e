// Merge keyguard into a lefthook.yml without losing the user's comments or layout.
import { parseDocument, isMap, isSeq, YAMLMap, YAMLSeq } from 'yaml';
import { NPX_COMMAND, LEFTHOOK_SNIPPET } from './snippets.js';

export type MergeResult = { ok: true; text: string; changed: boolean } | { ok: false; message: string };

export function mergeLefthookConfig(existing: string | undefined): MergeResult {
  if (existing === undefined || existing.trim() === '') return { ok: true, text: LEFTHOOK_SNIPPET, changed: true };
  if (/\bkeyguard\s+staged\b/.test(existing)) return { ok: true, text: existing, changed: false };
  const doc = parseDocument(existing);
  if (doc.errors.length > 0) return { ok: false, message: `not valid YAML (${doc.errors[0]!.message.split('\n')[0]})` };
  if (doc.contents === null) doc.contents = new YAMLMap() as never;
  if (!isMap(doc.contents)) return { ok: false, message: 'the top level is not a mapping' };
  let hook = doc.get('pre-commit');
  if (hook === undefined || hook === null) {
    doc.set('pre-commit', doc.createNode({ jobs: [] }));
    hook = doc.get('pre-commit');
  }
  if (!isMap(hook)) return { ok: false, message: 'pre-commit is not a mapping' };
  const commands = hook.get('commands');
  if (isMap(commands) && !hook.has('jobs')) {
    // lefthook 1.x style
    commands.set('keyguard', doc.createNode({ run: NPX_COMMAND }));
  } else {
    let jobs = hook.get('jobs');
    if (jobs === undefined || jobs === null) {
      hook.set('jobs', new YAMLSeq());
      jobs = hook.get('jobs');
    }
    if (!isSeq(jobs)) return { ok: false, message: 'pre-commit.jobs is not a list' };
    jobs.add(doc.createNode({ name: 'keyguard', run: NPX_COMMAND }));
  }
  return { ok: true, text: doc.toString(), changed: true };
}
