// Bytes of one file or blob to source events: text fragments (chunked when big), binary, or `clean` when a
// keyword gate says no rule can match (then the bytes are never decoded).
import type { Fragment, SourceEvent } from '../types.js';
import { decodeBytes, isBinary } from './decode.js';
import { CHUNK_BYTES, chunkFragments, sliceBuffer } from './chunks.js';

/** Says whether content may hold a rule keyword (see detect/gate.ts). */
export type ContentGate = (bytes: Uint8Array) => boolean;

const hasUtf16Bom = (b: Buffer): boolean => b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff));

/**
 * What can be told from the bytes alone: `binary`, `clean` (the gate says no rule keyword is there), or undefined
 * when the content must be decoded and scanned. Cheap: no decoding, no allocation.
 */
export function screenBytes(content: Buffer, gate?: ContentGate): 'binary' | 'clean' | undefined {
  const utf16 = hasUtf16Bom(content);
  if (!utf16 && isBinary(content)) return 'binary';
  // UTF-16 keeps a NUL between ASCII letters, so only UTF-8 (and ASCII) content goes through the byte gate.
  if (gate && !utf16 && !gate(content)) return 'clean';
  return undefined;
}

export function contentToEvents(content: Buffer, base: Omit<Fragment, 'text'>, gate?: ContentGate): SourceEvent[] | AsyncIterable<SourceEvent> {
  const screened = screenBytes(content, gate);
  if (screened === 'binary') return [{ type: 'binary', path: base.path, bytes: content.length }];
  if (screened === 'clean') return [{ type: 'clean', path: base.path, bytes: content.length }];
  const utf16 = hasUtf16Bom(content);
  if (content.length > CHUNK_BYTES && !utf16) return chunkFragments(sliceBuffer(content), base, () => content.length);
  const decoded = decodeBytes(content);
  if (decoded.kind === 'binary') return [{ type: 'binary', path: base.path, bytes: content.length }];
  return [{ type: 'fragment', fragment: { ...base, text: decoded.text }, bytes: content.length, last: true }];
}
