// The Markdown job summary ($GITHUB_STEP_SUMMARY): a table of findings, then the checklist once per credential.
import type { Finding, ReportOptions, ScanResult } from '../types.js';
import { planLeakResponse, renderPlaces } from './response.js';
import { summaryLine } from './text.js';
import { describeReviewItem } from './review.js';

/** The table stops here; GitHub caps a step summary at 1 MiB. */
export const MAX_ROWS = 200;

/** Text for a Markdown table cell: no pipes, no line breaks, no HTML. */
export function escapeCell(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An inline code span that survives backticks inside it. */
export function codeSpan(s: string): string {
  const clean = s.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...(clean.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = clean.startsWith('`') || clean.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${clean}${pad}${fence}`;
}

function row(f: Finding, verified: boolean): string {
  const commit = f.commit ? `${f.commit.slice(0, 7)}${f.author ? ` ${f.author}` : ''}${f.date ? ` ${f.date.slice(0, 10)}` : ''}` : '';
  const cells = [f.severity, f.title, codeSpan(`${f.file}:${f.line}`), commit, codeSpan(f.secret), f.exposure, codeSpan(f.credential)];
  if (verified) cells.push(f.verification ? (f.verification.status === 'live' ? '**live**' : f.verification.status) : '');
  return `| ${cells.map((c) => (c.startsWith('`') ? c.replace(/\|/g, '\\|') : escapeCell(c))).join(' | ')} |`;
}

/** The range's changes to what keyguard trusts, and findings only a marker hides: a section of their own. */
function reviewSection(result: ScanResult): string[] {
  if (!result.review?.length) return [];
  // Globs (`src/**`) and markers hold Markdown's emphasis characters: shown as typed.
  const plain = (s: string): string => escapeCell(s).replace(/[*_`~[\]]/g, (c) => `\\${c}`);
  return ['### For review', '', ...result.review.map((item) => `- ${plain(describeReviewItem(item))}`), ''];
}

export function renderSummary(result: ScanResult, options: ReportOptions): string {
  const n = result.findings.length;
  const out: string[] = [];
  if (n === 0) {
    out.push('## keyguard: no leaked credentials', '', escapeCell(summaryLine(result)));
    for (const note of result.notes) out.push('', `> ${escapeCell(note)}`);
    const review = reviewSection(result);
    if (review.length) out.push('', ...review.slice(0, -1));
    return `${out.join('\n')}\n`;
  }
  const plans = planLeakResponse(result, options.today);
  out.push(`## keyguard: ${n} finding${n === 1 ? '' : 's'}, ${plans.length} leaked credential${plans.length === 1 ? '' : 's'}`, '');
  for (const note of result.notes) out.push(`> ${escapeCell(note)}`, '');
  out.push(...reviewSection(result));
  // The Verified column appears only when --verify ran.
  const verified = result.findings.some((f) => f.verification);
  out.push(
    `| Severity | Credential type | Where | Commit | Secret | Exposure | Credential id |${verified ? ' Verified |' : ''}`,
    `|---|---|---|---|---|---|---|${verified ? '---|' : ''}`,
  );
  for (const f of result.findings.slice(0, MAX_ROWS)) out.push(row(f, verified));
  if (n > MAX_ROWS) out.push('', `… and ${n - MAX_ROWS} more (see the SARIF or JSON report).`);
  out.push('', '### Leak response', '', 'Once per credential, most urgent first. Rotate before you clean up: the key is already out.', '');
  plans.forEach((p, i) => {
    out.push(`#### ${i + 1}. ${escapeCell(p.label)}: ${codeSpan(p.credential)} (${p.severity})`, '');
    out.push(`Seen at ${escapeCell(renderPlaces(p.findings))}.`, '');
    for (const note of p.notes) out.push(`> ${note}`, '>');
    if (p.notes.length) out.pop();
    if (p.notes.length) out.push('');
    p.steps.forEach((s, j) => out.push(`${j + 1}. ${s}`));
    out.push('');
  });
  out.push(escapeCell(summaryLine(result)));
  return `${out.join('\n')}\n`;
}
