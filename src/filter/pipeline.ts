// Post-processing as a chain of small pure filters: inline markers, dedupe, then redaction.
import type { Finding, RawFinding } from '../types.js';
import { filterInlineAllowed } from './inline-allow.js';
import { dedupeFindings } from './dedupe.js';
import { toFinding } from './redact.js';

export interface FilterOptions {
  showSecrets: boolean;
}

export interface FilterOutcome {
  findings: Finding[];
  /** How many findings each layer suppressed. */
  suppressed: { inline: number };
}

export function filterFindings(raw: RawFinding[], options: FilterOptions): FilterOutcome {
  const { kept, allowed } = filterInlineAllowed(dedupeFindings(raw));
  return {
    findings: kept.map((f) => toFinding(f, options.showSecrets)),
    suppressed: { inline: allowed.length },
  };
}
