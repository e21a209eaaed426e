// The leak-response checklist: what to do about each distinct leaked credential, in the order that avoids downtime.
// Pure: findings in, plain data out. Text, Markdown (job summary) and SARIF (rule help) render the same steps.
// What to say is data: rules/kinds/<kind>.yaml and _shared.yaml (docs/credential-kinds.md), from Google's Gemini API key
// documentation. This file only interprets it: which entries apply to the situation, and the placeholders filled in.
import type { ChecklistConditions, ChecklistEntry, CredentialWindow, Deadline, Finding, Kind, KindData, KindTable, Mode, Severity, SharedKindData, Verification as Verdict } from '../types.js';
import { BUILTIN_KINDS } from '../config/builtin-kinds-data.js';
import { fileHygiene, hygieneSteps, isSecretsFile, shellPath, type FileHygiene } from './advice.js';

/** What a liveness check (--verify) said about a key (`unverified` kinds carry none); live credentials come first. */
export type Verification = Exclude<Verdict['status'], 'unverified'>;

/** The situation that tailors a checklist. */
export interface Situation {
  /** Found by a history scan: in a commit, so deleting the line later does not unpublish it. */
  history: boolean;
  /** Staged but not committed yet. */
  staged: boolean;
  /** In code served to browsers or bundled into an app. */
  client: boolean;
  /** A Firebase web config key: a finding's note is the one its kind file gives that situation. */
  firebase: boolean;
  /** Every place it was seen is a file git ignores or does not track. */
  notInGit: boolean;
  /** Every file that holds it is a file of secrets by its name (.env, a credential JSON): it leaves git, not edited. */
  secretsFile?: boolean;
  /** Earliest commit that holds it (history mode). */
  since?: { date?: string; commit: string };
  /** History mode: whether HEAD still holds it, when HEAD's history removed it, and the refs that reach it. */
  window?: CredentialWindow;
  verification?: Verification;
  /** Today (YYYY-MM-DD), passed in by the CLI: Google's standard-key deadlines read differently before and after. */
  today?: string;
  /** The files that hold it, and what fixes each (.gitignore line, chmod 600, git rm --cached). */
  files?: FileHygiene;
}

export interface CredentialResponse {
  credential: string;
  kind: Kind;
  /** "Google API key (standard)": what the credential is, in words. */
  label: string;
  /** The highest severity among its findings. */
  severity: Severity;
  findings: Finding[];
  situation: Situation;
  /** Context to read before the steps (why the situation matters). */
  notes: string[];
  /** Numbered steps, in order. Commands are in `backticks`. */
  steps: string[];
}

/** What the kind is, in words ("Google API key (standard)"), from its kind file. */
export function kindLabel(kind: Kind, kinds: KindTable = BUILTIN_KINDS): string {
  return kinds.kinds[kind].label;
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };
const VERIFICATION_RANK: Record<Verification | 'unknown', number> = { live: 0, restricted: 1, error: 2, unknown: 3, invalid: 4 };

/** A finding's liveness verdict from --verify, if it has one (other kinds are `unverified`: no verdict). */
function verificationOf(f: Finding): Verification | undefined {
  const v = f.verification?.status;
  return v === undefined || v === 'unverified' ? undefined : v;
}

function bestVerification(findings: Finding[]): Verification | undefined {
  let best: Verification | undefined;
  for (const f of findings) {
    const v = verificationOf(f);
    if (v && (!best || VERIFICATION_RANK[v] < VERIFICATION_RANK[best])) best = v;
  }
  return best;
}

function earliest(findings: Finding[]): { date?: string; commit: string } | undefined {
  let first: Finding | undefined;
  for (const f of findings) {
    if (!f.commit) continue;
    if (!first || (f.date && (!first.date || f.date < first.date))) first = f;
  }
  if (!first?.commit) return undefined;
  return first.date ? { date: first.date, commit: first.commit } : { commit: first.commit };
}

/** {window}: since when the credential was exposed, and where it still is. */
function windowOf(s: Situation): string {
  const w = s.window;
  if (w) {
    const where = w.presentAtHead
      ? 'it is still in HEAD'
      : w.removed
        ? `it left HEAD's branch on ${w.removed.date.slice(0, 10)} (commit ${w.removed.commit.slice(0, 12)}), but history still holds it`
        : "it never reached HEAD's branch, but other refs hold it";
    return `since ${w.firstCommitted.date.slice(0, 10)}, when it was committed (commit ${w.firstCommitted.commit.slice(0, 12)}), until now (${where})`;
  }
  if (s.since) return `since ${s.since.date ? `${s.since.date.slice(0, 10)} (commit ${s.since.commit.slice(0, 12)})` : `commit ${s.since.commit.slice(0, 12)}`}`;
  return 'for the whole time it was exposed (`keyguard history` finds the commit that introduced it)';
}

/** {refs}: the refs that still reach it, the first six. */
function refsOf(s: Situation): string {
  const refs = s.window?.refs ?? [];
  return `${refs.slice(0, 6).join(', ')}${refs.length > 6 ? `, +${refs.length - 6} more` : ''}`;
}

/** What the entries of one kind's checklist are evaluated against. */
interface Scope {
  s: Situation;
  kind: KindData;
  shared: SharedKindData;
  deadlines: Record<string, Deadline>;
}

