// A local stand-in for the Gemini API's `GET /v1beta/models`, on 127.0.0.1 only: each key gets a real-shaped answer
// (bodies as generativelanguage.googleapis.com sends them), and every request is recorded so tests can prove where
// the key travelled (header, never URL).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

export type StubCase = 'live' | 'invalid' | 'expired' | 'service-blocked' | 'referrer-blocked' | 'ip-blocked' | 'service-disabled' | 'suspended' | 'rate-limited' | 'server-error' | 'hang';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
}

export interface GoogleStub {
  base: string;
  requests: RecordedRequest[];
  close: () => Promise<void>;
}

const ERROR_INFO = 'type.googleapis.com/google.rpc.ErrorInfo';

function googleError(code: number, status: string, message: string, reason?: string): string {
  const details = reason ? [{ '@type': ERROR_INFO, reason, domain: 'googleapis.com', metadata: { service: 'generativelanguage.googleapis.com', consumer: 'projects/123456789012' } }] : [];
  return JSON.stringify({ error: { code, message, status, details } }, null, 2);
}

/** The answer for one case; `key` is quoted where Google quotes it (a suspended consumer). */
export function stubAnswer(c: Exclude<StubCase, 'hang'>, key: string): { status: number; body: string } {
  switch (c) {
    case 'live':
      return { status: 200, body: JSON.stringify({ models: [{ name: 'models/gemini-2.5-flash', displayName: 'Gemini 2.5 Flash' }], nextPageToken: 'x' }) };
    case 'invalid':
      return { status: 400, body: googleError(400, 'INVALID_ARGUMENT', 'API key not valid. Please pass a valid API key.', 'API_KEY_INVALID') };
    case 'expired':
      return { status: 400, body: googleError(400, 'INVALID_ARGUMENT', 'API key expired. Please renew the API key.', 'API_KEY_INVALID') };
    case 'service-blocked':
      return {
        status: 403,
        body: googleError(403, 'PERMISSION_DENIED', 'Requests to this API generativelanguage.googleapis.com method google.ai.generativelanguage.v1beta.ModelService.ListModels are blocked.', 'API_KEY_SERVICE_BLOCKED'),
      };
    case 'referrer-blocked':
      return { status: 403, body: googleError(403, 'PERMISSION_DENIED', 'Requests from referer <empty> are blocked.', 'API_KEY_HTTP_REFERRER_BLOCKED') };
    case 'ip-blocked':
      return { status: 403, body: googleError(403, 'PERMISSION_DENIED', 'The provided API key has an IP address restriction. The originating IP address of the call (203.0.113.7) violates this restriction.', 'API_KEY_IP_ADDRESS_BLOCKED') };
    case 'service-disabled':
      return {
        status: 403,
        body: googleError(403, 'PERMISSION_DENIED', 'Generative Language API has not been used in project 123456789012 before or it is disabled. Enable it by visiting the console then retry.', 'SERVICE_DISABLED'),
      };
    case 'suspended':
      return { status: 403, body: googleError(403, 'PERMISSION_DENIED', `Permission denied: Consumer 'api_key:${key}' has been suspended.`, 'CONSUMER_SUSPENDED') };
    case 'rate-limited':
      return { status: 429, body: googleError(429, 'RESOURCE_EXHAUSTED', 'Resource has been exhausted (e.g. check quota).') };
    case 'server-error':
      return { status: 500, body: googleError(500, 'INTERNAL', 'An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting') };
  }
}

/** Start the stand-in; keys not in `cases` get an invalid-key answer, as Google gives for a key it never issued. */
export async function startGoogleStub(cases: ReadonlyMap<string, StubCase>): Promise<GoogleStub> {
  const requests: RecordedRequest[] = [];
  const hanging: ServerResponse[] = [];
  const server: Server = createServer((req, res) => {
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const key = String(req.headers['x-goog-api-key'] ?? '');
    if (req.url !== '/v1beta/models') {
      res.writeHead(404, { 'content-type': 'text/html' }).end('<html>Not Found</html>');
      return;
    }
    const c = cases.get(key) ?? 'invalid';
    if (c === 'hang') {
      hanging.push(res);
      return;
    }
    const { status, body } = stubAnswer(c, key);
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A CONNECT proxy on 127.0.0.1 that tunnels to loopback targets only, and records each tunnel it opened. */
export async function startConnectProxy(): Promise<{ url: string; tunnels: string[]; close: () => Promise<void> }> {
  const tunnels: string[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((_req, res) => res.writeHead(405).end());
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    tunnels.push(target);
    const [host, port] = target.split(':');
    if (host !== '127.0.0.1' || !port) {
      client.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(client).add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
