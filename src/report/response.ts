// The leak-response checklist: what to do about each distinct leaked credential, in the order that avoids downtime.
// Pure: findings in, plain data out. Text, Markdown (job summary) and SARIF (rule help) render the same steps.
// Facts from Google's Gemini API key documentation (see ../shared/reference/): replace first, deploy, only then
// disable or delete the old key, audit usage and billing, restrict the new key; standard keys are being retired.
import type { CredentialWindow, Finding, Kind, Mode, Severity, Verification as Verdict } from '../types.js';
import { credentialFileSteps, fileHygiene, hygieneSteps, TRACKED_NOTE, type FileHygiene } from './advice.js';

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
  /** A Firebase web config key (the rule's note says so). */
  firebase: boolean;
  /** Every place it was seen is a file git ignores or does not track. */
  notInGit: boolean;
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

export const KIND_LABELS: Record<Kind, string> = {
  'google-api-key': 'Google API key (standard)',
  'gemini-auth-key': 'Gemini API auth key',
  'oauth-client-secret': 'OAuth client secret',
  'oauth-access-token': 'OAuth access token',
  'oauth-refresh-token': 'OAuth refresh token',
  'service-account-key': 'Service-account key',
  'authorized-user': 'gcloud user credentials (authorized_user)',
  'fcm-server-key': 'FCM legacy server key',
  'hmac-key': 'Cloud Storage HMAC key',
  'google-secret': 'Google or Gemini credential (type not recognised)',
  'credential-file': 'Credential file',
  'generic-secret': 'Secret (custom rule)',
};

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

const AUDIT_KEY = (s: Situation): string =>
  `Audit usage and billing ${windowOf(s)}: Cloud Console → APIs & Services → Enabled APIs (traffic per API, the Generative Language API above all) and Billing → Reports; look for calls you did not make, and set a billing alert.`;

/** Create → deploy → disable → audit → restrict, for keys sent as `x-goog-api-key`. */
function apiKeySteps(kind: Kind, s: Situation): string[] {
  const standard = kind === 'google-api-key';
  const steps: string[] = [];
  if (standard && s.firebase) {
    return [
      'Restrict this key now (Cloud Console → APIs & Services → Credentials): API restrictions → only the Firebase APIs the app uses, never the Gemini API (Generative Language API); application restrictions → HTTP referrers of your own sites, or your Android and iOS apps.',
      `Audit usage and billing ${windowOf(s)}: traffic per API on the project, the Generative Language API above all, and Billing → Reports.`,
      'If it was misused: create a replacement key, deploy it in the app, only then delete the leaked one, and restrict the new one the same way.',
      'Call Gemini from a backend with its own auth key (Google AI Studio → API keys), never with this key.',
    ];
  }
  if (standard) {
    steps.push(
      'Create a replacement, and make it an auth key: Google AI Studio → API keys → Create API key (every key created there is now an auth key). If the old key also serves other Google APIs (Maps, Firebase), create a separate key restricted to those in Cloud Console → APIs & Services → Credentials.',
    );
  } else if (kind === 'gemini-auth-key') {
    steps.push('Create a replacement auth key: Google AI Studio → API keys → Create API key.');
  } else {
    steps.push('Find out which key this value is, then create a replacement: Google AI Studio → API keys → Create API key, or Cloud Console → APIs & Services → Credentials.');
  }
  steps.push(
    s.client
      ? 'Deploy it on a server only: move the Gemini call behind your backend (a small endpoint or function that holds the key and calls the API), read the key there from an environment variable (`GEMINI_API_KEY`) or a secret manager; for the Live API in a browser or app, have the backend mint short-lived ephemeral tokens instead.'
      : 'Deploy it: read it from an environment variable (`GEMINI_API_KEY`) or a secret manager (Google Cloud Secret Manager), never from code or a committed file; redeploy and check the application works with the new key.',
  );
  steps.push('Only then disable or delete the leaked key (AI Studio → API keys, or Cloud Console → APIs & Services → Credentials): doing it before the new key is live takes the application down.');
  steps.push(AUDIT_KEY(s));
  if (kind === 'gemini-auth-key') {
    steps.push('Keep the new key restricted: auth keys are limited to the Gemini API by default and act as their bound service account, so give that service account only the roles it needs.');
  } else {
    steps.push(
      `Restrict the new key: API restrictions → the Gemini API (Generative Language API) only, plus an application restriction (IP addresses for servers${s.client ? ', HTTP referrers for websites, Android or iOS apps for mobile' : ''}).`,
    );
  }
  return steps;
}

