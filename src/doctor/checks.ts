// `keyguard doctor`: is this repository set up so the next key does not leak? Four checks (pre-commit hook,
// .gitignore coverage of credential files, no credential file tracked, CI runs keyguard), each with the exact
// command or line that fixes it. Pure: the facts are read first (read-setup.ts), then judged and rendered here.
import type { Rule } from '../types.js';
import { renderTrackedSettingsWarning, shellPath } from '../report/advice.js';

/** What the hook check learned (read-setup.ts reads it). */
export interface HookFacts {
  /** The hook file git runs, relative to the work tree when inside it. */
  hookFile: string;
  /** core.hooksPath, when set. */
  hooksPath?: string;
  plain: { exists: boolean; runsKeyguard: boolean; executable: boolean };
  /** Another manager that owns the plain hook (see hook/install.ts detectManager). */
  manager?: 'husky' | 'lefthook' | 'pre-commit';
  husky: { present: boolean; active: boolean; runsKeyguard: boolean };
  lefthook: { file?: string; runsKeyguard: boolean; installed: boolean };
  preCommit: { present: boolean; runsKeyguard: boolean; installed: boolean };
}

export interface DoctorFacts {
  root: string;
  hook: HookFacts;
  /** Probe names (see GITIGNORE_PROBES) that git ignores. */
  ignored: Set<string>;
  /** Tracked files that a path rule matches. */
  tracked: { path: string; ruleId: string }[];
  /** Workflow files under .github/workflows and whether each runs keyguard. */
  workflows: { file: string; runsKeyguard: boolean }[];
}

/** One probe name per credential-file shape, the .gitignore lines that cover it, and the rule it belongs to. */
export const GITIGNORE_PROBES: { probe: string; lines: string[]; ruleId: string }[] = [
  { probe: '.env', lines: ['.env'], ruleId: 'env-file' },
  { probe: '.env.local', lines: ['.env.*', '!.env.example'], ruleId: 'env-file' },
  { probe: '.env.production', lines: ['.env.*', '!.env.example'], ruleId: 'env-file' },
  { probe: 'service-account.json', lines: ['service-account*.json'], ruleId: 'google-service-account-file' },
  { probe: 'acme-prod-firebase-adminsdk-a1b2c-0123456789.json', lines: ['*-firebase-adminsdk-*.json'], ruleId: 'google-service-account-file' },
  { probe: 'client_secret.json', lines: ['client_secret*.json'], ruleId: 'google-oauth-client-secret-file' },
  { probe: 'application_default_credentials.json', lines: ['application_default_credentials.json'], ruleId: 'google-application-default-credentials-file' },
  { probe: 'key.p12', lines: ['*.p12'], ruleId: 'pkcs12-key-file' },
  { probe: 'server.key', lines: ['*.key'], ruleId: 'private-key-file' },
];

/** The probes that apply with these rules loaded (a rule disabled in the config is not checked for). */
export function probesFor(rules: readonly Rule[]): typeof GITIGNORE_PROBES {
  const ids = new Set(rules.map((r) => r.id));
  return GITIGNORE_PROBES.filter((p) => ids.has(p.ruleId));
}

export const WORKFLOW_FILE = '.github/workflows/keyguard.yml';

export const WORKFLOW = `name: keyguard
on:
  push:
  pull_request:
permissions:
  contents: read
jobs:
  keyguard:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: keyguard-dev/keyguard@v1
`;

export interface DoctorFix {
  /** What to do, in words. */
  text: string;
  /** Commands that fix it, in order. */
  commands: string[];
  /** Lines to add to the root .gitignore. */
  gitignore?: string[];
  /** A file to create. */
  file?: { path: string; content: string };
}

export interface DoctorCheck {
  id: 'hook' | 'gitignore' | 'tracked' | 'ci';
  title: string;
  ok: boolean;
  summary: string;
  /** Items (files, names) the summary is about. */
  items?: string[];
  /** What passes but deserves a look: the same warnings the hook and the scans give (a tracked .env of settings). */
  warnings?: string[];
  fix?: DoctorFix;
}

export interface DoctorReport {
  root: string;
  ok: boolean;
  checks: DoctorCheck[];
}

