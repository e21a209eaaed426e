// One file's staged content (the index, as git commit will record it): for the hook's configuration, so an
// unstaged edit cannot change what the hook checks. GIT_INDEX_FILE is honoured as git set it.
import { runGit } from './git.js';

/** The staged content of a root-relative path, or undefined when the index has no such file (or it is unmerged). */
export async function readIndexFile(root: string, path: string, env?: NodeJS.ProcessEnv): Promise<Buffer | undefined> {
  const r = await runGit(['cat-file', 'blob', `:${path}`], { cwd: root, ...(env ? { env } : {}) });
  return r.code === 0 ? r.stdout : undefined;
}
