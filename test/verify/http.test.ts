import { afterEach, describe, expect, it } from 'vitest';
import { createGoogleClient } from '../../src/verify/http.js';
import { classifyProbe } from '../../src/verify/classify.js';
import { startConnectProxy, startGoogleStub, type GoogleStub } from '../helpers/google-stub.js';
import { fakeGeminiAuthKey, fakeGoogleApiKey } from '../helpers/keys.js';

const open: { close: () => Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

async function stub(cases: [string, Parameters<typeof startGoogleStub>[0] extends ReadonlyMap<string, infer C> ? C : never][]): Promise<GoogleStub> {
  const s = await startGoogleStub(new Map(cases));
  open.push(s);
  return s;
}

describe('createGoogleClient', () => {
  it('sends the key only in the x-goog-api-key header, with GET /v1beta/models', async () => {
    const key = fakeGeminiAuthKey(5);
    const s = await stub([[key, 'live']]);
    const client = createGoogleClient(s.base, { env: {}, timeoutSeconds: 5, userAgent: 'keyguard/test' });
    const outcome = await client.probe(key);
    await client.close();
    expect(classifyProbe(outcome).status).toBe('live');
    expect(s.requests).toHaveLength(1);
    const [req] = s.requests;
    expect(req!.method).toBe('GET');
    expect(req!.url).toBe('/v1beta/models');
    expect(req!.headers['x-goog-api-key']).toBe(key);
    expect(JSON.stringify({ url: req!.url, other: { ...req!.headers, 'x-goog-api-key': undefined } })).not.toContain(key);
  });

  it('gives up after the timeout on a server that never answers', async () => {
    const key = fakeGoogleApiKey(6);
    const s = await stub([[key, 'hang']]);
    const client = createGoogleClient(s.base, { env: {}, timeoutSeconds: 0.3, userAgent: 'keyguard/test' });
    const started = Date.now();
    const outcome = await client.probe(key);
    await client.close();
    expect(outcome).toEqual({ type: 'timeout', seconds: 0.3 });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('reports a refused connection as a network error code, never a message', async () => {
    const s = await stub([]);
    const base = s.base;
    await s.close();
    open.pop();
    const client = createGoogleClient(base, { env: {}, timeoutSeconds: 2, userAgent: 'keyguard/test' });
    const outcome = await client.probe(fakeGoogleApiKey(8));
    await client.close();
    expect(outcome).toEqual({ type: 'network', code: 'ECONNREFUSED' });
  });

  it('goes through HTTP_PROXY unless NO_PROXY names the host', async () => {
    const key = fakeGoogleApiKey(9);
    const s = await stub([[key, 'service-blocked']]);
    const proxy = await startConnectProxy();
    open.push(proxy);
    const via = createGoogleClient(s.base, { env: { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url }, timeoutSeconds: 5, userAgent: 'keyguard/test' });
    expect(classifyProbe(await via.probe(key)).status).toBe('restricted');
    await via.close();
    expect(proxy.tunnels).toEqual([new URL(s.base).host]);
    const direct = createGoogleClient(s.base, { env: { HTTP_PROXY: proxy.url, NO_PROXY: '127.0.0.1' }, timeoutSeconds: 5, userAgent: 'keyguard/test' });
    expect(classifyProbe(await direct.probe(key)).status).toBe('restricted');
    await direct.close();
    expect(proxy.tunnels).toHaveLength(1);
    expect(s.requests).toHaveLength(2);
  });
});
