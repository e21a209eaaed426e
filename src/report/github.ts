// GitHub Actions workflow commands: one ::error annotation per finding, ::warning for low-severity ones (a public
// .env, a secret in an ignored file); GitHub shows 10 annotations of each type per step, so 10 of each, then a
// ::notice with the count of the rest; notes as ::warning, then the plain summary line.
// The Markdown job summary is summary.ts; the CLI appends it to $GITHUB_STEP_SUMMARY.
import type { Finding, Reporter } from '../types.js';
import { summaryLine } from './text.js';
import { describeReviewItem, reviewLocation, reviewTitle } from './review.js';

/** GitHub shows at most this many error annotations per step. */
export const MAX_ANNOTATIONS = 10;

/** Escape a workflow command's message (what follows `::`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escape a workflow command property value (`file=…,title=…`). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

function command(name: string, props: [string, string | number][], message: string): string {
  const p = props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',');
  return `::${name}${p ? ` ${p}` : ''}::${escapeData(message)}`;
}

function annotation(f: Finding): string {
  const props: [string, string | number][] = [
    ['file', f.file],
    ['line', f.line],
    ['endLine', f.endLine],
  ];
  // GitHub takes columns only for a one-line span; its endColumn is the last column, SARIF's is the one after.
  if (f.line === f.endLine) props.push(['col', f.column], ['endColumn', Math.max(f.column, f.endColumn - 1)]);
  props.push(['title', `${f.title} (${f.ruleId})`]);
  const facts = [
    `${f.title}: ${f.secret} (credential ${f.credential}, exposure ${f.exposure})`,
    ...(f.verification ? [`Verified ${f.verification.status}: ${f.verification.reason}`] : []),
    ...(f.commit ? [`Added in commit ${f.commit.slice(0, 12)}${f.author ? ` by ${f.author}` : ''}${f.date ? ` on ${f.date.slice(0, 10)}` : ''}; deleting the line does not unpublish it.`] : []),
    'Rotate it: create a replacement, deploy it, then disable or delete this one. The job summary has the full checklist.',
  ];
  return command(f.severity === 'low' ? 'warning' : 'error', props, facts.join('\n'));
}

export const renderGithub: Reporter = (result) => {
  const errors = result.findings.filter((f) => f.severity !== 'low');
  const warnings = result.findings.filter((f) => f.severity === 'low');
  const out = [...errors.slice(0, MAX_ANNOTATIONS), ...warnings.slice(0, MAX_ANNOTATIONS)].map(annotation);
  const rest = Math.max(0, errors.length - MAX_ANNOTATIONS) + Math.max(0, warnings.length - MAX_ANNOTATIONS);
  if (rest > 0) {
    out.push(
      command(
        'notice',
        [['title', 'keyguard']],
        `${rest} more finding${rest === 1 ? '' : 's'} not annotated (GitHub shows ${MAX_ANNOTATIONS} annotations of each type per step); the job summary and the SARIF report list them all.`,
      ),
    );
  }
  // What a range changes in what keyguard trusts, and markers that hide findings: a warning on the file, for review.
  for (const item of result.review ?? []) {
    const at = reviewLocation(item);
    out.push(command('warning', [['file', at.file], ...(at.line ? [['line', at.line] as [string, number]] : []), ['title', reviewTitle(item)]], describeReviewItem(item)));
  }
  for (const note of result.notes) out.push(command('warning', [['title', 'keyguard']], note));
  out.push(summaryLine(result));
  return `${out.join('\n')}\n`;
};
