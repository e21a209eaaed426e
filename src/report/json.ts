import type { Reporter } from '../types.js';
import { describeReviewItem } from './review.js';

/**
 * JSON report: `{ version, tool, mode, findings, skipped, stats }` (see README, "JSON output"); a range scan adds
 * `review` (what a reviewer should look at, docs/trust.md), each item also worded in `notes`.
 */
export const renderJson: Reporter = (result, options) => {
  const notes = [...result.notes, ...(result.review ?? []).map(describeReviewItem)];
  const doc = {
    version: 1,
    tool: { name: 'keyguard', version: options.toolVersion },
    mode: result.mode,
    ...(result.incomplete ? { incomplete: true } : {}),
    findings: result.findings,
    skipped: result.skipped,
    stats: result.stats,
    ...(result.credentials ? { credentials: result.credentials } : {}),
    ...(result.review?.length ? { review: result.review } : {}),
    ...(notes.length > 0 ? { notes } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
};
