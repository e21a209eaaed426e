// The --verify classification table, in one place: what Google's answer to `GET /v1beta/models` says about a key.
// Pure: it sees the HTTP status and body the client read, never the key. The README's "Verifying leaked keys" table
// mirrors REASONS (a test checks that they agree).
//
// Sources for the reasons (google.rpc.ErrorInfo, domain googleapis.com):
// - google/api/error_reason.proto in googleapis/googleapis (API_KEY_INVALID "invalid … bad format, cannot be found,
//   or has been expired", API_KEY_SERVICE_BLOCKED, API_KEY_HTTP_REFERRER_BLOCKED, API_KEY_IP_ADDRESS_BLOCKED,
//   API_KEY_ANDROID_APP_BLOCKED, API_KEY_IOS_APP_BLOCKED, SERVICE_DISABLED, BILLING_DISABLED, CONSUMER_SUSPENDED,
//   CONSUMER_INVALID, RATE_LIMIT_EXCEEDED, RESOURCE_QUOTA_EXCEEDED);
// - the Gemini API troubleshooting page (ai.google.dev/gemini-api/docs/troubleshooting: 400 INVALID_ARGUMENT,
//   400 FAILED_PRECONDITION, 403 PERMISSION_DENIED, 429 RESOURCE_EXHAUSTED, 500 INTERNAL, 503 UNAVAILABLE);
// - error bodies users posted from generativelanguage.googleapis.com: 400 "API key not valid" and 400 "API key
//   expired. Please renew the API key." (both reason API_KEY_INVALID), 403 "Requests to this API … are blocked"
//   (API_KEY_SERVICE_BLOCKED), 403 "Requests from referer … are blocked" (API_KEY_HTTP_REFERRER_BLOCKED),
//   403 "Generative Language API has not been used in project … or it is disabled" (SERVICE_DISABLED),
//   403 "Consumer 'api_key:…' has been suspended" (CONSUMER_SUSPENDED).
// Google's `message` can quote the key itself (CONSUMER_SUSPENDED does, and so can a DebugInfo detail), so no part of
// the body is ever copied into a reason: reasons are the fixed sentences below plus Google's reason code.
import type { Verification } from '../types.js';

export type VerificationStatus = Verification['status'];

/** What the HTTP client saw for one key. */
export type ProbeOutcome =
  | { type: 'response'; status: number; body: string }
  | { type: 'timeout'; seconds: number }
  | { type: 'network'; code: string };

/** The parts of Google's JSON error body (`{ error: { code, status, message, details } }`) that classify. */
export interface GoogleError {
  code?: number;
  status?: string;
  message: string;
  /** `reason` of each `type.googleapis.com/google.rpc.ErrorInfo` detail. */
  reasons: string[];
}

const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';

/** ErrorInfo reasons, whatever the HTTP status. The first reason of a body found here decides. */
export const REASONS: Readonly<Record<string, { status: VerificationStatus; says: string }>> = {
  API_KEY_INVALID: { status: 'invalid', says: 'Google does not accept this key: it was deleted, has expired or never existed' },
  API_KEY_EXPIRED: { status: 'invalid', says: 'the key has expired' },
  CONSUMER_SUSPENDED: { status: 'invalid', says: 'Google suspended the key or its project (often after a leak was abused)' },
  CONSUMER_INVALID: { status: 'invalid', says: "the key's project was deleted or is invalid" },
  API_KEY_SERVICE_BLOCKED: { status: 'restricted', says: "the key works, but its API restrictions exclude the Gemini API; it may be live for the APIs it allows" },
  API_KEY_HTTP_REFERRER_BLOCKED: { status: 'restricted', says: 'the key works, but only from the websites it names (referrer restriction: a header any caller can set)' },
  API_KEY_IP_ADDRESS_BLOCKED: { status: 'restricted', says: 'the key works, but only from the IP addresses it names' },
  API_KEY_ANDROID_APP_BLOCKED: { status: 'restricted', says: 'the key works, but only from the Android apps it names (package and certificate headers any caller can copy from the app)' },
  API_KEY_IOS_APP_BLOCKED: { status: 'restricted', says: 'the key works, but only from the iOS apps it names (a bundle header any caller can copy from the app)' },
  SERVICE_DISABLED: { status: 'restricted', says: "the key exists, but the Gemini API is disabled on its project; it may be live for the project's other APIs" },
  BILLING_DISABLED: { status: 'restricted', says: "the key exists, but billing is disabled on its project; it may still be live for free APIs" },
  RATE_LIMIT_EXCEEDED: { status: 'error', says: 'rate-limited: the key may well be live; run --verify again later' },
  RESOURCE_QUOTA_EXCEEDED: { status: 'error', says: 'quota exhausted: the key may well be live; run --verify again later' },
};

