// Post-processing as a chain of small pure filters, in this order: dedupe, inline markers, the config allowlist,
// redaction, then the baseline (which compares fingerprints, so it runs on reportable findings).
import type { Finding, RawFinding } from '../types.js';
import { filterInlineAllowed } from './inline-allow.js';
import { dedupeFindings } from './dedupe.js';
import { toFinding } from './redact.js';
import { filterConfigAllowed, type ConfigAllowlists } from './config-allow.js';
import { filterBaselined } from './baseline.js';

export interface Suppression {
  allowlists?: ConfigAllowlists;
  /** Fingerprints of known findings. */
  baseline?: ReadonlySet<string>;
  /** Where the scan ran, relative to the repository root ('' at the root): allowlist paths and baselines are root-relative. */
  pathPrefix?: string;
  /** The repository root (forward slashes), for findings reported by absolute path (a scan of a folder outside the current one). */
  root?: string;
}

export interface FilterOptions extends Suppression {
  showSecrets: boolean;
}

export interface FilterOutcome {
  findings: Finding[];
  /** Findings the baseline hid (for --baseline-update). */
  baselined: Finding[];
  /** How many findings each layer suppressed. */
  suppressed: { inline: number; allowlist: number; baseline: number };
}

export function filterFindings(raw: RawFinding[], options: FilterOptions): FilterOutcome {
  const inline = filterInlineAllowed(dedupeFindings(raw));
  const config = filterConfigAllowed(inline.kept, options.allowlists, options.pathPrefix, options.root);
  const reportable = config.kept.map((f) => toFinding(f, options.showSecrets));
  const { kept, baselined } = filterBaselined(reportable, options.baseline, options.pathPrefix, options.root);
  return {
    findings: kept,
    baselined,
    suppressed: { inline: inline.allowed.length, allowlist: config.allowed.length, baseline: baselined.length },
  };
}

/** `stats.suppressed` for a report, only when a layer hid something (reports of clean scans stay as they were). */
export function suppressedStats(s: FilterOutcome['suppressed']): { suppressed?: FilterOutcome['suppressed'] } {
  return s.inline + s.allowlist + s.baseline > 0 ? { suppressed: s } : {};
}
