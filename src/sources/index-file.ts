// One file's staged content (the index, as git commit will record it): for the hook's configuration, so an
// unstaged edit cannot change what the hook checks. GIT_INDEX_FILE is honoured as git set it.
import { runGit } from './git.js';

/**
 * The staged content of a root-relative path, or undefined when the index has no such file. During a merge with the
 * file in conflict, the version of the branch being merged into (stage 2, "ours": what HEAD had) is used. One git
 * call either way.
 */
export async function readIndexFile(root: string, path: string, env?: NodeJS.ProcessEnv): Promise<Buffer | undefined> {
  const r = await runGit(['cat-file', '--batch'], { cwd: root, input: `:${path}\n:2:${path}\n`, ...(env ? { env } : {}) });
  if (r.code !== 0) return undefined;
  const out = r.stdout;
  let at = 0;
  for (let i = 0; i < 2 && at < out.length; i++) {
    const nl = out.indexOf(10, at);
    if (nl < 0) return undefined;
    const header = out.subarray(at, nl).toString('utf8').split(' ');
    at = nl + 1;
    if (header.length === 3 && header[1] === 'blob') {
      const size = Number(header[2]);
      return Number.isSafeInteger(size) ? out.subarray(at, at + size) : undefined;
    }
    if (header.length === 3) at += Number(header[2]) + 1; // not a blob (a gitlink): skip its body
  }
  return undefined;
}
