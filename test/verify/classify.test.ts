import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { classifyProbe, parseGoogleError, REASONS } from '../../src/verify/classify.js';
import { stubAnswer, type StubCase } from '../helpers/google-stub.js';
import { fakeGoogleApiKey } from '../helpers/keys.js';

const key = fakeGoogleApiKey(91);
const classify = (c: Exclude<StubCase, 'hang'>) => classifyProbe({ type: 'response', ...stubAnswer(c, key) });

describe('classifyProbe', () => {
  it.each([
    ['live', 'live', 200],
    ['invalid', 'invalid', 400],
    ['expired', 'invalid', 400],
    ['suspended', 'invalid', 403],
    ['service-blocked', 'restricted', 403],
    ['referrer-blocked', 'restricted', 403],
    ['ip-blocked', 'restricted', 403],
    ['service-disabled', 'restricted', 403],
    ['rate-limited', 'error', 429],
    ['server-error', 'error', 500],
  ] as const)('%s → %s', (c, status, http) => {
    const v = classify(c);
    expect(v.status).toBe(status);
    expect(v.httpStatus).toBe(http);
    expect(v.reason).not.toContain(key);
  });

  it('names the reason code Google gave', () => {
    expect(classify('service-blocked').reason).toMatch(/^API_KEY_SERVICE_BLOCKED: /);
    expect(classify('expired').reason).toBe('API_KEY_INVALID: the key has expired');
  });

  it('never copies Google\'s message, which can quote the key', () => {
    expect(classify('suspended').reason).toMatch(/^CONSUMER_SUSPENDED: /);
    expect(JSON.stringify(classify('suspended'))).not.toContain('api_key:');
  });

  it('falls back on the message and status when the details are missing', () => {
    const body = (code: number, status: string, message: string) => JSON.stringify({ error: { code, status, message } });
    expect(classifyProbe({ type: 'response', status: 400, body: body(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.') }).status).toBe('invalid');
    expect(classifyProbe({ type: 'response', status: 403, body: body(403, 'PERMISSION_DENIED', 'Requests from referer http://x/ are blocked.') }).status).toBe('restricted');
    expect(classifyProbe({ type: 'response', status: 400, body: body(400, 'FAILED_PRECONDITION', 'User location is not supported for the API use.') }).status).toBe('restricted');
    expect(classifyProbe({ type: 'response', status: 400, body: body(400, 'INVALID_ARGUMENT', 'Something else') }).status).toBe('error');
  });

  it('does not trust what is not a Google answer', () => {
    expect(classifyProbe({ type: 'response', status: 200, body: '<html>captive portal</html>' }).status).toBe('error');
    expect(classifyProbe({ type: 'response', status: 403, body: '<html>Forbidden by proxy</html>' }).status).toBe('error');
    expect(classifyProbe({ type: 'response', status: 302, body: '' }).status).toBe('error');
    expect(classifyProbe({ type: 'response', status: 404, body: '{"error":{"code":404,"message":"x","status":"NOT_FOUND"}}' }).reason).toMatch(/KEYGUARD_GOOGLE_API_BASE/);
    expect(classifyProbe({ type: 'timeout', seconds: 5 })).toEqual({ status: 'error', reason: 'no answer within 5 s (--verify-timeout)' });
    expect(classifyProbe({ type: 'network', code: 'ECONNREFUSED' }).status).toBe('error');
  });

  it('keeps only enum-like reasons and statuses from a body', () => {
    const parsed = parseGoogleError(JSON.stringify({ error: { status: 'bad status!', message: 'm', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'not an enum <script>' }] } }));
    expect(parsed).toEqual({ message: 'm', reasons: [] });
  });
});

describe('the README table', () => {
  it('lists every reason of the classification table with its verdict', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const [reason, { status }] of Object.entries(REASONS)) {
      expect(readme, reason).toMatch(new RegExp(`\\|\\s*\`${reason}\`[^\\n]*\\|\\s*\`${status}\`\\s*\\|`));
    }
  });
});
