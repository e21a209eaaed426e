// JUnit XML for CI systems that read test reports: one failing test case per finding, or one passing case.
import type { Finding, Reporter } from '../types.js';
import { planLeakResponse, type CredentialResponse } from './response.js';
import { describeReviewItem } from './review.js';

/** XML text and attribute escaping; characters XML 1.0 cannot carry at all are dropped. */
export function escapeXml(s: string): string {
  return s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function attrs(pairs: [string, string | number][]): string {
  return pairs.map(([k, v]) => ` ${k}="${escapeXml(String(v))}"`).join('');
}

function body(f: Finding, plan: CredentialResponse | undefined): string {
  const lines = [
    `${f.title} (${f.ruleId}, ${f.severity}) at ${f.file}:${f.line}:${f.column}`,
    `secret ${f.secret} · credential ${f.credential} · exposure ${f.exposure}`,
    ...(f.verification ? [`verified ${f.verification.status}: ${f.verification.reason}`] : []),
    ...(f.commit ? [`commit ${f.commit}${f.author ? ` by ${f.author}${f.email ? ` <${f.email}>` : ''}` : ''}${f.date ? ` on ${f.date}` : ''}`] : []),
    `${f.line} | ${f.excerpt}`,
    ...(plan ? ['', 'Leak response:', ...plan.notes.map((n) => `! ${n}`), ...plan.steps.map((s, i) => `${i + 1}. ${s}`)] : []),
  ];
  return lines.join('\n');
}

export const renderJunit: Reporter = (result, options) => {
  const seconds = (result.stats.durationMs / 1000).toFixed(3);
  const n = result.findings.length;
  const plans = new Map(planLeakResponse(result, options.today).map((p) => [p.credential, p]));
  const suite = `keyguard ${result.mode}`;
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  out.push(`<testsuites${attrs([['name', 'keyguard'], ['tests', Math.max(1, n)], ['failures', n], ['errors', 0], ['time', seconds]])}>`);
  out.push(`  <testsuite${attrs([['name', suite], ['tests', Math.max(1, n)], ['failures', n], ['errors', 0], ['skipped', 0], ['time', seconds]])}>`);
  if (n === 0) {
    out.push(`    <testcase${attrs([['classname', 'keyguard'], ['name', 'no leaked credentials'], ['time', seconds]])}/>`);
  }
  for (const f of result.findings) {
    const name = `${f.file}:${f.line}:${f.column} ${f.title}${f.commit ? ` @ ${f.commit.slice(0, 12)}` : ''}`;
    out.push(`    <testcase${attrs([['classname', `keyguard.${f.ruleId}`], ['name', name], ['file', f.file], ['line', f.line], ['time', 0]])}>`);
    out.push(`      <failure${attrs([['type', f.ruleId], ['message', `${f.title} ${f.secret} (credential ${f.credential})`]])}>${escapeXml(body(f, plans.get(f.credential)))}</failure>`);
    out.push('    </testcase>');
  }
  const notes = [...result.notes, ...(result.review ?? []).map((item) => `review: ${describeReviewItem(item)}`)];
  if (notes.length) out.push(`    <system-out>${escapeXml(notes.join('\n'))}</system-out>`);
  out.push('  </testsuite>', '</testsuites>');
  return `${out.join('\n')}\n`;
};