function kindSteps(kind: Kind, s: Situation): string[] {
  switch (kind) {
    case 'google-api-key':
    case 'gemini-auth-key':
    case 'google-secret':
      return apiKeySteps(kind, s);
    case 'generic-secret':
      return [
        'Issue a replacement from the system that issued this secret (the rule\'s description or references say which).',
        'Deploy it from an environment variable or a secret manager, never from code or a committed file.',
        'Only then revoke or delete the leaked one: doing it first takes whatever uses it down.',
        `Audit ${windowOf(s)}: the issuing system's access logs for use you did not make.`,
        'Give the replacement only the permissions it needs, and an expiry if the system supports one.',
      ];
    case 'credential-file':
      return credentialFileSteps(s.files, {
        notInGit: s.notInGit && !s.history && !s.staged,
        staged: s.staged,
        audit: `Audit ${windowOf(s)}: usage, billing and Cloud Audit Logs for the project the file belongs to.`,
      });
    case 'oauth-client-secret':
      return [
        'Add a new client secret: Cloud Console → APIs & Services → Credentials → the OAuth client → Add secret (older consoles call it Reset secret).',
        'Deploy it from an environment variable or a secret manager, never from code or a committed `client_secret*.json`.',
        'Only then disable and delete the leaked secret on that OAuth client.',
        `Audit ${windowOf(s)}: Cloud Audit Logs and the client's sign-in activity for token requests you did not make.`,
        "Check the client's authorised redirect URIs and JavaScript origins: only your own.",
      ];
    case 'oauth-access-token':
      return [
        'Revoke the token now: `curl -d token=TOKEN https://oauth2.googleapis.com/revoke` (type it in a private shell, not in a script you commit). Access tokens expire within about an hour, but a leaked one works until then.',
        'Find what minted it (a refresh token, a service-account key, `gcloud auth print-access-token`): that credential may be exposed too; rotate it with its own steps.',
        `Audit ${windowOf(s)}: Cloud Audit Logs for the identity the token belonged to.`,
        'Fetch tokens at run time from the environment the code runs in; never write them to files in the repository.',
      ];
    case 'oauth-refresh-token':
      return [
        'Revoke the leaked refresh token: the account owner removes the app at https://myaccount.google.com/permissions, or `curl -d token=TOKEN https://oauth2.googleapis.com/revoke`. Revoking can end the whole grant, so do it first and re-authorise straight after.',
        'Re-authorise to get a new refresh token, and deploy it from a secret manager, never from code or a committed file.',
        `Audit ${windowOf(s)}: the account's security activity and Cloud Audit Logs for calls made with this grant.`,
        'Ask for the narrowest OAuth scopes the application needs.',
      ];
    case 'service-account-key':
      return [
        'If the workload still needs a key, create a new one: Cloud Console → IAM & Admin → Service accounts → Keys → Add key, or `gcloud iam service-accounts keys create`. Better, drop keys: attached service accounts or Workload Identity Federation need none.',
        'Deploy it from a secret manager (Google Cloud Secret Manager), never from a committed JSON file.',
        'Only then delete the leaked key in IAM: `gcloud iam service-accounts keys delete KEY_ID --iam-account=SA_EMAIL` (`KEY_ID` is `private_key_id` in the leaked file).',
        `Audit ${windowOf(s)}: Cloud Audit Logs for everything the service account did, and look for keys, service accounts or role bindings an intruder may have added to stay in.`,
        "Cut the service account's roles to what the workload needs; consider the organisation policy `iam.disableServiceAccountKeyCreation`.",
      ];
    case 'authorized-user':
      return [
        'Revoke it: on the machine it came from run `gcloud auth application-default revoke` (or `gcloud auth revoke ACCOUNT`); the account owner can also remove "Google Auth Library" at https://myaccount.google.com/permissions.',
        'Log in again with `gcloud auth application-default login` where you need it; `application_default_credentials.json` stays in your home folder, never in a repository.',
        `Audit ${windowOf(s)}: Cloud Audit Logs for calls made as that user account.`,
      ];
    case 'fcm-server-key':
      return [
        'Move the sender to the FCM HTTP v1 API (OAuth with a service account): legacy server keys belong to the deprecated legacy FCM API.',
        'Deploy the sender with its new credentials from a secret manager.',
        'Only then delete the leaked server key (Cloud Console → APIs & Services → Credentials, "Server key (auto created by Firebase)") and turn off the Cloud Messaging API (Legacy) in Firebase → Project settings → Cloud Messaging.',
        `Audit ${windowOf(s)}: messages sent from the project that you did not send.`,
      ];
    case 'hmac-key':
      return [
        "Create a new HMAC key for the service account: Cloud Storage → Settings → Interoperability, or `gcloud storage hmac create SA_EMAIL`.",
        'Deploy it from a secret manager, never from code or a committed file.',
        'Only then deactivate and delete the leaked key: `gcloud storage hmac update ACCESS_ID --deactivate`, then `gcloud storage hmac delete ACCESS_ID`.',
        `Audit ${windowOf(s)}: Cloud Storage data-access audit logs for reads and writes you did not make.`,
        'Give the service account only the bucket roles it needs.',
      ];
  }
}

/** Google's dates for standard keys and the Gemini API (see ../shared/reference/). */
export const UNRESTRICTED_STANDARD_KEYS_REJECTED = '2026-06-19';
export const ALL_STANDARD_KEYS_REJECTED = '2026-09-01';

