// Bytes to text: UTF-16 with a BOM is text (a BOM is a hint: see utf16Bom), a NUL in the first 8,000 bytes is binary, invalid UTF-8 becomes U+FFFD
// so it never hides a key next to it.

export type Decoded = { kind: 'text'; text: string } | { kind: 'binary' };

/** A NUL within this many first bytes makes content binary. */
export const SNIFF = 8000;

export function isBinary(bytes: Uint8Array): boolean {
  // Buffer's indexOf is memchr: ten times a loop's speed, and every file and blob passes here.
  return Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, SNIFF)).indexOf(0) !== -1;
}

/**
 * The UTF-16 byte order content is in, or undefined when it is not UTF-16. A byte-order mark is a hint, not a verdict:
 * text in UTF-16 holds a NUL byte beside every ASCII character, so content that starts with FF FE or FE FF and has no
 * NUL in its first bytes is not UTF-16 (and, could it be, would hold no ASCII key): it is read as bytes, like any file.
 */
export function utf16Bom(bytes: Uint8Array): 'le' | 'be' | undefined {
  if (bytes.length < 2) return undefined;
  const order = bytes[0] === 0xff && bytes[1] === 0xfe ? 'le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'be' : undefined;
  return order && isBinary(bytes.subarray(2)) ? order : undefined;
}

export function decodeBytes(bytes: Buffer): Decoded {
  const order = utf16Bom(bytes);
  if (order === 'le') return { kind: 'text', text: bytes.subarray(2).toString('utf16le') };
  if (order === 'be') {
    const swapped = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    swapped.swap16();
    return { kind: 'text', text: swapped.toString('utf16le') };
  }
  if (isBinary(bytes)) return { kind: 'binary' };
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return { kind: 'text', text: bytes.toString('utf8', start) };
}

/**
 * File formats that are binary by their specification (images, fonts, audio and video, archives, compiled code),
 * whose content screenBytes would call binary anyway (a NUL in the first bytes): a history or tree scan counts a file
 * with such a name as binary without reading it. Formats that may be text (PDF, SVG, .dat, .bin) are read as any file.
 */
const BINARY_FORMATS = new Set(
  (
    'png jpg jpeg gif webp bmp ico icns tif tiff psd heic avif ' +
    'woff woff2 ttf otf eot ' +
    'mp3 mp4 m4a m4v mov avi mkv webm ogg oga ogv wav flac aac opus ' +
    'zip gz tgz bz2 xz zst 7z rar jar war aar apk ipa whl egg ' +
    'class so dylib dll exe o a lib obj pyc pyo wasm node'
  ).split(' '),
);

export function isBinaryFormatName(path: string): boolean {
  const dot = path.lastIndexOf('.');
  if (dot < 0 || dot < path.lastIndexOf('/')) return false;
  return BINARY_FORMATS.has(path.slice(dot + 1).toLowerCase());
}
