// What the action scans, decided from its `mode` input and the event that started the workflow. Pure: the event
// payload comes in parsed; whether commits exist locally is checked afterwards, by the runner.
import type { Result } from '../types.js';

export const ACTION_MODES = ['auto', 'history', 'scan'] as const;
export type ActionMode = (typeof ACTION_MODES)[number];

export type ScanPlan =
  /** Commits reachable from head but not from base (a pull request, a push). */
  | { type: 'range'; base: string; head: string; event: string; why: string }
  /** A new branch: its commits not on the default branch when that is known locally, else all of its history. */
  | { type: 'new-branch'; head: string; defaultBranch?: string; event: string; why: string }
  /** Every commit of every ref. */
  | { type: 'history'; why: string }
  /** The files in the workspace. */
  | { type: 'scan'; why: string }
  /** Nothing to scan (a deleted branch). */
  | { type: 'nothing'; why: string };

const ZERO = /^0+$/;
const SHA = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;

// The payload fields used here, as GitHub sends them (webhook payloads for pull_request, push, merge_group).
interface EventPayload {
  pull_request?: { base?: { sha?: string; ref?: string }; head?: { sha?: string; ref?: string }; number?: number };
  merge_group?: { base_sha?: string; head_sha?: string };
  before?: string;
  after?: string;
  ref?: string;
  created?: boolean;
  deleted?: boolean;
  forced?: boolean;
  repository?: { default_branch?: string };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** Parse the `mode` input: one line naming the value and the choices when it is wrong. */
export function parseMode(raw: string): Result<ActionMode> {
  const mode = (raw.trim() || 'auto').toLowerCase();
  if ((ACTION_MODES as readonly string[]).includes(mode)) return { ok: true, value: mode as ActionMode };
  return { ok: false, errors: [`input mode: "${raw}" is not one of ${ACTION_MODES.join(', ')}`] };
}

export function planScan(mode: ActionMode, eventName: string, payload: unknown, sha?: string): Result<ScanPlan> {
  if (mode === 'scan') return { ok: true, value: { type: 'scan', why: 'mode scan: the files in the workspace' } };
  if (mode === 'history') return { ok: true, value: { type: 'history', why: 'mode history: every commit of every ref' } };
  const p = (payload && typeof payload === 'object' ? payload : {}) as EventPayload;
  if (eventName === 'pull_request' || eventName === 'pull_request_target') {
    const base = str(p.pull_request?.base?.sha);
    const head = str(p.pull_request?.head?.sha);
    if (!base || !head) return { ok: false, errors: [`the ${eventName} event payload has no pull_request.base.sha / head.sha; set mode: history to scan everything`] };
    return { ok: true, value: { type: 'range', base, head, event: eventName, why: `pull request${p.pull_request?.number ? ` #${p.pull_request.number}` : ''}: commits ${base.slice(0, 7)}..${head.slice(0, 7)}` } };
  }
  if (eventName === 'merge_group') {
    const base = str(p.merge_group?.base_sha);
    const head = str(p.merge_group?.head_sha);
    if (!base || !head) return { ok: false, errors: ['the merge_group event payload has no merge_group.base_sha / head_sha; set mode: history to scan everything'] };
    return { ok: true, value: { type: 'range', base, head, event: eventName, why: `merge queue: commits ${base.slice(0, 7)}..${head.slice(0, 7)}` } };
  }
  if (eventName === 'push') {
    const after = str(p.after) ?? sha;
    const before = str(p.before);
    if (p.deleted || !after || ZERO.test(after)) return { ok: true, value: { type: 'nothing', why: `push deleted ${p.ref ?? 'a ref'}: nothing to scan` } };
    const defaultBranch = str(p.repository?.default_branch);
    if (!before || ZERO.test(before) || !SHA.test(before)) {
      return {
        ok: true,
        value: { type: 'new-branch', head: after, ...(defaultBranch ? { defaultBranch } : {}), event: eventName, why: `push of a new ref ${p.ref ?? ''}`.trimEnd() },
      };
    }
    return { ok: true, value: { type: 'range', base: before, head: after, event: eventName, why: `push: commits ${before.slice(0, 7)}..${after.slice(0, 7)}` } };
  }
  return { ok: true, value: { type: 'history', why: `${eventName || 'this'} event: every commit of every ref` } };
}
