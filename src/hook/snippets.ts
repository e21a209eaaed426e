// Pure text for every integration: the plain git hooks, husky, lefthook and the pre-commit framework.
import { stringify } from 'yaml';

/** The hooks keyguard writes: the two that record a commit, and the opt-in pre-push. */
export type HookName = 'pre-commit' | 'pre-merge-commit' | 'pre-push';
/** What `keyguard install` writes by default; `--pre-push` adds the pre-push hook. */
export const COMMIT_HOOKS: readonly HookName[] = ['pre-commit', 'pre-merge-commit'];

/** The first lines of the pre-commit hook keyguard writes; the other hooks say their own name. */
export const HOOK_MARKER = '# keyguard pre-commit hook';
const markerOf = (hook: HookName): string => `# keyguard ${hook} hook`;
/** Where a hook that was there before keyguard is kept, and chained to. */
export const CHAINED_SUFFIX = '.pre-keyguard';
/** Where `install --force` keeps the hook it replaced. */
export const BACKUP_SUFFIX = '.keyguard-backup';

/** The git config keys where `keyguard install --lefthook` records the keyguard that wrote it (this clone only). */
export const CONFIG_CLI = 'keyguard.cli';
export const CONFIG_NODE = 'keyguard.node';

const shellQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

const NOT_FOUND = 'keyguard: not found, so this is blocked; install it in this project or on PATH (see its README: from its git URL or a packed tarball), or run keyguard uninstall';
/** The same, shorter, for the one-line commands of lefthook and the pre-commit framework. */
const NOT_FOUND_SHORT = 'keyguard: not found; install it (git URL or tarball, see its README) or remove this hook';

/**
 * How a hook finds keyguard, the same in every integration: this project's node_modules/.bin, then PATH, then the
 * keyguard that wrote the hook. The plain hook has that last one's node and CLI written into it; lefthook and the
 * pre-commit framework, whose files are committed and shared, read it from this clone's git config (LOCATE).
 * `args` is the keyguard command line.
 */
function findAndRun(args: string, fallback: { node: string; cli: string }): string[] {
  return [
    `if [ -x ./node_modules/.bin/keyguard ]; then ./node_modules/.bin/keyguard ${args}`,
    `elif command -v keyguard >/dev/null 2>&1; then keyguard ${args}`,
    `elif [ -f ${shellQuote(fallback.cli)} ]; then ${shellQuote(fallback.node)} ${shellQuote(fallback.cli)} ${args}`,
    `elif [ "$KEYGUARD_HOOK_FAIL_OPEN" = "1" ]; then echo "keyguard: not found; allowed because KEYGUARD_HOOK_FAIL_OPEN=1" >&2`,
    `else echo "${NOT_FOUND}" >&2; exit 1`,
    'fi',
  ];
}

/** One line of sh that sets `k` (keyguard) and `n` (the node to run it with, if it is a recorded CLI file), or exits. */
const LOCATE =
  `k=./node_modules/.bin/keyguard; [ -x "$k" ] || k=$(command -v keyguard) || { k=$(git config ${CONFIG_CLI}) && [ -f "$k" ]; } ` +
  `|| { [ "$KEYGUARD_HOOK_FAIL_OPEN" = 1 ] && exit 0; echo "${NOT_FOUND_SHORT}" >&2; exit 1; }; ` +
  `case $k in *.js) n=$(git config ${CONFIG_NODE} || echo node) ;; *) n= ;; esac`;
const RUN_LOCATED = '${n:+"$n"} "$k"';

/**
 * The pre-push check, as shell lines run with `kg` standing for keyguard. git gives one line per ref pushed:
 * `<local ref> <local sha> <remote ref> <remote sha>`. A ref the remote already has is scanned as REMOTE..LOCAL; a new
 * branch (or a remote commit this clone does not have, after a force push) as the commits on no remote-tracking
 * branch. A deleted ref (local sha all zeros) pushes no commits.
 */
function prePushLines(kg: string): string[] {
  return [
    'while read -r local_ref local_sha remote_ref remote_sha; do',
    '  case "$local_sha" in *[!0]*) ;; *) continue ;; esac',
    '  case "$remote_sha" in *[!0]*) known=yes ;; *) known=no ;; esac',
    '  if [ "$known" = yes ] && git cat-file -e "$remote_sha^{commit}" 2>/dev/null; then',
    `    ${kg} history --range "$remote_sha..$local_sha" </dev/null || status=$?`,
    '  else',
    `    ${kg} history --branch "$local_sha" --unpushed </dev/null || status=$?`,
    '  fi',
    '  if [ -n "$status" ]; then',
    '    echo "keyguard blocked this push of $local_ref: a credential is in the commits above, which are not pushed yet. Take it out of them (git rebase -i, or git reset and commit again), then push; git push --no-verify skips this check." >&2',
    '    exit "$status"',
    '  fi',
    'done',
  ];
}

/**
 * A plain git hook: run keyguard, then the hook that was there before (if any).
 * `fallback` is the node binary and CLI that installed it, used when the project has no local keyguard.
 */
