// Inline markers: a comment on the line (or the line before) that says "this is not a leak". Detection records
// the marker on the finding; filter/inline-allow.ts decides what to do with it.

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
