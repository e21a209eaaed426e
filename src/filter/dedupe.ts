import type { RawFinding } from '../types.js';

/** One finding per place: chunks of a big file overlap, and the same blob may be read twice. */
export function dedupeFindings(findings: RawFinding[]): RawFinding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.commit ?? ''}\0${f.file}\0${f.line}\0${f.column}\0${f.ruleId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