/** Google's JSON error body, or undefined when the body is not one. */
export function parseGoogleError(body: string): GoogleError | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return undefined;
  }
  const error = isObject(doc) ? doc['error'] : undefined;
  if (!isObject(error)) return undefined;
  const details = Array.isArray(error['details']) ? error['details'] : [];
  const reasons = details
    .filter((d): d is Record<string, unknown> => isObject(d) && d['@type'] === ERROR_INFO && typeof d['reason'] === 'string')
    .map((d) => d['reason'] as string)
    // Reasons are enum names; anything else is not trusted into a reason line.
    .filter((r) => /^[A-Z][A-Z0-9_]{0,63}$/.test(r));
  return {
    ...(typeof error['code'] === 'number' ? { code: error['code'] } : {}),
    ...(typeof error['status'] === 'string' && /^[A-Z_]{1,40}$/.test(error['status']) ? { status: error['status'] } : {}),
    message: typeof error['message'] === 'string' ? error['message'] : '',
    reasons,
  };
}

/** live, invalid, restricted or error, from what the client saw. */
export function classifyProbe(outcome: ProbeOutcome): Verification {
  if (outcome.type === 'timeout') return { status: 'error', reason: `no answer within ${outcome.seconds} s (--verify-timeout)` };
  if (outcome.type === 'network') return { status: 'error', reason: `network error (${outcome.code}); the key was not checked` };
  const { status: http, body } = outcome;
  const verdict = (status: VerificationStatus, reason: string): Verification => ({ status, reason, httpStatus: http });
  if (http === 200) {
    return isModelList(body) ? verdict('live', 'the Gemini API accepted the key (GET /v1beta/models returned 200)') : verdict('error', 'HTTP 200 without a model list (a proxy or captive portal?); the key was not checked');
  }
  if (http >= 300 && http < 400) return verdict('error', `HTTP ${http} redirect, not followed (the key is never sent elsewhere)`);
  const google = parseGoogleError(body);
  if (!google) return verdict('error', `HTTP ${http} without a Google error body (a proxy?); the key was not checked`);
  const tag = (code: string): string => `${code}: `;
  // Google says "API key expired. Please renew the API key." under reason API_KEY_INVALID.
  if (google.reasons[0] === 'API_KEY_INVALID' && /\bexpired\b/i.test(google.message)) return verdict('invalid', `${tag('API_KEY_INVALID')}the key has expired`);
  for (const reason of google.reasons) {
    const known = REASONS[reason];
    if (known) return verdict(known.status, `${tag(reason)}${known.says}`);
  }
  const grpc = google.status ?? '';
  const message = google.message;
  if (http === 400) {
    if (/\bAPI key expired\b/i.test(message)) return verdict('invalid', `${tag('API_KEY_INVALID')}the key has expired`);
    if (/\bAPI key not (valid|found)\b/i.test(message)) return verdict('invalid', `${tag('API_KEY_INVALID')}${REASONS['API_KEY_INVALID']!.says}`);
    if (grpc === 'FAILED_PRECONDITION') return verdict('restricted', `${tag('FAILED_PRECONDITION')}the key exists, but the Gemini API refuses this caller (its location, or billing on the project)`);
    return verdict('error', `HTTP 400${grpc ? ` ${grpc}` : ''} without a reason keyguard knows; the key was not classified`);
  }
  if (http === 403) {
    if (/has not been used in project|it is disabled/i.test(message)) return verdict('restricted', `${tag('SERVICE_DISABLED')}${REASONS['SERVICE_DISABLED']!.says}`);
    if (/requests from referr?er/i.test(message)) return verdict('restricted', `${tag('API_KEY_HTTP_REFERRER_BLOCKED')}${REASONS['API_KEY_HTTP_REFERRER_BLOCKED']!.says}`);
    if (/has been suspended/i.test(message)) return verdict('invalid', `${tag('CONSUMER_SUSPENDED')}${REASONS['CONSUMER_SUSPENDED']!.says}`);
    // A key Google does not know is a 400; a 403 means it knows the key and refuses it here.
    return verdict('restricted', `${tag(grpc || 'PERMISSION_DENIED')}the key exists, but Google refused it for the Gemini API; it may be live for other APIs on its project`);
  }
  if (http === 429) return verdict('error', `${tag(grpc || 'RESOURCE_EXHAUSTED')}${REASONS['RATE_LIMIT_EXCEEDED']!.says}`);
  if (http === 404) return verdict('error', `HTTP 404: no /v1beta/models here; check KEYGUARD_GOOGLE_API_BASE`);
  if (http >= 500) return verdict('error', `HTTP ${http}${grpc ? ` ${grpc}` : ''}: Google could not answer; run --verify again later`);
  return verdict('error', `HTTP ${http}${grpc ? ` ${grpc}` : ''}: an answer keyguard does not know; the key was not classified`);
}

function isModelList(body: string): boolean {
  try {
    const doc: unknown = JSON.parse(body);
    return isObject(doc) && (doc['models'] === undefined || Array.isArray(doc['models'])) && !('error' in doc);
  } catch {
    return false;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
