// The words for what a range scan asks a reviewer to look at (ScanResult.review), shared by every format: changes
// to the files keyguard trusts, which take effect once merged, and findings only an inline marker hides.
import type { ReviewItem } from '../types.js';

const ROLES: Record<Extract<ReviewItem, { type: 'config-change' }>['role'], string> = {
  config: 'the keyguard configuration',
  baseline: 'the keyguard baseline',
  gitleaksignore: "gitleaks' ignore file",
};

const VERBS = { added: 'adds', changed: 'changes', deleted: 'deletes' } as const;

/** One line for one item. */
export function describeReviewItem(item: ReviewItem): string {
  if (item.type === 'config-change') {
    const effect = item.role === 'gitleaksignore' ? '' : ': not used by this check, it takes effect once merged';
    const details = item.details.length > 0 ? `; ${item.details.join('; ')}` : '';
    return `this range ${VERBS[item.change]} ${item.file} (${ROLES[item.role]})${effect}${details}`;
  }
  const commit = item.commit ? `, commit ${item.commit.slice(0, 12)}` : '';
  const at = item.markerLine === item.line ? '' : ` (for line ${item.line})`;
  return `suppressed by an inline marker added in this range: ${item.file}:${item.markerLine}${at} (${item.marker}) hides a ${item.title} (${item.ruleId}, credential ${item.credential}${commit}); review it, or run with --no-inline-allow to report it`;
}

/** Where an annotation for the item points. */
export function reviewLocation(item: ReviewItem): { file: string; line?: number } {
  return item.type === 'config-change' ? { file: item.file } : { file: item.file, line: item.markerLine };
}

/** A title for annotations and headings. */
export function reviewTitle(item: ReviewItem): string {
  return item.type === 'config-change' ? `keyguard: ${item.file} ${item.change} in this range` : 'keyguard: inline marker for review';
}