/** One condition of a `when` or `unless` (the names are rules/kind.schema.json's). */
function holds(name: keyof ChecklistConditions, value: ChecklistConditions[keyof ChecklistConditions], scope: Scope): boolean {
  const s = scope.s;
  switch (name) {
    case 'history':
    case 'staged':
    case 'client':
    case 'firebase':
    case 'notInGit':
      return s[name] === value;
    case 'secretsFile':
      return (s.secretsFile ?? false) === value;
    case 'tracked':
      return (s.files !== undefined && s.files.tracked.length > 0) === value;
    case 'refs':
      return (s.window !== undefined && s.window.refs.length > 0) === value;
    case 'verification':
      return s.verification === value;
    case 'after':
    case 'before': {
      const after = s.today !== undefined && s.today >= scope.deadlines[value as string]!.date;
      return name === 'after' ? after : !after;
    }
  }
}

function allHold(conditions: ChecklistConditions, scope: Scope): boolean {
  return (Object.keys(conditions) as (keyof ChecklistConditions)[]).every((name) => holds(name, conditions[name], scope));
}

function applies(e: ChecklistEntry, scope: Scope): boolean {
  return (!e.when || allHold(e.when, scope)) && (!e.unless || !allHold(e.unless, scope));
}

/** A text with its placeholders filled in. */
function fill(text: string, scope: Scope): string {
  return text.replace(/\{([^{}]*)\}/g, (_whole, name: string) => {
    if (name === 'window') return windowOf(scope.s);
    if (name === 'refs') return refsOf(scope.s);
    if (name === 'files') return scope.s.files && scope.s.files.files.length > 0 ? scope.s.files.files.map(shellPath).join(' ') : 'FILE';
    return scope.deadlines[name.slice('deadline:'.length)]!.says;
  });
}

/** The entries that apply, as lines: a fragment's entries where it is used, the kind's own where the shared file inserts them. */
function expand(entries: ChecklistEntry[], scope: Scope, part: 'notes' | 'steps'): string[] {
  const out: string[] = [];
  for (const e of entries) {
    if (!applies(e, scope)) continue;
    if ('text' in e) out.push(fill(e.text, scope));
    else if ('use' in e) out.push(...expand(scope.shared.fragments?.[e.use] ?? [], scope, part));
    else if (e.insert === 'kind') out.push(...expand(scope.kind[part] ?? [], scope, part));
    else out.push(...hygieneSteps(scope.s.files));
  }
  return out;
}

/**
 * The notes and steps for one kind in one situation, from the kind files (rules/kinds/, docs/credential-kinds.md).
 * Exported for SARIF rule help (a generic situation).
 */
export function renderChecklist(kind: Kind, s: Situation, kinds: KindTable = BUILTIN_KINDS): { notes: string[]; steps: string[] } {
  const data = kinds.kinds[kind];
  const scope: Scope = { s, kind: data, shared: kinds.shared, deadlines: { ...kinds.shared.deadlines, ...data.deadlines } };
  return { notes: expand(kinds.shared.notes, scope, 'notes'), steps: expand(kinds.shared.steps, scope, 'steps') };
}

/** Whether a finding's note is the one its kind gives a Firebase web config key (rules/kinds/<kind>.yaml situations). */
function isFirebaseConfig(f: Finding, kinds: KindTable): boolean {
  const note = kinds.kinds[f.kind]?.situations?.firebase?.note;
  return note !== undefined && f.note === note;
}

/** One response per distinct credential, live ones first, then by severity, then in order of first appearance. */
export function planLeakResponse(result: { mode: Mode; findings: Finding[]; credentials?: CredentialWindow[] }, today?: string, kinds: KindTable = BUILTIN_KINDS): CredentialResponse[] {
  const groups = new Map<string, Finding[]>();
  for (const f of result.findings) {
    const g = groups.get(f.credential);
    if (g) g.push(f);
    else groups.set(f.credential, [f]);
  }
  const windows = new Map((result.credentials ?? []).map((w) => [w.credential, w]));
  const plans = [...groups.entries()].map(([credential, findings], order) => {
    const first = findings[0]!;
    const severity = findings.reduce<Severity>((s, f) => (SEVERITY_RANK[f.severity] < SEVERITY_RANK[s] ? f.severity : s), first.severity);
    const since = result.mode === 'history' ? earliest(findings) : undefined;
    const verification = bestVerification(findings);
    const situation: Situation = {
      history: result.mode === 'history',
      staged: result.mode === 'staged',
      client: findings.some((f) => f.exposure === 'client'),
      firebase: findings.some((f) => isFirebaseConfig(f, kinds)),
      notInGit: findings.every((f) => f.git === 'ignored' || f.git === 'untracked'),
      secretsFile: findings.every((f) => isSecretsFile(f.file)),
      ...(since ? { since } : {}),
      ...(windows.get(credential) ? { window: windows.get(credential)! } : {}),
      ...(verification ? { verification } : {}),
      ...(today ? { today } : {}),
      files: fileHygiene(findings),
    };
    const { notes, steps } = renderChecklist(first.kind, situation, kinds);
    const plan: CredentialResponse = { credential, kind: first.kind, label: kindLabel(first.kind, kinds), severity, findings, situation, notes, steps };
    return { plan, order };
  });
  const rank = (p: CredentialResponse): number => VERIFICATION_RANK[p.situation.verification ?? 'unknown'];
  plans.sort((a, b) => rank(a.plan) - rank(b.plan) || SEVERITY_RANK[a.plan.severity] - SEVERITY_RANK[b.plan.severity] || a.order - b.order);
  return plans.map((p) => p.plan);
}

/** "src/App.jsx:12, public/index.html:3 (+2 more)" */
export function renderPlaces(findings: Finding[], max = 3): string {
  const places = [...new Set(findings.map((f) => `${f.file}${f.match === 'path' ? '' : `:${f.line}`}${f.commit ? ` @ ${f.commit.slice(0, 7)}` : ''}`))];
  return `${places.slice(0, max).join(', ')}${places.length > max ? ` (+${places.length - max} more)` : ''}`;
}
