import type { SourceEvent } from '../types.js';
import { decodeBytes } from './decode.js';

/** Standard input as one fragment (`keyguard scan -`). */
export async function* readStdin(stream: NodeJS.ReadableStream, name: string): AsyncGenerator<SourceEvent> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  const bytes = Buffer.concat(chunks);
  const decoded = decodeBytes(bytes);
  if (decoded.kind === 'binary') yield { type: 'binary', path: name, bytes: bytes.length };
  else yield { type: 'fragment', fragment: { text: decoded.text, path: name }, bytes: bytes.length, last: true };
}
