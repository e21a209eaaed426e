// Byte-exact picture of a repository's index and working tree, to prove a command changed neither.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, lstatSync, readlinkSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';

function walk(dir: string, root: string, out: string[]): void {
  for (const name of readdirSync(dir).sort()) {
    const abs = join(dir, name);
    const rel = relative(root, abs);
    if (rel === '.git') continue;
    const st = lstatSync(abs);
    if (st.isDirectory()) walk(abs, root, out);
    else if (st.isSymbolicLink()) out.push(`${rel} -> ${readlinkSync(abs)}`);
    else out.push(`${rel} ${st.mode.toString(8)} ${createHash('sha256').update(readFileSync(abs)).digest('hex')}`);
  }
}

/** Hashes of every working-tree file (not .git), the index file, and the list of refs. */
export function snapshotRepo(dir: string, indexFile = join(dir, '.git', 'index')): string {
  const files: string[] = [];
  walk(dir, dir, files);
  const index = existsSync(indexFile) ? createHash('sha256').update(readFileSync(indexFile)).digest('hex') : 'no index';
  return `${files.join('\n')}\nindex ${index}`;
}
