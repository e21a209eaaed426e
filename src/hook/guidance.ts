// What the pre-commit hook tells a person whose commit it blocked, or could not check.
import type { Finding } from '../types.js';
import { isSecretsFile, renderFalsePositiveAdvice, renderUntrackCommands, shellPath } from '../report/advice.js';

const MAX_FILES = 3;

/**
 * Below the short report: what to do, file by file (a file of secrets leaves git; code reads the key from the
 * environment), when rotation is needed, how to mark a false positive in that file's format, and the way past.
 * A few lines, so the whole hook output fits on one screen; `keyguard staged --checklist` prints the full steps.
 */
export function renderBlockedAdvice(findings: readonly Finding[], options: { checklist?: boolean } = {}): string {
  const files = [...new Set(findings.map((f) => f.file))];
  const credentials = new Set(findings.map((f) => f.credential)).size;
  const secretsFiles = files.filter(isSecretsFile);
  const codeFiles = files.filter((f) => !isSecretsFile(f));
  const more = (list: string[]): string => (list.length > MAX_FILES ? ` (+${list.length - MAX_FILES} more)` : '');
  const lines = [`keyguard blocked this commit: ${credentials === 1 ? 'a credential is' : `${credentials} credentials are`} in the staged changes.`];
  if (secretsFiles.length > 0) {
    const shown = secretsFiles.slice(0, MAX_FILES);
    lines.push(`  - ${shown.join(', ')}${more(secretsFiles)}: a file of secrets stays on disk, out of git: ${renderUntrackCommands(shown)}`);
  }
  if (codeFiles.length > 0) {
    const shown = codeFiles.slice(0, MAX_FILES).map(shellPath).join(' ');
    lines.push(`  - ${codeFiles.slice(0, MAX_FILES).join(', ')}${more(codeFiles)}: read the key from an environment variable or a secret manager instead, then git add ${shown}`);
  }
  lines.push(
    `  - never committed, pushed or shared? Then nothing leaked. If it was, rotate it: ${options.checklist ? 'the steps are above' : 'keyguard staged --checklist'}.`,
    `  - ${renderFalsePositiveAdvice(files)}.`,
    '  - to bypass once: git commit --no-verify (a key committed anyway must still be rotated).',
    '',
  );
  return lines.join('\n');
}

/** Whether the team chose to let commits through when keyguard itself cannot run. */
export function isFailOpen(env: NodeJS.ProcessEnv): boolean {
  const v = env['KEYGUARD_HOOK_FAIL_OPEN'];
  return v === '1' || v === 'true';
}

export function renderFailClosed(message: string): string {
  return `${message} (as a pre-commit hook this blocks the commit, because the check could not run: fix the cause, or set KEYGUARD_HOOK_FAIL_OPEN=1 to let commits through when keyguard itself fails)`;
}

export function renderFailOpen(message: string): string {
  return `keyguard: warning: ${message}; the commit was not checked and is allowed because KEYGUARD_HOOK_FAIL_OPEN=1`;
}
