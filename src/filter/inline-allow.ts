// Inline markers: findings whose line (or the line before) says "this is not a leak" (detect/inline-marker.ts
// finds the marker and records it on the finding).
import type { RawFinding } from '../types.js';

/**
 * The line the marker of a finding is on: the finding's own, or the line before for an allow-next-line marker (the
 * marker text detect/inline-marker.ts recorded says which: only the next-line forms hold "next-line" or "nextline").
 */
export function markerLine(f: { line: number; inlineMarker?: string }): number {
  return f.inlineMarker && /next-?line/i.test(f.inlineMarker) ? f.line - 1 : f.line;
}

/** Drop findings that carry an inline marker. */
export function filterInlineAllowed(findings: RawFinding[]): { kept: RawFinding[]; allowed: RawFinding[] } {
  const kept: RawFinding[] = [];
  const allowed: RawFinding[] = [];
  for (const f of findings) (f.inlineMarker ? allowed : kept).push(f);
  return { kept, allowed };
}
