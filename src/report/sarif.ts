// SARIF 2.1.0 for GitHub code scanning (github/codeql-action/upload-sarif) and other SARIF viewers.
// One rule per keyguard rule (help = the leak-response checklist), one result per finding. partialFingerprints come
// from the finding's fingerprint (credential + path), never from the line, so an alert survives lines moving.
import type { Log, ReportingDescriptor, Result as SarifResult, Notification } from 'sarif';
import type { Finding, Kind, Reporter, Rule, Severity } from '../types.js';
import { kindLabel, renderChecklist, type Situation } from './response.js';
import { describeReviewItem, reviewLocation } from './review.js';

/** Where people read about keyguard (SARIF tool.driver.informationUri). */
export const KEYGUARD_URL = 'https://github.com/keyguard-dev/keyguard';
const README_RULES = `${KEYGUARD_URL}#what-it-finds`;

/** GitHub's scale: over 9.0 critical, 7.0 to 8.9 high, 4.0 to 6.9 medium, below 4.0 low. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };
const LEVEL: Record<Severity, SarifResult.level> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };

interface RuleFacts {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  kind: Kind;
  references: string[];
}

const BASE: Situation = { history: false, staged: false, client: false, firebase: false, notInGit: false };

function numbered(steps: string[]): string[] {
  return steps.map((s, i) => `${i + 1}. ${s}`);
}

/** Rule help: the checklist for the kind, then what changes when the leak is in history or in client code. */
export function renderRuleHelp(rule: RuleFacts): { text: string; markdown: string } {
  const plain = renderChecklist(rule.kind, BASE);
  const delta = (s: Situation): string[] => {
    const c = renderChecklist(rule.kind, s);
    return [...c.notes.filter((n) => !plain.notes.includes(n)), ...c.steps.filter((x) => !plain.steps.includes(x))];
  };
  const cases: [string, string[]][] = [
    ['If it is in git history', delta({ ...BASE, history: true })],
    ['If it is in client-side code', delta({ ...BASE, client: true })],
  ];
  const situational = cases.filter(([, lines]) => lines.length > 0);
  const text = [
    `${rule.title}: ${rule.description}`,
    '',
    `Leak response (${kindLabel(rule.kind)}):`,
    ...plain.notes,
    ...numbered(plain.steps),
    ...situational.flatMap(([title, lines]) => ['', `${title}:`, ...lines.map((l) => `- ${l}`)]),
  ].join('\n');
  const markdown = [
    `**${rule.title}**: ${rule.description}`,
    '',
    `### Leak response (${kindLabel(rule.kind)})`,
    '',
    ...plain.notes.map((n) => `> ${n}\n`),
    ...numbered(plain.steps),
    ...situational.flatMap(([title, lines]) => ['', `### ${title}`, '', ...lines.map((l) => `- ${l}`)]),
    ...(rule.references.length ? ['', '### References', '', ...rule.references.map((r) => `- <${r}>`)] : []),
  ].join('\n');
  return { text, markdown };
}

function toDescriptor(rule: RuleFacts): ReportingDescriptor {
  return {
    id: rule.id,
    name: rule.id
      .split('-')
      .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
      .join(''),
    shortDescription: { text: rule.title },
    fullDescription: { text: rule.description },
    help: renderRuleHelp(rule),
    helpUri: rule.references[0] ?? README_RULES,
    defaultConfiguration: { level: LEVEL[rule.severity] },
    properties: {
      'security-severity': SECURITY_SEVERITY[rule.severity],
      precision: 'high',
      tags: ['security', 'secret', 'credential', rule.kind, 'external/cwe/cwe-798'],
    },
  };
}

/** Rules loaded for this run, plus any rule a finding names that is not among them (a user rule, say). */
function collectRules(rules: Rule[], findings: Finding[]): RuleFacts[] {
  const out: RuleFacts[] = rules.map((r) => ({ id: r.id, title: r.title, description: r.description, severity: r.severity, kind: r.kind, references: r.references }));
  const known = new Set(out.map((r) => r.id));
  for (const f of findings) {
    if (known.has(f.ruleId)) continue;
    known.add(f.ruleId);
    out.push({ id: f.ruleId, title: f.title, description: `${kindLabel(f.kind)} found by rule ${f.ruleId}.`, severity: f.severity, kind: f.kind, references: [] });
  }
  return out;
}

