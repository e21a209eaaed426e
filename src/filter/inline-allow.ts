// Inline markers: a comment on the line (or the line before) that says "this is not a leak".
import type { RawFinding } from '../types.js';

const SAME_LINE = /keyguard:allow(?!-next-line)|gitleaks:allow|pragma:\s*allowlist[ -]secret/i;
const NEXT_LINE = /keyguard:allow-next-line|pragma:\s*allowlist[ -]nextline[ -]secret/i;

/** The marker that allows a finding on `line`, given the line before it, if any. */
export function findInlineMarker(line: string, previous: string): string | undefined {
  const same = SAME_LINE.exec(line);
  if (same) return same[0];
  const next = NEXT_LINE.exec(previous);
  if (next) return next[0];
  return undefined;
}

/** The line the marker of a finding is on: the finding's own, or the line before for an allow-next-line marker. */
export function markerLine(f: { line: number; inlineMarker?: string }): number {
  return f.inlineMarker && NEXT_LINE.test(f.inlineMarker) && !SAME_LINE.test(f.inlineMarker) ? f.line - 1 : f.line;
}

/** Drop findings that carry an inline marker. */
export function filterInlineAllowed(findings: RawFinding[]): { kept: RawFinding[]; allowed: RawFinding[] } {
  const kept: RawFinding[] = [];
  const allowed: RawFinding[] = [];
  for (const f of findings) (f.inlineMarker ? allowed : kept).push(f);
  return { kept, allowed };
}
