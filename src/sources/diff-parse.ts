// Pure parsers for git's diff output: `--raw -z` records and the hunk headers of a `-U0` patch.

export interface RawEntry {
  srcMode: string;
  dstMode: string;
  srcOid: string;
  dstOid: string;
  /** A, M, D, R, C, T, U, X (the score of R/C is dropped). */
  status: string;
  /** Path before (renames and copies), else the path. */
  srcPath: string;
  path: string;
}

/** Parse `git diff --raw -z` records; stops at the empty field that separates them from a patch. */
export function parseRawDiff(text: string): { entries: RawEntry[]; rest: string } {
  const entries: RawEntry[] = [];
  let at = 0;
  while (at < text.length && text[at] === ':') {
    const metaEnd = text.indexOf('\0', at);
    if (metaEnd < 0) break;
    const meta = text.slice(at + 1, metaEnd).split(' ');
    const [srcMode = '', dstMode = '', srcOid = '', dstOid = '', statusField = ''] = meta;
    const status = statusField.charAt(0);
    let next = metaEnd + 1;
    const p1End = text.indexOf('\0', next);
    const first = text.slice(next, p1End);
    next = p1End + 1;
    let path = first;
    if (status === 'R' || status === 'C') {
      const p2End = text.indexOf('\0', next);
      path = text.slice(next, p2End);
      next = p2End + 1;
    }
    entries.push({ srcMode, dstMode, srcOid, dstOid, status, srcPath: first, path });
    at = next;
  }
  // The raw part and a following patch are separated by an empty field.
  if (text[at] === '\0') at++;
  return { entries, rest: text.slice(at) };
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/**
 * Undo git's C-style quoting of a path ("a/\303\274.txt"), byte-exact for non-ASCII names. `encoding`: how the bytes
 * become a string (`latin1`: one character per byte, for text that was decoded so, see names.ts).
 */
export function unquoteGitPath(s: string, encoding: 'utf8' | 'latin1' = 'utf8'): string {
  if (!s.startsWith('"') || !s.endsWith('"') || s.length < 2) return s;
  const bytes: number[] = [];
  const body = s.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      for (const b of Buffer.from(c, encoding)) bytes.push(b);
      continue;
    }
    const n = body[i + 1] ?? '';
    if (/[0-7]/.test(n)) {
      bytes.push(parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(ESCAPES[n] ?? n.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString(encoding);
}

/**
 * Line ranges added in the new version of each file, from a `-U0` patch made with `--dst-prefix=b/`.
 * Keyed by the new path. Files without a hunk (binary, pure renames, mode changes) are absent.
 */
export function parseAddedLines(patch: string, encoding: 'utf8' | 'latin1' = 'utf8'): Map<string, [number, number][]> {
  const added = new Map<string, [number, number][]>();
  let current: [number, number][] | undefined;
  let at = 0;
  while (at < patch.length) {
    let end = patch.indexOf('\n', at);
    if (end < 0) end = patch.length;
    const c0 = patch.charCodeAt(at);
    // Only header lines matter; content lines (+, -, space) are skipped without slicing.
    if (c0 === 43 /* + */ && patch.startsWith('+++ ', at) && current === undefined) {
      let name = patch.slice(at + 4, end);
      if (name.endsWith('\t')) name = name.slice(0, -1);
      if (name === '/dev/null') {
        current = [];
      } else {
        name = unquoteGitPath(name, encoding);
        if (name.startsWith('b/')) name = name.slice(2);
        current = added.get(name) ?? [];
        added.set(name, current);
      }
    } else if (c0 === 64 /* @ */ && patch.startsWith('@@ ', at) && current) {
      const m = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/.exec(patch.slice(at, Math.min(end, at + 200)));
      if (m) {
        const start = Number(m[1]);
        const count = m[2] === undefined ? 1 : Number(m[2]);
        if (count > 0) current.push([start, start + count - 1]);
      }
    } else if (c0 === 100 /* d */ && patch.startsWith('diff --git ', at)) {
      current = undefined;
    }
    at = end + 1;
  }
  return added;
}
