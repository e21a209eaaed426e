// What the pre-commit hook tells a person whose commit it blocked, or could not check.

export function renderBlockedAdvice(findings: number): string {
  return [
    `keyguard blocked this commit: ${findings === 1 ? 'a credential is' : `${findings} credentials are`} in the staged changes.`,
    '  - remove it from the staged files (git restore --staged FILE, edit, git add FILE), and load it from an',
    '    environment variable or a secret manager instead;',
    '  - a false positive? add a keyguard:allow comment on that line (or allowlist it in .keyguard.yaml);',
    '  - to bypass once: git commit --no-verify. A key committed anyway, or already pushed, must still be rotated.',
    '',
  ].join('\n');
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
