// Inline markers: findings whose line (or the line before) says "this is not a leak" (detect/inline-marker.ts
// finds the marker and records it on the finding).
import type { RawFinding } from '../types.js';

/** Drop findings that carry an inline marker. */
export function filterInlineAllowed(findings: RawFinding[]): { kept: RawFinding[]; allowed: RawFinding[] } {
  const kept: RawFinding[] = [];
  const allowed: RawFinding[] = [];
  for (const f of findings) (f.inlineMarker ? allowed : kept).push(f);
  return { kept, allowed };
}
