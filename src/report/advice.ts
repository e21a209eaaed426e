// Words for key hygiene: where a finding's file sits in git and the exact line or command that fixes it. Pure; the
// text report and the leak-response checklist render these (the checklist's `insert: hygiene`, rules/kinds/_shared.yaml).
import type { Finding, ScanResult } from '../types.js';

/** What the files holding one credential need (scan inside a git work tree; other modes leave most empty). */
export interface FileHygiene {
  /** Every file that holds it. */
  files: string[];
  /** Files git tracks: already in the repository. */
  tracked: string[];
  /** .gitignore lines for untracked files that git does not ignore yet. */
  gitignore: string[];
  /** Files not tracked that group or others can read: `chmod 600` them. */
  chmod: string[];
  /** Tracked files of secrets (.env…) with a credential found in their content: they leave git, they are not edited. */
  untrack?: string[];
}

const unique = (xs: readonly string[]): string[] => [...new Set(xs)];

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/**
 * A file of secrets by its name: a dotenv file (not a template: .env.example…) or a Google credential file. Such a file
 * is not fixed by editing it: it stays on disk for the application and out of git (`git rm --cached`, a .gitignore
 * line). The names are those of the path rules (rules/env-file.yaml, the credential-file rules) and of the .gitignore
 * lines `keyguard doctor` asks for.
 */
export function isSecretsFile(path: string): boolean {
  const name = baseName(path).toLowerCase();
  if (/^\.env(?:\..+)?$/.test(name)) return !/\.(?:example|sample|template|tmpl|tpl|dist|defaults|schema|vault)$/.test(name);
  return /^(?:service-account.*\.json|.*-firebase-adminsdk-.*\.json|client_secret.*\.json|application_default_credentials\.json|credentials\.db|access_tokens\.db|token\.(?:json|pickle)|.*\.p12)$/.test(name);
}

/** JSON has no comments, so no line of it can carry a keyguard:allow marker (JSONC and JSON5 can). */
export function isJsonFile(path: string): boolean {
  return /\.(?:json|webmanifest|har)$/i.test(path);
}

/** What to do about a false positive in these files: an inline marker where the format has comments, else config. */
export function renderFalsePositiveAdvice(files: readonly string[]): string {
  const json = unique(files.filter(isJsonFile));
  const config = 'an allowlist entry in .keyguard.yaml (allowlist: paths or regexes)';
  if (json.length === 0) return 'a false positive? a keyguard:allow comment on that line, or an allowlist entry in .keyguard.yaml';
  const names = json.slice(0, 3).join(', ') + (json.length > 3 ? ` (+${json.length - 3} more)` : '');
  if (json.length === unique(files).length) return `a false positive? JSON cannot hold a keyguard:allow comment: ${config} for ${names}, or a baseline (keyguard baseline)`;
  return `a false positive? add a keyguard:allow comment on that line; in ${names}, JSON that cannot hold comments, ${config} instead`;
}

/** How to take a secrets file out of git while it stays on disk: the commands, for one or more paths. */
export function renderUntrackCommands(paths: readonly string[]): string {
  const ps = unique([...paths]);
  return `git rm --cached ${ps.map(shellPath).join(' ')} && printf '%s\\n' ${ps.map((p) => shellPath(`/${p}`)).join(' ')} >> .gitignore && git add .gitignore`;
}

/** Shell-quote a path only when it needs it. */
export function shellPath(p: string): string {
  return /^[\w./@%+=:,-]+$/.test(p) ? p : `'${p.replace(/'/g, `'\\''`)}'`;
}

export function fileHygiene(findings: Finding[]): FileHygiene {
  return {
    files: unique(findings.map((f) => f.file)),
    tracked: unique(findings.filter((f) => f.git === 'tracked').map((f) => f.file)),
    gitignore: unique(findings.flatMap((f) => (f.git === 'untracked' && f.gitignore ? [f.gitignore] : []))),
    chmod: unique(findings.flatMap((f) => (f.fileMode && f.git !== 'tracked' ? [f.file] : []))),
    // A file found by its name has its kind's own "stop tracking it" step (rules/kinds/credential-file.yaml).
    untrack: unique(findings.filter((f) => f.git === 'tracked' && f.match !== 'path' && isSecretsFile(f.file)).map((f) => f.file)),
  };
}

/** The line under a finding in the text report: where its file sits in git and what fixes it. */
export function renderGitAdvice(f: Finding): string | undefined {
  const chmod = f.fileMode && f.git !== 'tracked' ? `; readable by group or others (mode ${f.fileMode}): \`chmod 600 ${shellPath(f.file)}\`` : '';
  switch (f.git) {
    case 'tracked':
      return 'git: tracked, so it is in the repository: rotation required';
    case 'untracked':
      return `git: untracked and not ignored, one \`git add .\` away from a leak: add \`${f.gitignore ?? `/${f.file}`}\` to .gitignore${chmod}`;
    case 'ignored':
      return `git: ignored, a local secret that git does not see${chmod}`;
    default:
      return undefined;
  }
}

