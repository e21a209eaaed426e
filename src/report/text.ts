// Human report: a block per finding, the leak-response checklist once per leaked credential, a summary line.
import { createColors } from 'picocolors';
import { planLeakResponse, renderPlaces, type CredentialResponse } from './response.js';
import type { Finding, Reporter, ScanResult, Severity } from '../types.js';
import { describeReviewItem } from './review.js';
import { renderGitAdvice } from './advice.js';
import { chooseLayout } from './layout.js';

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
  const extra = [s.skipped > 0 ? `${s.skipped} skipped` : '', s.binary > 0 ? `${s.binary} binary` : '', hidden > 0 ? `${hidden} suppressed (${layers})` : '', result.incomplete ? 'incomplete: not everything could be read (see the warnings)' : ''].filter(Boolean).join(', ');
  return `keyguard ${result.mode}: ${found} in ${what} (${formatBytes(s.bytes)}) in ${formatDuration(s.durationMs)}${extra ? `; ${extra}` : ''}`;
}

/** `commands` in cyan when colour is on; the backticks stay when it is off, so they still stand out. */
function renderCode(line: string, c: Colors): string {
  return c.isColorSupported ? line.replace(/`([^`]+)`/g, (_m, code: string) => c.cyan(code)) : line;
}

/** The start of a note or step, to name one printed in full above: up to its first colon or full stop. */
function gist(text: string): string {
  const cut = text.search(/[:.](?:\s|$)/);
  const head = cut > 0 ? text.slice(0, cut) : text;
  return head.length > 70 ? `${head.slice(0, 69).trimEnd()}…` : head;
}

/** "1–3" for a run of numbers, "5" for one. */
const span = (from: number, to: number): string => (from === to ? `${from}` : `${from}–${to}`);

/**
 * The checklist, once per credential, most urgent first. A note or step already printed in full for an earlier
 * credential is not printed again: a run of such steps becomes one line that points at where it was ("2–3. Same as
 * steps 2–3 of 1) above."), so three keys of one kind read as one checklist and what differs.
 */
export function renderResponseText(plans: CredentialResponse[], c: Colors): string[] {
  const out: string[] = [c.bold(`Leak response: ${plans.length === 1 ? '1 credential' : `${plans.length} credentials`} to deal with${plans.length > 1 ? ', most urgent first' : ''}`), ''];
  // text → [credential number, step number] where it was printed in full.
  const printedSteps = new Map<string, [number, number]>();
  const printedNotes = new Map<string, number>();
  plans.forEach((p, i) => {
    const n = i + 1;
    const urgent = p.situation.verification === 'live' ? `${c.red(c.bold('ACT NOW · live'))}  ` : '';
    out.push(`${urgent}${c.bold(`${n}) ${p.label}`)}  ${c.dim(`credential ${p.credential} · ${p.severity} · ${plural(p.findings.length, 'finding')}`)}`);
    out.push(`   ${c.dim(`at ${renderPlaces(p.findings)}`)}`);
    // Notes printed in full above: one line that names them, by the credential where they were printed.
    const repeated = new Map<number, string[]>();
    for (const note of p.notes) {
      const at = printedNotes.get(note);
      if (at !== undefined) {
        repeated.set(at, [...(repeated.get(at) ?? []), gist(note)]);
        continue;
      }
      printedNotes.set(note, n);
      out.push(`   ${c.yellow('!')} ${renderCode(note, c)}`);
    }
    for (const [at, gists] of repeated) out.push(`   ${c.yellow('!')} ${c.dim(`As for ${at}) above: ${gists.join('; ')}.`)}`);
    let run: { from: number; to: number; plan: number; step: number; text: string } | undefined;
    const flush = (): void => {
      if (!run) return;
      const steps = span(run.step, run.step + (run.to - run.from));
      const what = run.from === run.to ? `${gist(run.text)} (as step ${steps} of ${run.plan}) above).` : `As steps ${steps} of ${run.plan}) above.`;
      out.push(`   ${c.bold(`${span(run.from, run.to)}.`)} ${c.dim(what)}`);
      run = undefined;
    };
    p.steps.forEach((step, j) => {
      const at = printedSteps.get(step);
      if (at) {
        const [plan, num] = at;
        if (run && run.plan === plan && run.step + (run.to - run.from) + 1 === num) run.to = j + 1;
        else {
          flush();
          run = { from: j + 1, to: j + 1, plan, step: num, text: step };
        }
        return;
      }
      flush();
      printedSteps.set(step, [n, j + 1]);
      out.push(`   ${c.bold(`${j + 1}.`)} ${renderCode(step, c)}`);
    });
    flush();
    out.push('');
  });
  out.pop();
  return out;
}

/** One line per finding, for CI logs: severity, place, rule, the redacted secret, commit and credential. */
function renderBriefLine(f: Finding, sev: Record<Severity, (s: string) => string>, c: Colors): string {
  const byName = f.match === 'path';
  const where = byName ? f.file : `${f.file}:${f.line}:${f.column}`;
  const parts = [sev[f.severity](f.severity.toUpperCase()), c.cyan(where), f.ruleId, ...(byName ? [] : [f.secret])];
  if (f.commit) parts.push(`commit ${f.commit.slice(0, 12)}`);
  parts.push(`credential ${f.credential}`);
  if (f.verification && f.verification.status !== 'unverified') parts.push(`verified ${f.verification.status}`);
  return parts.join('  ');
}

export const renderText: Reporter = (result, options) => {
  const c = createColors(options.color);
  const sev: Record<Severity, (s: string) => string> = { critical: c.red, high: c.red, medium: c.yellow, low: c.dim };
  const layout = result.layout ?? chooseLayout(result.mode, {});
  const out: string[] = [];
  if (layout === 'brief') {
    for (const f of result.findings) out.push(renderBriefLine(f, sev, c));
    for (const note of result.notes) out.push(c.dim(`note: ${note}`));
    out.push(result.findings.length > 0 ? c.red(summaryLine(result)) : c.green(summaryLine(result)));
    return `${out.join('\n')}\n`;
  }
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
      // The short form shows the secret only in its line (masked there as here).
      if (layout === 'full' || !f.excerpt.includes(f.secret)) out.push(`  secret ${c.yellow(f.secret)}`);
      out.push(`  ${c.dim(`${f.line} │`)} ${f.excerpt}`);
    }
    const advice = renderGitAdvice(f);
    if (advice) out.push(`  ${renderCode(advice, c)}`);
    if (f.note) out.push(`  ${c.dim(`note: ${f.note}`)}`);
    out.push('');
  }
  if (result.findings.length > 0 && layout === 'full') out.push(...renderResponseText(planLeakResponse(result, options.today), c), '');
  if (result.review?.length) {
    out.push(c.bold('For review:'));
    for (const item of result.review) out.push(`  ${c.yellow('!')} ${describeReviewItem(item)}`);
    out.push('');
  }
  for (const note of result.notes) out.push(c.dim(`note: ${note}`));
  out.push(result.findings.length > 0 ? c.red(summaryLine(result)) : c.green(summaryLine(result)));
  return `${out.join('\n')}\n`;
};