function checkHook(h: HookFacts): DoctorCheck {
  const title = 'pre-commit hook';
  const ok = (summary: string): DoctorCheck => ({ id: 'hook', title, ok: true, summary });
  const missing = (summary: string, fix: DoctorFix): DoctorCheck => ({ id: 'hook', title, ok: false, summary, fix });
  if (h.plain.exists && h.plain.runsKeyguard && h.plain.executable) return ok(`keyguard runs from ${h.hookFile}`);
  if (h.husky.active && h.husky.runsKeyguard) return ok('keyguard runs from .husky/pre-commit (husky)');
  if (h.lefthook.runsKeyguard && h.lefthook.installed) return ok(`keyguard runs from ${h.lefthook.file} (lefthook)`);
  if (h.preCommit.runsKeyguard && h.preCommit.installed) return ok('keyguard runs from .pre-commit-config.yaml (pre-commit)');

  if (h.plain.exists && h.plain.runsKeyguard) {
    return missing(`${h.hookFile} runs keyguard but is not executable, so git skips it`, { text: 'Make the hook executable.', commands: [`chmod +x ${shellPath(h.hookFile)}`] });
  }
  if (h.husky.runsKeyguard && !h.husky.active) {
    return missing('.husky/pre-commit runs keyguard, but husky is not active here (core.hooksPath is not set)', { text: "Run husky once (the package's prepare script does it on npm install).", commands: ['npx husky'] });
  }
  if (h.husky.active) {
    return missing('husky runs the hooks here, but .husky/pre-commit does not run keyguard', { text: 'Add keyguard to .husky/pre-commit.', commands: ['npx keyguard install --husky'] });
  }
  if (h.lefthook.runsKeyguard) {
    return missing(`${h.lefthook.file} runs keyguard, but lefthook's hooks are not installed`, { text: "Install lefthook's git hooks.", commands: ['npx lefthook install'] });
  }
  if (h.preCommit.runsKeyguard) {
    return missing(".pre-commit-config.yaml runs keyguard, but the pre-commit framework's hook is not installed", { text: "Install the pre-commit framework's git hook.", commands: ['pre-commit install'] });
  }
  if (h.manager === 'lefthook' || h.lefthook.file) {
    return missing(`lefthook manages the pre-commit hook, and ${h.lefthook.file ?? 'lefthook.yml'} does not run keyguard`, { text: 'Add a keyguard job to the lefthook configuration, then install the hooks.', commands: ['npx keyguard install --lefthook', 'npx lefthook install'] });
  }
  if (h.manager === 'pre-commit' || h.preCommit.present) {
    return missing('the pre-commit framework manages the hook, and .pre-commit-config.yaml does not run keyguard', { text: 'Add the block that `keyguard install --pre-commit` prints to .pre-commit-config.yaml, then install the hook.', commands: ['npx keyguard install --pre-commit', 'pre-commit install'] });
  }
  return missing(h.plain.exists ? `${h.hookFile} exists but does not run keyguard` : `no pre-commit hook (${h.hookFile} does not exist)`, {
    text: h.plain.exists ? 'Install the keyguard hook; your hook is kept and still runs after keyguard.' : 'Install the keyguard hook.',
    commands: ['npx keyguard install'],
  });
}

function checkGitignore(facts: DoctorFacts, rules: readonly Rule[]): DoctorCheck {
  const title = '.gitignore covers credential files';
  const probes = probesFor(rules);
  const notIgnored = probes.filter((p) => !facts.ignored.has(p.probe));
  if (notIgnored.length === 0) return { id: 'gitignore', title, ok: true, summary: `git ignores ${probes.map((p) => p.probe).join(', ')}` };
  const lines = [...new Set(notIgnored.flatMap((p) => p.lines))];
  // A negation is only worth adding next to the pattern it carves an exception from.
  const wanted = lines.filter((l) => !l.startsWith('!') || lines.includes('.env.*'));
  return {
    id: 'gitignore',
    title,
    ok: false,
    summary: `git would not ignore ${notIgnored.map((p) => p.probe).join(', ')}`,
    items: notIgnored.map((p) => p.probe),
    fix: {
      text: 'Add these lines to the .gitignore at the repository root.',
      gitignore: wanted,
      commands: [`printf '%s\\n' ${wanted.map((l) => `'${l}'`).join(' ')} >> .gitignore`],
    },
  };
}

