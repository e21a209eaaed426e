// maskLine: the bounded window around a finding, with every secret on the line masked.
import { describe, expect, it } from 'vitest';
import { EXCERPT_CONTEXT, EXCERPT_MAX, maskLine } from '../../src/mask/line.js';
import { fakeClientSecret, fakeGoogleApiKey, fakeOpaqueSecret } from '../helpers/keys.js';

function focusOn(line: string, secret: string) {
  const start = line.indexOf(secret);
  return { start, end: start + secret.length, shown: 'SHOWN' };
}

describe('maskLine', () => {
  it('shows the finding as its rule shows it and masks the other secrets beside it', () => {
    const key = fakeGoogleApiKey(1);
    const other = fakeClientSecret(2);
    const line = `{"k":"${key}","client_secret":"${other}"}`;
    const out = maskLine({ line, focus: focusOn(line, key) });
    expect(out).toContain('SHOWN');
    expect(out).not.toContain(other.slice(4, 16));
    expect(out).toContain('"client_secret":"GOCS…');
  });

  it('masks the spans the rules recognised even when nothing else would', () => {
    const key = fakeGoogleApiKey(1);
    const line = `a=${key} b=plainwords`;
    const out = maskLine({ line, focus: focusOn(line, key), spans: [{ start: line.indexOf('plainwords'), end: line.length }] });
    expect(out).not.toContain('plainwords');
  });

  it('keeps a window of the line around the finding, never the whole minified line', () => {
    const key = fakeGoogleApiKey(3);
    const line = `${'var a=1;'.repeat(5000)}k="${key}";${'var b=2;'.repeat(5000)}`;
    const out = maskLine({ line, focus: focusOn(line, key) });
    expect(out.startsWith('…')).toBe(true);
    expect(out.endsWith('…')).toBe(true);
    expect(out.length).toBeLessThanOrEqual(2 * EXCERPT_CONTEXT + 'SHOWN'.length + 2);
  });

  it('takes whole a secret the window edge would cut, so no part of it shows', () => {
    const key = fakeGoogleApiKey(4);
    const far = fakeOpaqueSecret(5, 64);
    // The other secret starts inside the window and ends well after it.
    const line = `k="${key}" ${'x'.repeat(EXCERPT_CONTEXT - 10)} ${far} tail`;
    const out = maskLine({ line, focus: focusOn(line, key) });
    expect(out).not.toContain(far.slice(0, 12));
    expect(out).toContain(`${far.slice(0, 4)}…${far.slice(-4)}`);
  });

  it('caps the length whatever spans it is given', () => {
    const line = 'é '.repeat(5000);
    const out = maskLine({ line, focus: { start: 2000, end: 9000 } });
    expect(out.length).toBeLessThanOrEqual(EXCERPT_MAX + 2);
  });
});
