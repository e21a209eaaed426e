import { describe, expect, it } from 'vitest';
import { decodeBytes, isBinary, isBinaryFormatName, utf16Bom } from '../../src/sources/decode.js';

describe('isBinary', () => {
  it('looks for a NUL in the first 8,000 bytes only', () => {
    expect(isBinary(Buffer.from('plain text\n'))).toBe(false);
    expect(isBinary(Buffer.from([0x41, 0x00, 0x42]))).toBe(true);
    const late = Buffer.alloc(9000, 0x41);
    late[8500] = 0;
    expect(isBinary(late)).toBe(false);
    late[7999] = 0;
    expect(isBinary(late)).toBe(true);
    expect(isBinary(new Uint8Array(0))).toBe(false);
  });

  it('reads a view at its own offset, not the memory around it', () => {
    const memory = new Uint8Array([0, 0x41, 0x42, 0x43, 0]);
    expect(isBinary(memory.subarray(1, 4))).toBe(false);
    expect(isBinary(memory.subarray(1))).toBe(true);
  });
});

describe('decodeBytes', () => {
  it('decodes UTF-8 without its BOM, UTF-16 with a BOM, and calls NUL content binary', () => {
    expect(decodeBytes(Buffer.from('\ufeffkey=1', 'utf8'))).toEqual({ kind: 'text', text: 'key=1' });
    expect(decodeBytes(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('k=1', 'utf16le')]))).toEqual({ kind: 'text', text: 'k=1' });
    expect(decodeBytes(Buffer.from([0x41, 0, 0x42]))).toEqual({ kind: 'binary' });
  });
});

describe('isBinaryFormatName', () => {
  it('names formats binary by their specification, in any case, by the extension of the last path segment', () => {
    for (const p of ['logo.png', 'assets/Photo.JPG', 'fonts/inter.woff2', 'dist/app.wasm', 'lib/x.so', 'a.tar.gz', 'app.apk']) expect(isBinaryFormatName(p), p).toBe(true);
    for (const p of ['notes.txt', 'doc.pdf', 'icon.svg', 'data.bin', 'blob.dat', 'png', 'img.png/readme', 'src/png.ts', 'key.p12', 'token.pickle']) expect(isBinaryFormatName(p), p).toBe(false);
  });
});

describe('a byte-order mark is a hint', () => {
  it('reads FF FE or FE FF content without NUL bytes as bytes, so the text after it is scanned', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('key = "value"\n')]);
    expect(utf16Bom(bytes)).toBeUndefined();
    expect(decodeBytes(bytes)).toEqual({ kind: 'text', text: '\ufffd\ufffdkey = "value"\n' });
    expect(decodeBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('x=1')]))).toEqual({ kind: 'text', text: '\ufffd\ufffdx=1' });
  });

  it('still reads UTF-16 with its BOM as UTF-16, either byte order', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('k=1', 'utf16le')]);
    expect(utf16Bom(le)).toBe('le');
    const be = Buffer.from(Buffer.from('k=1', 'utf16le')).swap16();
    expect(decodeBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toEqual({ kind: 'text', text: 'k=1' });
  });
});