function checkTracked(facts: DoctorFacts, rules: readonly Rule[]): DoctorCheck {
  const title = 'no credential file tracked';
  // A file only a warn-only rule names (a .env of public settings) is a warning in the hook and every scan, so here too.
  const warnOnly = new Map(rules.filter((r) => r.warnOnly).map((r) => [r.id, r.title]));
  const warned = [...new Map(facts.tracked.filter((t) => warnOnly.has(t.ruleId)).map((t) => [t.path, t.ruleId])).entries()].sort(([a], [b]) => a.localeCompare(b));
  const files = [...new Set(facts.tracked.filter((t) => !warnOnly.has(t.ruleId)).map((t) => t.path))].sort();
  const warnings = warned.map(([path, ruleId]) => renderTrackedSettingsWarning(path, warnOnly.get(ruleId)!));
  const withWarnings = warnings.length > 0 ? { warnings } : {};
  if (files.length === 0) {
    const summary = warned.length === 0 ? 'git tracks no file named like a credential file' : `git tracks no credential file; ${warned.length === 1 ? '1 file' : `${warned.length} files`} to look at (below)`;
    return { id: 'tracked', title, ok: true, summary, ...withWarnings };
  }
  return {
    id: 'tracked',
    title,
    ok: false,
    summary: `git tracks ${files.length === 1 ? 'a credential file' : `${files.length} credential files`}: ${files.join(', ')}`,
    items: files,
    ...withWarnings,
    fix: {
      text: 'Stop tracking them (the files stay on disk), commit, and rotate every credential they held: they are in history (`keyguard history` shows since when).',
      commands: [`git rm --cached -- ${files.map(shellPath).join(' ')}`, `git commit -m 'Stop tracking credential files'`],
    },
  };
}

function checkCi(facts: DoctorFacts): DoctorCheck {
  const title = 'CI runs keyguard';
  const running = facts.workflows.filter((w) => w.runsKeyguard);
  if (running.length > 0) return { id: 'ci', title, ok: true, summary: `keyguard runs in ${running.map((w) => w.file).join(', ')}` };
  return {
    id: 'ci',
    title,
    ok: false,
    summary: facts.workflows.length === 0 ? 'no GitHub Actions workflow (.github/workflows is empty or missing)' : `none of ${facts.workflows.length} workflow(s) in .github/workflows runs keyguard`,
    fix: {
      text: `Create ${WORKFLOW_FILE} with the keyguard action (it scans the commits of each push and pull request), and commit it.`,
      commands: [`mkdir -p .github/workflows && printf '%s' '${WORKFLOW.replace(/'/g, `'\\''`)}' > ${WORKFLOW_FILE}`, `git add ${WORKFLOW_FILE} && git commit -m 'CI: scan commits with keyguard'`],
      file: { path: WORKFLOW_FILE, content: WORKFLOW },
    },
  };
}

export function evaluateDoctor(facts: DoctorFacts, rules: readonly Rule[]): DoctorReport {
  const checks = [checkHook(facts.hook), checkGitignore(facts, rules), checkTracked(facts, rules), checkCi(facts)];
  return { root: facts.root, ok: checks.every((c) => c.ok), checks };
}

/** Whether a workflow file's text runs keyguard: the action (`uses: …/keyguard@…`) or a `keyguard` command. */
export function workflowRunsKeyguard(text: string): boolean {
  return /^\s*(?:-\s*)?uses:\s*['"]?[\w.-]+\/keyguard(?:-action)?(?:\/[\w./-]*)?@/im.test(text) || /(?:^|[\s/'"])keyguard\s+(?:scan|history|staged)\b/m.test(text);
}

export function renderDoctorText(report: DoctorReport, color: { green: (s: string) => string; red: (s: string) => string; bold: (s: string) => string; dim: (s: string) => string; cyan: (s: string) => string }): string {
  const out: string[] = [`keyguard doctor: ${report.root}`, ''];
  for (const c of report.checks) {
    out.push(`${c.ok ? color.green('✓') : color.red('✗')} ${color.bold(c.title)}: ${c.summary}`);
    for (const w of c.warnings ?? []) out.push(`    warning: ${w}`);
    if (!c.fix) continue;
    out.push(`    fix: ${c.fix.text}`);
    if (c.fix.gitignore) for (const l of c.fix.gitignore) out.push(`         ${color.cyan(l)}`);
    if (c.fix.file) {
      out.push(`         ${color.dim(`# ${c.fix.file.path}`)}`);
      for (const l of c.fix.file.content.trimEnd().split('\n')) out.push(`         ${color.cyan(l)}`);
      // The one-line command that writes the file repeats it; the last command (commit) is what is left to run.
      out.push(`    run: ${color.cyan(c.fix.commands[c.fix.commands.length - 1]!)}`);
    } else {
      for (const cmd of c.fix.commands) out.push(`    run: ${color.cyan(cmd)}`);
    }
  }
  const failing = report.checks.filter((c) => !c.ok).length;
  out.push('', report.ok ? color.green(`keyguard doctor: all ${report.checks.length} checks pass`) : color.red(`keyguard doctor: ${failing} of ${report.checks.length} checks need attention`));
  return `${out.join('\n')}\n`;
}

export function renderDoctorJson(report: DoctorReport, toolVersion: string): string {
  return `${JSON.stringify({ version: 1, tool: { name: 'keyguard', version: toolVersion }, ...report }, null, 2)}\n`;
}
