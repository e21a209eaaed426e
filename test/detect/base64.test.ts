import { describe, expect, it } from 'vitest';
import { base64Signatures, decodeRunAt, isBase64Char } from '../../src/detect/base64.js';
import { fakeGoogleApiKey } from '../helpers/keys.js';

describe('base64Signatures', () => {
  it('gives the keyword at each of the three byte alignments', () => {
    const sigs = base64Signatures(['AI', 'za'].join(''));
    expect(sigs).toContain('QUl6Y');
    for (const pad of ['', 'x', 'xy']) {
      const encoded = Buffer.from(`${pad}${fakeGoogleApiKey(3)}`).toString('base64');
      expect(sigs.some((s) => encoded.includes(s)), `alignment ${pad.length}`).toBe(true);
    }
  });

  it('adds url-safe variants when they differ', () => {
    const sigs = base64Signatures('?>>?>>');
    expect(sigs.some((s) => s.includes('/'))).toBe(true);
    expect(sigs.some((s) => s.includes('_'))).toBe(true);
  });
});

describe('decodeRunAt', () => {
  it('expands a hit to the whole value and decodes it once', () => {
    const key = fakeGoogleApiKey(4);
    const encoded = Buffer.from(key).toString('base64');
    const text = `data:\n  KEY: ${encoded}\n`;
    const run = decodeRunAt(text, text.indexOf(encoded) + 3);
    expect(run?.decoded).toBe(key);
    expect(text.slice(run!.start, run!.end)).toBe(encoded);
  });

  it('decodes url-safe base64 and keeps the padding in the span', () => {
    const value = Buffer.from('GEMINI_API_KEY=???>>>').toString('base64url');
    const text = `x=${value}==;`;
    const run = decodeRunAt(text, 2);
    expect(run?.decoded).toBe('GEMINI_API_KEY=???>>>');
    expect(text.slice(run!.start, run!.end)).toBe(`${value}==`);
  });

  it('joins base64 wrapped over lines of one width (base64 without -w0, YAML blocks)', () => {
    const key = fakeGoogleApiKey(5);
    const value = Buffer.from(`first line of padding text\nGEMINI_API_KEY=${key}\nMORE=settings here\n`).toString('base64');
    const lines = value.match(/.{1,64}/g)!;
    expect(lines.length).toBeGreaterThan(2);
    const text = `data: |\n${lines.map((l) => `  ${l}`).join('\n')}\nnext: 1\n`;
    for (const line of lines) {
      const run = decodeRunAt(text, text.indexOf(line) + 2);
      expect(run?.decoded).toContain(`GEMINI_API_KEY=${key}`);
      expect(text.slice(run!.start, run!.end).replace(/\s+/g, '')).toBe(value);
    }
  });

  it('keeps lines of other widths apart', () => {
    const a = Buffer.from(`KEY=${fakeGoogleApiKey(6)}`).toString('base64');
    const text = `${a}\n${'QUJD'.repeat(7)}\n`;
    expect(decodeRunAt(text, 2)?.decoded).toBe(`KEY=${fakeGoogleApiKey(6)}`);
  });

  it('gives up on wrapped blobs of more than 1024 lines, so each hit inside one costs a bounded walk', () => {
    const blob = Buffer.from('x'.repeat(76 * 3 * 1100)).toString('base64').match(/.{1,76}/g)!.join('\n');
    const run = decodeRunAt(blob, blob.length / 2);
    expect(run === undefined || run.end - run.start <= 76).toBe(true);
  });

  it('returns nothing for random bytes or short runs', () => {
    const random = Buffer.from(Array.from({ length: 90 }, (_, i) => (i * 97 + 13) % 256)).toString('base64');
    expect(decodeRunAt(random, 10)).toBeUndefined();
    expect(decodeRunAt('QUl6YQ==', 0)).toBeUndefined();
  });

  it('knows the base64 alphabet', () => {
    expect(['A', 'z', '0', '+', '/', '-', '_'].every((c) => isBase64Char(c.charCodeAt(0)))).toBe(true);
    expect(['=', '.', ' ', '"', 'é'].some((c) => isBase64Char(c.charCodeAt(0)))).toBe(false);
  });
});
