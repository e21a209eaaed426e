// Big content in overlapping chunks: size costs time, not memory, and no key is cut on a seam.
import { StringDecoder } from 'node:string_decoder';
import type { Fragment, SourceEvent } from '../types.js';
import { isBinary } from './decode.js';
import { codePointCount } from '../text/code-points.js';

/** Content above this is scanned in chunks. */
export const CHUNK_BYTES = 8 * 1024 * 1024;
/** Characters carried from one chunk to the next, so no key is cut on a seam. */
export const CHUNK_OVERLAP = 16 * 1024;

function countLines(text: string, from: number, to: number): { lines: number; lastLineStart: number } {
  let lines = 0;
  let lastLineStart = from;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      lines++;
      lastLineStart = i + 1;
    }
  }
  return { lines, lastLineStart };
}

/** Slices of an in-memory buffer, for blobs read whole from git. */
export function* sliceBuffer(bytes: Buffer, size = CHUNK_BYTES): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/**
 * Turn a stream of byte chunks into fragments that overlap by CHUNK_OVERLAP characters; line and column offsets
 * keep positions exact. `totalBytes` is what a binary file reports.
 */
export async function* chunkFragments(
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  base: Omit<Fragment, 'text' | 'lineOffset' | 'columnOffset'>,
  totalBytes: () => Promise<number> | number,
): AsyncGenerator<SourceEvent> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let lineOffset = 0;
  let columnOffset = 0;
  let first = true;
  let pending: SourceEvent | undefined;
  for await (const chunk of chunks) {
    if (first) {
      first = false;
      if (isBinary(chunk)) {
        yield { type: 'binary', path: base.path, bytes: await totalBytes() };
        return;
      }
    }
    if (pending) yield pending;
    const text = carry + decoder.write(chunk);
    pending = { type: 'fragment', fragment: { ...base, text, lineOffset, columnOffset }, bytes: chunk.length, last: false };
    const keepFrom = Math.max(0, text.length - CHUNK_OVERLAP);
    const { lines, lastLineStart } = countLines(text, 0, keepFrom);
    lineOffset += lines;
    columnOffset = lines > 0 ? codePointCount(text, lastLineStart, keepFrom) : columnOffset + codePointCount(text, 0, keepFrom);
    carry = text.slice(keepFrom);
  }
  const rest = decoder.end();
  if (rest) {
    if (pending) yield pending;
    yield { type: 'fragment', fragment: { ...base, text: carry + rest, lineOffset, columnOffset }, bytes: 0, last: true };
  } else if (pending && pending.type === 'fragment') {
    yield { ...pending, last: true };
  }
}
