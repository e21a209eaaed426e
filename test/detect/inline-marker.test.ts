import { describe, expect, it } from 'vitest';
import { findInlineMarker } from '../../src/detect/inline-marker.js';

describe('findInlineMarker', () => {
  it('finds a marker on the line, in any of the honoured spellings', () => {
    expect(findInlineMarker('key = "x" # keyguard:allow', '')).toBe('keyguard:allow');
    expect(findInlineMarker('key = "x" // gitleaks:allow', '')).toBe('gitleaks:allow');
    expect(findInlineMarker('key = "x" # pragma: allowlist secret', '')).toBe('pragma: allowlist secret');
  });

  it('finds a next-line marker only on the line before', () => {
    expect(findInlineMarker('key = "x"', '# keyguard:allow-next-line')).toBe('keyguard:allow-next-line');
    expect(findInlineMarker('key = "x" # keyguard:allow-next-line', '')).toBeUndefined();
    expect(findInlineMarker('key = "x"', '# pragma: allowlist nextline secret')).toBe('pragma: allowlist nextline secret');
  });

  it('does not take a same-line marker on the line before', () => {
    expect(findInlineMarker('key = "x"', '# keyguard:allow')).toBeUndefined();
    expect(findInlineMarker('key = "x"', '')).toBeUndefined();
  });
});
