// Pure text for every integration: the plain git hook, husky, lefthook and the pre-commit framework.

/** The first lines of the hook keyguard writes; also how it recognises its own hook. */
export const HOOK_MARKER = '# keyguard pre-commit hook';
/** Where a hook that was there before keyguard is kept, and chained to. */
export const CHAINED_SUFFIX = '.pre-keyguard';
/** Where `install --force` keeps the hook it replaced. */
export const BACKUP_SUFFIX = '.keyguard-backup';

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The plain git hook: run keyguard on the index, then the hook that was there before (if any).
 * `fallback` is the node binary and CLI that installed it, used when the project has no local keyguard.
 */
export function renderHookScript(fallback: { node: string; cli: string }): string {
  return `#!/bin/sh
${HOOK_MARKER} (written by \`keyguard install\`; \`keyguard uninstall\` removes it).
# It scans what is staged, never the working tree, and blocks the commit on a finding.
if [ -x ./node_modules/.bin/keyguard ]; then
  ./node_modules/.bin/keyguard staged || exit $?
elif command -v keyguard >/dev/null 2>&1; then
  keyguard staged || exit $?
elif [ -f ${shellQuote(fallback.cli)} ]; then
  ${shellQuote(fallback.node)} ${shellQuote(fallback.cli)} staged || exit $?
elif [ "$KEYGUARD_HOOK_FAIL_OPEN" = "1" ]; then
  echo "keyguard: not found; commit allowed because KEYGUARD_HOOK_FAIL_OPEN=1" >&2
else
  echo "keyguard: not found, so the commit is blocked; install it (npm install --save-dev keyguard) or run keyguard uninstall" >&2
  exit 1
fi
chained="$0${CHAINED_SUFFIX}"
if [ -x "$chained" ]; then exec "$chained" "$@"; fi
`;
}

export function isKeyguardHook(text: string): boolean {
  return text.includes(HOOK_MARKER);
}

/** The line husky v9 runs (husky puts node_modules/.bin on PATH). */
export const HUSKY_LINE = 'keyguard staged';

/** Add the keyguard line to a husky hook file's text, or say it is there. */
export function addHuskyLine(existing: string | undefined): { text: string; changed: boolean } {
  if (existing !== undefined && existing.split(/\r?\n/).some((l) => /^\s*(?:npx\s+(?:--no-install\s+)?)?keyguard\s+staged\b/.test(l))) {
    return { text: existing, changed: false };
  }
  if (existing === undefined || existing.trim() === '') return { text: `${HUSKY_LINE}\n`, changed: true };
  const base = existing.endsWith('\n') ? existing : `${existing}\n`;
  return { text: `${base}${HUSKY_LINE}\n`, changed: true };
}

export function removeHuskyLine(existing: string): { text: string; changed: boolean } {
  const lines = existing.split('\n');
  const kept = lines.filter((l) => l.trim() !== HUSKY_LINE);
  return { text: kept.join('\n'), changed: kept.length !== lines.length };
}

/** The command lefthook and the pre-commit framework's local hook run. */
export const NPX_COMMAND = 'npx --no-install keyguard staged';

export const LEFTHOOK_SNIPPET = `pre-commit:
  jobs:
    - name: keyguard
      run: ${NPX_COMMAND}
`;

export function renderPreCommitSnippet(repoUrl: string | undefined, version: string): string {
  const local = `repos:
  # keyguard from this project's node_modules (npm install --save-dev keyguard):
  - repo: local
    hooks:
      - id: keyguard
        name: keyguard (Google and Gemini credentials)
        entry: ${NPX_COMMAND}
        language: system
        pass_filenames: false
        stages: [pre-commit, pre-merge-commit, manual]
`;
  if (!repoUrl) return local;
  return `${local}
# or let pre-commit install keyguard itself (language: node, from .pre-commit-hooks.yaml):
#  - repo: ${repoUrl}
#    rev: v${version}
#    hooks:
#      - id: keyguard
`;
}