/** Steps that come first whatever the credential: keep untracked files out of commits, make local files private. */
export function hygieneSteps(h: FileHygiene | undefined): string[] {
  if (!h) return [];
  const steps: string[] = [];
  if (h.gitignore.length > 0) {
    const lines = h.gitignore.map((l) => `\`${l}\``).join(', ');
    const cmd = `printf '%s\\n' ${h.gitignore.map(shellPath).join(' ')} >> .gitignore`;
    steps.push(`Before anything else, keep ${h.gitignore.length === 1 ? 'the file' : 'these files'} out of commits: add ${lines} to the .gitignore at the repository root (\`${cmd}\`).`);
  }
  if (h.untrack && h.untrack.length > 0) {
    const names = h.untrack.map((f) => `\`/${f}\``).join(', ');
    steps.push(`Take ${h.untrack.length === 1 ? 'the file' : 'these files'} of secrets out of git; ${h.untrack.length === 1 ? 'it stays' : 'they stay'} on disk for the application: \`git rm --cached ${h.untrack.map(shellPath).join(' ')}\`, add ${names} to .gitignore, and commit. This does not unpublish what was committed: rotate as below.`);
  }
  if (h.chmod.length > 0) steps.push(`Make ${h.chmod.length === 1 ? 'it' : 'them'} readable only by you: \`chmod 600 ${h.chmod.map(shellPath).join(' ')}\`.`);
  return steps;
}

/** One line per warning, for stderr and the report's notes: where the file is, then what to do if it holds secrets. */
export function renderWarning(f: Finding, mode: ScanResult['mode']): string {
  const file = shellPath(f.file);
  const where =
    mode === 'staged'
      ? `${f.file} is staged`
      : mode === 'history'
        ? `${f.file} was committed${f.commit ? ` in ${f.commit.slice(0, 12)}` : ''}`
        : f.git === 'tracked' ? `${f.file} is tracked by git` : f.git === 'untracked' ? `${f.file} is untracked and not ignored` : f.git === 'ignored' ? `${f.file} is ignored by git` : `${f.file} is a credential file by its name`;
  const inGit = mode !== 'scan' || f.git === 'tracked';
  const fix =
    mode === 'staged'
      ? `commit it only if it holds nothing but public settings; otherwise unstage it (git rm --cached ${file}), add /${f.file} to .gitignore and make it readable only by you (chmod 600 ${file})`
      : f.git === 'ignored'
        ? `keep it readable only by you (chmod 600 ${file})`
        : inGit
          ? `check that it holds nothing but public settings; if it ever held a secret, rotate that secret, then stop tracking the file (git rm --cached ${file}) and add /${f.file} to .gitignore`
          : `add ${f.gitignore ?? `/${f.file}`} to .gitignore before a \`git add .\` commits it, and make it readable only by you (chmod 600 ${file})`;
  return `${where} (${f.title}), with no credential keyguard recognises in it: ${fix}`;
}

/**
 * `keyguard doctor` on a tracked file that only a warn-only rule names (a .env of public settings): the hook and the
 * scans warn about it and do not fail, so doctor does not either. Doctor reads no content, so it says how to check.
 */
export function renderTrackedSettingsWarning(path: string, title: string): string {
  const file = shellPath(path);
  return `${path} is tracked by git (${title}); the hook and scans only warn about it: keep it only if it holds nothing but public settings (\`keyguard scan ${file}\` reports any credential in it); otherwise stop tracking it (\`git rm --cached ${file}\`), add /${path} to .gitignore, and rotate what it held`;
}