export function renderHookScript(fallback: { node: string; cli: string }, hook: HookName = 'pre-commit'): string {
  const what =
    hook === 'pre-push'
      ? '# It scans the commits about to be pushed (made with --no-verify, by a rebase or a merge too) and blocks the push on a finding.'
      : `# It scans what is staged, never the working tree, and blocks the ${hook === 'pre-merge-commit' ? 'merge commit' : 'commit'} on a finding.`;
  const body =
    hook === 'pre-push'
      ? ['kg() {', ...findAndRun('"$@"', fallback).map((l) => `  ${l}`), '}', 'input=$(cat)', 'status=', 'printf "%s\\n" "$input" | {', ...prePushLines('kg').map((l) => `  ${l}`), '} || exit $?']
      : findAndRun('staged || exit $?', fallback);
  return `#!/bin/sh
${markerOf(hook)} (written by \`keyguard install\`; \`keyguard uninstall\` removes it).
${what}
${body.join('\n')}
chained="$0${CHAINED_SUFFIX}"
if [ -x "$chained" ]; then ${hook === 'pre-push' ? 'printf "%s\\n" "$input" | "$chained" "$@"; exit $?' : 'exec "$chained" "$@"'}; fi
`;
}

export function isKeyguardHook(text: string): boolean {
  return /# keyguard (?:pre-commit|pre-merge-commit|pre-push) hook/.test(text);
}

/** The line husky v9 runs in pre-commit and pre-merge-commit (husky puts node_modules/.bin on PATH). */
export const HUSKY_LINE = 'keyguard staged';
/** What `install --husky --pre-push` writes into .husky/pre-push. */
export const HUSKY_PRE_PUSH = ['# keyguard: scan the commits about to be pushed', 'status=', ...prePushLines('keyguard')].join('\n');
const HUSKY_RUNS = /^\s*(?:npx\s+(?:--no-install\s+)?)?keyguard\s+staged\b/;

/** husky init's placeholder: `npm test` (or the package manager it ran under). */
export const HUSKY_TEST_LINE = /^\s*(?:npm|pnpm|yarn|bun)\s+(?:run\s+)?test\s*$/;

/** Add the keyguard line FIRST in a husky hook file's text (so a failing or slow line after it cannot skip it), or say it is there. */
export function addHuskyLine(existing: string | undefined, hook: HookName = 'pre-commit'): { text: string; changed: boolean } {
  const block = hook === 'pre-push' ? HUSKY_PRE_PUSH : HUSKY_LINE;
  const present = hook === 'pre-push' ? existing?.includes('keyguard history') : existing?.split(/\r?\n/).some((l) => HUSKY_RUNS.test(l));
  if (existing !== undefined && present) return { text: existing, changed: false };
  if (existing === undefined || existing.trim() === '') return { text: `${block}\n`, changed: true };
  // A shebang stays the first line.
  const lines = existing.split('\n');
  const head = lines[0]?.startsWith('#!') ? [lines.shift()!] : [];
  return { text: [...head, block, ...lines].join('\n'), changed: true };
}

export function removeHuskyLine(existing: string, hook: HookName = 'pre-commit'): { text: string; changed: boolean } {
  if (hook === 'pre-push') {
    const text = existing.replace(`${HUSKY_PRE_PUSH}\n`, '');
    return { text, changed: text !== existing };
  }
  const lines = existing.split('\n');
  const kept = lines.filter((l) => l.trim() !== HUSKY_LINE);
  return { text: kept.join('\n'), changed: kept.length !== lines.length };
}

/** The one shell line lefthook and the pre-commit framework's local hook run: keyguard found as the plain hook finds it. */
export const FIND_COMMAND = `${LOCATE}; exec ${RUN_LOCATED} staged`;
/** The pre-push job for lefthook (with `use_stdin: true`). */
export const FIND_PRE_PUSH = [LOCATE, 'status=', ...prePushLines(RUN_LOCATED)].join('\n');
/** What keyguard's lefthook job ran before it found keyguard as the plain hook does; `install --lefthook` replaces it. */
export const OLD_NPX_COMMAND = 'npx --no-install keyguard staged';

/** Long commands stay on one line (yaml would fold them at 80 columns). */
const YAML_OPTIONS = { lineWidth: 0 } as const;
export const LEFTHOOK_SNIPPET = stringify(
  {
    'pre-commit': { jobs: [{ name: 'keyguard', run: FIND_COMMAND }] },
    'pre-merge-commit': { jobs: [{ name: 'keyguard', run: FIND_COMMAND }] },
  },
  YAML_OPTIONS,
);
export const LEFTHOOK_PRE_PUSH_SNIPPET = stringify({ 'pre-push': { jobs: [{ name: 'keyguard', run: FIND_PRE_PUSH, use_stdin: true }] } }, YAML_OPTIONS);

export function renderPreCommitSnippet(repoUrl: string | undefined, version: string): string {
  const hooks = [
    {
      id: 'keyguard',
      name: 'keyguard (Google and Gemini credentials)',
      entry: `sh -c ${shellQuote(FIND_COMMAND)}`,
      language: 'system',
      pass_filenames: false,
      always_run: true,
      stages: ['pre-commit', 'pre-merge-commit', 'manual'],
    },
  ];
  const local = `# keyguard as installed for this project (node_modules/.bin), else on PATH, else the keyguard that printed this:\n${stringify({ repos: [{ repo: 'local', hooks }] }, YAML_OPTIONS)}`;
  if (!repoUrl) return local;
  return `${local}
# or let pre-commit install keyguard itself (language: node, from .pre-commit-hooks.yaml):
#  - repo: ${repoUrl}
#    rev: v${version}
#    hooks:
#      - id: keyguard
`;
}
