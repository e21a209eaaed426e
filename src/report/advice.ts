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
}

const unique = (xs: string[]): string[] => [...new Set(xs)];

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