/** The standard-key deadline note, worded for the date the CLI passed in (or for any date, without one). */
function standardKeyNote(s: Situation): string {
  const today = s.today;
  if (s.firebase) {
    if (today && today >= ALL_STANDARD_KEYS_REJECTED) return 'Firebase needs this standard key; Gemini cannot use it: since September 2026 the Gemini API rejects every standard key. Keep the Gemini API off this key and give Gemini its own auth key.';
    return 'Firebase needs this standard key; Gemini should not use it: the Gemini API rejects unrestricted standard keys from 19 June 2026 and all standard keys from September 2026, so give Gemini its own auth key.';
  }
  if (today && today >= ALL_STANDARD_KEYS_REJECTED) {
    return 'This is a standard API key: since September 2026 the Gemini API rejects every standard key, so it no longer works for Gemini, but it may still be live for the other Google APIs on its project (Maps, Firebase, Places…). Restrict or delete it, and move the app to an auth key.';
  }
  if (today && today >= UNRESTRICTED_STANDARD_KEYS_REJECTED) {
    return 'This is a standard API key: since 19 June 2026 the Gemini API rejects unrestricted standard keys, and from September 2026 it rejects all of them; a restricted one still works until then, and for other Google APIs on its project after. Migrate to an auth key now.';
  }
  return 'This is a standard API key: the Gemini API rejects unrestricted standard keys from 19 June 2026 and all standard keys from September 2026. Migrate to an auth key now.';
}

/** The notes and steps for one kind in one situation. Exported for SARIF rule help (a generic situation). */
export function renderChecklist(kind: Kind, s: Situation): { notes: string[]; steps: string[] } {
  const notes: string[] = [];
  if (s.verification === 'live') notes.push('Act now: Google accepted this key when keyguard checked it, so it works for anyone who has it. Rotate it before anything else.');
  if (s.verification === 'invalid') notes.push('Google rejected this key when keyguard checked it: it may already be deleted or disabled. Confirm in the console, and still remove it from the code.');
  if (s.verification === 'restricted') notes.push('The key exists but is restricted or has the Gemini API blocked: it may still work for other APIs, or from the callers it allows. Rotate it.');
  if (s.verification === 'error') notes.push('keyguard could not check this key (see the verification reason): treat it as live.');
  if (s.staged) notes.push('It is staged, not yet committed: unstage it and load it from an environment variable. If this value was ever committed, pushed or shared elsewhere, follow the steps below.');
  if (s.notInGit && !s.history && !s.staged) notes.push('It is only in files git ignores or does not track, so it has not leaked through this repository; keep it out of commits, and rotate it if the file was shared in any other way.');
  if (s.files && s.files.tracked.length > 0 && !s.history && !s.staged) notes.push(TRACKED_NOTE);
  if (s.history) notes.push('It is in git history: deleting the line in a later commit does not unpublish it (clones, forks and caches keep every commit). Rotation is still required.');
  if (s.client) notes.push('It is in code served to browsers or bundled into an app: anyone who loads the page or unpacks the app can read it.');
  if (s.firebase) notes.push('A Firebase web config key is public by design: what protects it is restriction, because an unrestricted key also works for every other API enabled on its project, the Gemini API included.');
  if (kind === 'google-api-key') notes.push(standardKeyNote(s));
  if (kind === 'gemini-auth-key') notes.push("Google's leaked-key enforcement may already have stopped this auth key; rotate it anyway.");
  const steps = [...hygieneSteps(s.files), ...kindSteps(kind, s)];
  if (s.history) {
    const refs = s.window && s.window.refs.length > 0 ? ` every ref that still reaches it (${s.window.refs.slice(0, 6).join(', ')}${s.window.refs.length > 6 ? `, +${s.window.refs.length - 6} more` : ''})` : '';
    steps.push(`Optional, and only after rotating: rewrite history (\`git filter-repo --replace-text\`, or BFG) and force-push${refs}. Clones, forks and caches keep the old commits, so this never replaces rotation.`);
  }
  return { notes, steps };
}

/** One response per distinct credential, live ones first, then by severity, then in order of first appearance. */
export function planLeakResponse(result: { mode: Mode; findings: Finding[]; credentials?: CredentialWindow[] }, today?: string): CredentialResponse[] {
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
      firebase: findings.some((f) => f.kind === 'google-api-key' && /firebase/i.test(f.note ?? '')),
      notInGit: findings.every((f) => f.git === 'ignored' || f.git === 'untracked'),
      ...(since ? { since } : {}),
      ...(windows.get(credential) ? { window: windows.get(credential)! } : {}),
      ...(verification ? { verification } : {}),
      ...(today ? { today } : {}),
      files: fileHygiene(findings),
    };
    const { notes, steps } = renderChecklist(first.kind, situation);
    const plan: CredentialResponse = { credential, kind: first.kind, label: KIND_LABELS[first.kind], severity, findings, situation, notes, steps };
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
