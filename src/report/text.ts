// Human report: a block per finding, the leak-response checklist once per leaked credential, a summary line.
import { createColors } from 'picocolors';
import { planLeakResponse, renderPlaces, type CredentialResponse } from './response.js';
import type { Finding, Reporter, ScanResult, Severity } from '../types.js';
import { describeReviewItem } from './review.js';
import { renderGitAdvice } from './advice.js';

type Colors = ReturnType<typeof createColors>;

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 * 1024 * 1024) return `${(n / 1024 / 1024).toFixed(1)} MB`;
  return `${(n / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** Counts by kind, most frequent first: "2 google-api-key, 1 service-account-key". */
export function countByKind(findings: Finding[]): string {
  const counts = new Map<string, number>();
  for (const f of findings) counts.set(f.kind, (counts.get(f.kind) ?? 0) + 1);
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([k, n]) => `${n} ${k}`)
    .join(', ');
}

export function summaryLine(result: ScanResult): string {
  const s = result.stats;
  const what = result.mode === 'history' ? `${plural(s.commits ?? 0, 'commit')}, ${plural(s.blobs ?? s.files, 'blob')}` : plural(s.files, 'file');
  const found = s.findings === 0 ? 'no leaks found' : `${plural(s.findings, 'finding')} (${countByKind(result.findings)})`;
  const hidden = s.suppressed ? s.suppressed.inline + s.suppressed.allowlist + s.suppressed.baseline : 0;
  const layers = s.suppressed ? (['inline', 'allowlist', 'baseline'] as const).filter((k) => s.suppressed![k] > 0).map((k) => `${s.suppressed![k]} ${k}`).join(', ') : '';
  const extra = [s.skipped > 0 ? `${s.skipped} skipped` : '', s.binary > 0 ? `${s.binary} binary` : '', hidden > 0 ? `${hidden} suppressed (${layers})` : ''].filter(Boolean).join(', ');
  return `keyguard ${result.mode}: ${found} in ${what} (${formatBytes(s.bytes)}) in ${formatDuration(s.durationMs)}${extra ? `; ${extra}` : ''}`;
}

/** `commands` in cyan when colour is on; the backticks stay when it is off, so they still stand out. */
function renderCode(line: string, c: Colors): string {
  return c.isColorSupported ? line.replace(/`([^`]+)`/g, (_m, code: string) => c.cyan(code)) : line;
}

/** The checklist, once per credential, most urgent first. */
export function renderResponseText(plans: CredentialResponse[], c: Colors): string[] {
  const out: string[] = [c.bold(`Leak response: ${plans.length === 1 ? '1 credential' : `${plans.length} credentials`} to deal with${plans.length > 1 ? ', most urgent first' : ''}`), ''];
  plans.forEach((p, i) => {
    const urgent = p.situation.verification === 'live' ? `${c.red(c.bold('ACT NOW · live'))}  ` : '';
    out.push(`${urgent}${c.bold(`${i + 1}) ${p.label}`)}  ${c.dim(`credential ${p.credential} · ${p.severity} · ${plural(p.findings.length, 'finding')}`)}`);
    out.push(`   ${c.dim(`at ${renderPlaces(p.findings)}`)}`);
    for (const note of p.notes) out.push(`   ${c.yellow('!')} ${renderCode(note, c)}`);
    p.steps.forEach((step, j) => out.push(`   ${c.bold(`${j + 1}.`)} ${renderCode(step, c)}`));
    out.push('');
  });
  out.pop();
  return out;
}

export const renderText: Reporter = (result, options) => {
  const c = createColors(options.color);
  const sev: Record<Severity, (s: string) => string> = { critical: c.red, high: c.red, medium: c.yellow, low: c.dim };
  const out: string[] = [];
  for (const f of result.findings) {
    // A file found by name has no place inside it to show, and its name is no secret.
    const byName = f.match === 'path';
    const where = byName ? f.file : `${f.file}:${f.line}:${f.column}`;
    out.push(`${sev[f.severity](c.bold(f.severity.toUpperCase()))}  ${c.bold(f.title)}  ${c.cyan(where)}`);
    const facts = [`rule ${f.ruleId}`, `credential ${f.credential}`, ...(byName ? [] : [`exposure ${f.exposure}`])];
    if (f.git) facts.push(`git ${f.git}`);
    if (f.encoding) facts.push(f.encoding);
    out.push(`  ${c.dim(facts.join(' · '))}`);
    if (f.verification) out.push(`  ${f.verification.status === 'live' ? c.red(c.bold('verified live')) : c.dim(`verified ${f.verification.status}`)}${c.dim(`: ${f.verification.reason}`)}`);
    if (f.commit) out.push(`  commit ${f.commit.slice(0, 12)}${f.author ? ` by ${f.author}${f.email ? ` <${f.email}>` : ''}` : ''}${f.date ? ` on ${f.date.slice(0, 10)}` : ''}`);
    if (byName) out.push(`  ${f.excerpt}`);
    else {
      out.push(`  secret ${c.yellow(f.secret)}`);
      out.push(`  ${c.dim(`${f.line} │`)} ${f.excerpt}`);
    }
    const advice = renderGitAdvice(f);
    if (advice) out.push(`  ${renderCode(advice, c)}`);
    if (f.note) out.push(`  ${c.dim(`note: ${f.note}`)}`);
    out.push('');
  }
  if (result.findings.length > 0) out.push(...renderResponseText(planLeakResponse(result, options.today), c), '');
  if (result.review?.length) {
    out.push(c.bold('For review:'));
    for (const item of result.review) out.push(`  ${c.yellow('!')} ${describeReviewItem(item)}`);
    out.push('');
  }
  for (const note of result.notes) out.push(c.dim(`note: ${note}`));
  out.push(result.findings.length > 0 ? c.red(summaryLine(result)) : c.green(summaryLine(result)));
  return `${out.join('\n')}\n`;
};
