// Bytes of one file or blob to source events: text fragments (chunked when big), binary, or `clean` when a
// keyword gate says no rule can match (then the bytes are never decoded).
import type { Fragment, SourceEvent } from '../types.js';
import { decodeBytes, isBinary, SNIFF, utf16Bom } from './decode.js';
import { CHUNK_BYTES, chunkFragments, sliceBuffer } from './chunks.js';

/**
 * Says whether content may hold a rule keyword (detect/gate.ts makes one); `stream` asks it of content in parts:
 * each `push` says true once a keyword was seen in what was pushed so far. Declared here, not imported, so sources
 * depend on no detector.
 */
export type ContentGate = ((bytes: Uint8Array) => boolean) & { stream?: () => { push(part: Uint8Array): boolean } };

/** UTF-16 by its BOM and its NULs (decode.ts utf16Bom): a BOM alone does not make it so. */
const hasUtf16Bom = (b: Buffer): boolean => utf16Bom(b) !== undefined;

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

/** screenBytes for content that arrives in parts: push each part in order, then `end` gives screenBytes's answer. */
export interface BodyScreen {
  push(part: Uint8Array): void;
  end(): 'binary' | 'clean' | undefined;
}

/** A BodyScreen over a gate that streams, or undefined when the gate cannot. */
export function createBodyScreen(gate: ContentGate): BodyScreen | undefined {
  const stream = gate.stream?.();
  if (!stream) return undefined;
  let seen = 0;
  let first = -1;
  let utf16 = false;
  let nul = false;
  let hit = false;
  return {
    push(part) {
      if (part.length === 0) return;
      if (seen < 2) {
        const b = part[0]!;
        if (seen === 1) utf16 = (first === 0xff && b === 0xfe) || (first === 0xfe && b === 0xff);
        else if (part.length >= 2) utf16 = (b === 0xff && part[1] === 0xfe) || (b === 0xfe && part[1] === 0xff);
        else first = b;
      }
      if (!nul && seen < SNIFF) nul = Buffer.from(part.buffer, part.byteOffset, Math.min(part.length, SNIFF - seen)).indexOf(0) !== -1;
      seen += part.length;
      // Content with a NUL is UTF-16 (with a BOM: never gated, its NULs would hide keywords) or binary, and needs no
      // gate; a BOM without NULs is only a hint (decode.ts utf16Bom): such content is gated as bytes.
      if (!hit && !nul) hit = stream.push(part);
    },
    end: () => (utf16 && nul ? undefined : nul ? 'binary' : hit ? undefined : 'clean'),
  };
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
