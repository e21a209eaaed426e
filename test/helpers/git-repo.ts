// Real git repositories in temp folders: tests build them with real git commands, never mocks.
import { execFileSync } from 'node:child_process';
import { afterEach } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface TempRepo {
  dir: string;
  git: (...args: string[]) => string;
  write: (path: string, content: string | Buffer) => void;
  commit: (message: string, date?: string) => string;
  cleanup: () => void;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'Ada Lovelace',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada Lovelace',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
};

export function gitEnv(): NodeJS.ProcessEnv {
  return { ...process.env, ...GIT_ENV };
}

export function tempDir(prefix = 'keyguard-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function createRepo(options: { init?: boolean } = {}): TempRepo {
  const dir = tempDir('keyguard-repo-');
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: dir, env: gitEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (options.init !== false) {
    git('init', '-q', '-b', 'main');
    git('config', 'commit.gpgsign', 'false');
  }
  return {
    dir,
    git,
    write(path, content) {
      const abs = join(dir, path);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
    },
    commit(message, date) {
      const env = date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {};
      execFileSync('git', ['commit', '-q', '--allow-empty', '-m', message], { cwd: dir, env: { ...gitEnv(), ...env }, stdio: 'ignore' });
      return git('rev-parse', 'HEAD').trim();
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A README and a source file, committed: a repository with a HEAD for hooks to diff against. */
export function seedRepo(r: TempRepo): void {
  r.write('README.md', '# demo\n');
  r.write('src/app.js', 'export const a = 1;\n');
  r.git('add', '.');
  r.commit('init');
}

/** A factory of temp repositories for one test file (each set up by `seed`, if given), removed after the test. */
export function useTempRepos(seed?: (r: TempRepo) => void): () => TempRepo {
  const repos: TempRepo[] = [];
  afterEach(() => {
    while (repos.length) repos.pop()!.cleanup();
  });
  return () => {
    const r = createRepo();
    repos.push(r);
    seed?.(r);
    return r;
  };
}
