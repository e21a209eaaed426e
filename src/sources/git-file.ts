// One file as git holds it, for the configuration and the baseline a run trusts: the staged version (the hook, so an
// unstaged edit cannot change what it checks) or the version at a revision (a range scan reads the base of the range,
// so the code under check cannot change what checks it). GIT_INDEX_FILE is honoured as git set it.
import { runGit } from './git.js';

/**
 * Where a run's configuration and baseline come from when they are inside the repository: the index (the hook), or
 * the base of a range (`history --range A..B`, `--since-commit`, the Action). `head` is the range's end: a file the
 * base lacks but the head holds was added by the range, so it does not apply yet.
 */
export type TrustedSource = { type: 'index' } | { type: 'revision'; rev: string; head: string };

/** What a trusted source holds for one path. */
export type TrustedFile =
  /** The staged version, or the version at the base. */
  | { from: 'git'; content: Buffer }
  /** The base has no such file but the range adds it: nothing applies (the defaults, an empty baseline). */
  | { from: 'added' }
  /** git does not track it where it matters (not staged; neither at the base nor at the head): the file on disk. */
  | { from: 'disk' };

/** Describe a source for messages: "the staged version", "the version at abc1234 (the base of the range)". */
export function describeSource(source: TrustedSource): string {
  return source.type === 'index' ? 'the staged version' : `the version at ${source.rev.slice(0, 12)}, the base of the range`;
}

/**
 * Blobs by object name (`:path`, `:2:path`, `REV:path`), in order; undefined where git has none (or it is not a
 * blob). One `git cat-file --batch` call for all of them.
 */
export async function readGitObjects(root: string, names: string[], env?: NodeJS.ProcessEnv): Promise<(Buffer | undefined)[]> {
  const found: (Buffer | undefined)[] = names.map(() => undefined);
  // cat-file --batch reads one name a line: a name with a newline cannot be asked (and no such file is trusted).
  const asked = names.map((n, i) => ({ n, i })).filter(({ n }) => !/[\r\n]/.test(n));
  if (asked.length === 0) return found;
  const r = await runGit(['cat-file', '--batch'], { cwd: root, input: asked.map(({ n }) => `${n}\n`).join(''), ...(env ? { env } : {}) });
  if (r.code !== 0) return found;
  const out = r.stdout;
  let at = 0;
  for (const { i } of asked) {
    const nl = out.indexOf(10, at);
    if (nl < 0) break;
    const header = out.subarray(at, nl).toString('utf8').split(' ');
    at = nl + 1;
    // `<oid> <type> <size>`, then the body and a newline; `<name> missing` (or ambiguous) has no body.
    const size = Number(header[header.length - 1]);
    if (header.length !== 3 || !Number.isSafeInteger(size)) continue;
    if (header[1] === 'blob') found[i] = out.subarray(at, at + size);
    at += size + 1;
  }
  return found;
}

/**
 * The staged content of a root-relative path, or undefined when the index has no such file. During a merge with the
 * file in conflict, the version of the branch being merged into (stage 2, "ours": what HEAD had) is used.
 */
export async function readIndexFile(root: string, path: string, env?: NodeJS.ProcessEnv): Promise<Buffer | undefined> {
  const [stage0, ours] = await readGitObjects(root, [`:${path}`, `:2:${path}`], env);
  return stage0 ?? ours;
}

/** A root-relative path as a trusted source holds it (one git call). */
export async function readTrustedFile(root: string, path: string, source: TrustedSource, env?: NodeJS.ProcessEnv): Promise<TrustedFile> {
  if (source.type === 'index') {
    const content = await readIndexFile(root, path, env);
    return content ? { from: 'git', content } : { from: 'disk' };
  }
  const [base, head] = await readGitObjects(root, [`${source.rev}:${path}`, `${source.head}:${path}`], env);
  if (base) return { from: 'git', content: base };
  return head ? { from: 'added' } : { from: 'disk' };
}

/** A file a range changed: its content where the range forks (before) and at the head (after); undefined where absent. */
export interface TrustedFileChange {
  path: string;
  before?: Buffer;
  after?: Buffer;
}

/** Which of these root-relative paths differ between two commits, with both versions (one git call). */
export async function readChangedFiles(root: string, from: string, to: string, paths: string[], env?: NodeJS.ProcessEnv): Promise<TrustedFileChange[]> {
  if (paths.length === 0) return [];
  const blobs = await readGitObjects(root, paths.flatMap((p) => [`${from}:${p}`, `${to}:${p}`]), env);
  const changed: TrustedFileChange[] = [];
  paths.forEach((path, i) => {
    const before = blobs[2 * i];
    const after = blobs[2 * i + 1];
    if (before === undefined && after === undefined) return;
    if (before && after && before.equals(after)) return;
    changed.push({ path, ...(before ? { before } : {}), ...(after ? { after } : {}) });
  });
  return changed;
}
