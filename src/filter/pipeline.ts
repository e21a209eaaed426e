// Post-processing as a chain of small pure filters, in this order: dedupe, inline markers, the config allowlist,
// redaction, then the baseline (which compares fingerprints, so it runs on reportable findings).
import type { Finding, RawFinding, ReviewItem } from '../types.js';
import { filterInlineAllowed, markerLine } from './inline-allow.js';
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
  /** Honour inline markers (default true); --no-inline-allow turns them off, so a reviewer decides. */
  inline?: boolean;
  /** List the findings that only an inline marker hides (a range scan: markers the code under check wrote). */
  reviewInline?: boolean;
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
  /** With reviewInline: the findings an inline marker hides that the allowlists and the baseline would not. */
  review: ReviewItem[];
}

export function filterFindings(raw: RawFinding[], options: FilterOptions): FilterOutcome {
  const deduped = dedupeFindings(raw);
  const inline = options.inline === false ? { kept: deduped, allowed: [] } : filterInlineAllowed(deduped);
  const config = filterConfigAllowed(inline.kept, options.allowlists, options.pathPrefix, options.root);
  const reportable = config.kept.map((f) => toFinding(f, options.showSecrets));
  const { kept, baselined } = filterBaselined(reportable, options.baseline, options.pathPrefix, options.root);
  return {
    findings: kept,
    baselined,
    suppressed: { inline: inline.allowed.length, allowlist: config.allowed.length, baseline: baselined.length },
    review: options.reviewInline ? reviewInlineAllowed(inline.allowed, options) : [],
  };
}

/** The findings hidden by a marker alone: the trusted layers (allowlists, baseline) would have reported them. */
function reviewInlineAllowed(allowed: RawFinding[], options: FilterOptions): ReviewItem[] {
  if (allowed.length === 0) return [];
  const config = filterConfigAllowed(allowed, options.allowlists, options.pathPrefix, options.root);
  // toFinding drops the raw secret; the marker and its line come from the raw finding.
  const paired = config.kept.map((raw) => ({ raw, finding: toFinding(raw, false) }));
  const { kept } = filterBaselined(
    paired.map((p) => p.finding),
    options.baseline,
    options.pathPrefix,
    options.root,
  );
  const still = new Set(kept);
  return paired
    .filter((p) => still.has(p.finding))
    .map(({ raw, finding }) => ({
      type: 'inline-marker' as const,
      file: finding.file,
      line: finding.line,
      markerLine: markerLine(raw),
      marker: raw.inlineMarker ?? '',
      ...(finding.commit ? { commit: finding.commit } : {}),
      ruleId: finding.ruleId,
      title: finding.title,
      credential: finding.credential,
    }))
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
}

/** `stats.suppressed` for a report, only when a layer hid something (reports of clean scans stay as they were). */
export function suppressedStats(s: FilterOutcome['suppressed']): { suppressed?: FilterOutcome['suppressed'] } {
  return s.inline + s.allowlist + s.baseline > 0 ? { suppressed: s } : {};
}