/** A relative path as a URI reference: each segment percent-encoded, slashes kept. */
export function toUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .map((seg) => encodeURIComponent(seg))
    .join('/');
}

function messageFor(f: Finding): string {
  const where = f.commit ? `, added in commit ${f.commit.slice(0, 12)}${f.author ? ` by ${f.author}` : ''}${f.date ? ` on ${f.date.slice(0, 10)}` : ''}` : '';
  const client = f.exposure === 'client' ? ' It is in client-side code: move the call behind a backend.' : '';
  const history = f.commit ? ' Deleting the line does not unpublish it.' : '';
  return `${f.title}: ${f.secret} (credential ${f.credential}${where}).${client}${history} Rotate it: create a replacement, deploy it, then disable or delete this one; the rule help has the full checklist.`;
}

function propertiesFor(f: Finding): Record<string, unknown> {
  const p: Record<string, unknown> = { kind: f.kind, severity: f.severity, credential: f.credential, secret: f.secret, exposure: f.exposure };
  if (f.commit) p['commit'] = f.commit;
  if (f.author !== undefined) p['author'] = f.author;
  if (f.email !== undefined) p['email'] = f.email;
  if (f.date !== undefined) p['date'] = f.date;
  if (f.refs) p['refs'] = f.refs;
  if (f.git) p['git'] = f.git;
  if (f.encoding) p['encoding'] = f.encoding;
  if (f.note) p['note'] = f.note;
  if (f.verification) p['verification'] = f.verification;
  return p;
}

export const renderSarif: Reporter = (result, options) => {
  const rules = collectRules(options.rules, result.findings);
  const index = new Map(rules.map((r, i) => [r.id, i]));
  // The same credential twice in one file: same fingerprint, so number the later ones to keep both alerts.
  const seen = new Map<string, number>();
  const results: SarifResult[] = result.findings.map((f) => {
    const n = (seen.get(f.fingerprint) ?? 0) + 1;
    seen.set(f.fingerprint, n);
    return {
      ruleId: f.ruleId,
      ruleIndex: index.get(f.ruleId)!,
      kind: 'fail',
      level: LEVEL[f.severity],
      message: { text: messageFor(f) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: toUri(f.file), uriBaseId: '%SRCROOT%' },
            region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
          },
        },
      ],
      partialFingerprints: { 'keyguardFingerprint/v1': n === 1 ? f.fingerprint : `${f.fingerprint}:${n}` },
      properties: propertiesFor(f),
    };
  });
  const notifications: Notification[] = [
    // A range's changes to what keyguard trusts, and findings only a marker hides: warnings on the file, for review.
    ...(result.review ?? []).map((item): Notification => {
      const at = reviewLocation(item);
      return {
        level: 'warning',
        message: { text: describeReviewItem(item) },
        locations: [{ physicalLocation: { artifactLocation: { uri: toUri(at.file), uriBaseId: '%SRCROOT%' }, ...(at.line ? { region: { startLine: at.line } } : {}) } }],
        properties: { review: item },
      };
    }),
    ...result.notes.map((text): Notification => ({ level: 'warning', message: { text } })),
    ...result.skipped.slice(0, 100).map((s): Notification => ({ level: 'note', message: { text: `skipped ${s.path}: ${s.reason}` } })),
  ];
  const log: Log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'keyguard',
            version: options.toolVersion,
            semanticVersion: options.toolVersion,
            informationUri: KEYGUARD_URL,
            rules: rules.map(toDescriptor),
          },
        },
        invocations: [{ executionSuccessful: true, ...(notifications.length ? { toolExecutionNotifications: notifications } : {}) }],
        originalUriBaseIds: { '%SRCROOT%': { description: { text: 'The root of the scanned repository or folder.' } } },
        columnKind: 'unicodeCodePoints',
        results,
        properties: { mode: result.mode, ...(result.incomplete ? { incomplete: true } : {}), stats: result.stats, ...(result.review?.length ? { review: result.review } : {}) },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
};
