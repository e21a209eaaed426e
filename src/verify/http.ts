// The only network code in keyguard, loaded only with --verify: one `GET {base}/v1beta/models` per key, the key in
// the `x-goog-api-key` header (never in the URL), through HTTPS_PROXY / HTTP_PROXY unless NO_PROXY says otherwise.
import { EnvHttpProxyAgent, fetch } from 'undici';
import type { ProbeOutcome } from './classify.js';

/** A model list is tens of KB; anything past this is not read. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

export interface GoogleClientOptions {
  env: NodeJS.ProcessEnv;
  /** Per request, body included. */
  timeoutSeconds: number;
  userAgent: string;
}

export interface GoogleClient {
  probe(key: string): Promise<ProbeOutcome>;
  /** Drop open connections (a server that never answered included) so the process can exit. */
  close(): Promise<void>;
}

/** First non-empty of the variables, lower case first (as curl and undici read them). */
function fromEnv(env: NodeJS.ProcessEnv, name: string): string {
  return env[name.toLowerCase()] || env[name.toUpperCase()] || '';
}

export function createGoogleClient(base: string, options: GoogleClientOptions): GoogleClient {
  // The proxy settings come from the environment keyguard was given, never from elsewhere: '' means "none".
  const agent = new EnvHttpProxyAgent({
    httpProxy: fromEnv(options.env, 'http_proxy'),
    httpsProxy: fromEnv(options.env, 'https_proxy'),
    noProxy: fromEnv(options.env, 'no_proxy'),
  });
  const url = `${base}/v1beta/models`;
  return {
    async probe(key) {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), options.timeoutSeconds * 1000);
      try {
        const response = await fetch(url, {
          method: 'GET',
          headers: { 'x-goog-api-key': key, accept: 'application/json', 'user-agent': options.userAgent },
          // A redirect would carry the header to wherever it points: never follow one.
          redirect: 'manual',
          signal: controller.signal,
          dispatcher: agent,
        });
        const body = await readBody(response.body);
        return { type: 'response', status: response.status, body };
      } catch (err) {
        if (controller.signal.aborted) return { type: 'timeout', seconds: options.timeoutSeconds };
        return { type: 'network', code: errorCode(err) };
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      await agent.destroy();
    },
  };
}

async function readBody(body: AsyncIterable<Uint8Array> | null): Promise<string> {
  if (!body) return '';
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(Buffer.from(chunk));
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A short code for a failed request (ECONNREFUSED, ENOTFOUND, UND_ERR_SOCKET…): never the error's message. */
function errorCode(err: unknown): string {
  const codeOf = (e: unknown): string | undefined => {
    if (typeof e !== 'object' || e === null) return undefined;
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' && /^[A-Za-z0-9_]{1,40}$/.test(code) ? code : undefined;
  };
  const cause = typeof err === 'object' && err !== null ? (err as { cause?: unknown }).cause : undefined;
  return codeOf(cause) ?? codeOf(err) ?? 'request failed';
}
