// File names as git and the file system give them: bytes. A name is shown as it is when it is valid UTF-8 with no
// control character, backslash or double quote; otherwise in git's C-style quoting (as `git ls-files` prints it; UTF-8
// characters stay characters, as with core.quotePath=false): in double quotes, with \\ \" \a \b \t \n \v \f \r and every other control byte or byte that is
// not UTF-8 as a three-digit octal escape (caf\xe9.txt is shown "caf\351.txt"). The form is reversible (parseName),
// and it is the one git prints, so `git ls-files` and keyguard name a file alike.
import { isUtf8 } from 'node:buffer';

const SHORT: Record<number, string> = { 7: 'a', 8: 'b', 9: 't', 10: 'n', 11: 'v', 12: 'f', 13: 'r', 34: '"', 92: '\\' };

/** Whether a byte must be escaped whatever the encoding: a control byte, DEL, `"` or `\`. */
function special(b: number): boolean {
  return b < 0x20 || b === 0x7f || b === 0x22 || b === 0x5c;
}

/** A name's bytes as the text keyguard shows (and fingerprints): plain when plain, else C-quoted. */
export function showName(bytes: Uint8Array): string {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  let plain = true;
  for (let i = 0; i < buf.length; i++) {
    if (special(buf[i]!)) {
      plain = false;
      break;
    }
  }
  if (plain && isUtf8(buf)) return buf.toString('utf8');
  return quoteName(buf);
}

function quoteName(buf: Buffer): string {
  let out = '"';
  let i = 0;
  while (i < buf.length) {
    const b = buf[i]!;
    if (special(b)) {
      const s = SHORT[b];
      out += s ? `\\${s}` : `\\${b.toString(8).padStart(3, '0')}`;
      i++;
      continue;
    }
    if (b < 0x80) {
      out += String.fromCharCode(b);
      i++;
      continue;
    }
    // A whole valid UTF-8 sequence stays as its character; any other byte is escaped.
    const len = b >= 0xf0 && b <= 0xf4 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0;
    const seq = len > 0 && i + len <= buf.length ? buf.subarray(i, i + len) : undefined;
    if (seq && isUtf8(seq)) {
      out += seq.toString('utf8');
      i += len;
      continue;
    }
    out += `\\${b.toString(8).padStart(3, '0')}`;
    i++;
  }
  return `${out}"`;
}

/** The bytes a shown name stands for (the inverse of showName). */
export function parseName(shown: string): Buffer {
  if (!(shown.length >= 2 && shown.startsWith('"') && shown.endsWith('"'))) return Buffer.from(shown, 'utf8');
  const parts: Buffer[] = [];
  let text = '';
  const flush = (): void => {
    if (text) parts.push(Buffer.from(text, 'utf8'));
    text = '';
  };
  const body = shown.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      text += c;
      continue;
    }
    const n = body[++i] ?? '';
    if (/[0-7]/.test(n)) {
      flush();
      parts.push(Buffer.from([parseInt(body.slice(i, i + 3), 8)]));
      i += 2;
      continue;
    }
    const code = Object.entries(SHORT).find(([, s]) => s === n)?.[0];
    text += code !== undefined ? String.fromCharCode(Number(code)) : n;
  }
  flush();
  return Buffer.concat(parts);
}

/** NUL-separated names (git's -z lists) as their bytes. */
export function splitNulBytes(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const nul = buf.indexOf(0, at);
    const end = nul < 0 ? buf.length : nul;
    if (end > at) out.push(buf.subarray(at, end));
    if (nul < 0) break;
    at = nul + 1;
  }
  return out;
}

// Paths held as "binary strings": one character per byte (latin1), so a name that is not UTF-8 survives string
// operations (slicing, joining, comparing) unchanged, and becomes bytes again for the file system.

/** A path as Node gives it (UTF-8 text) in the one-character-per-byte form. */
export function toBinaryPath(path: string): string {
  // ASCII is the same in both forms: most paths need no copy.
  // eslint-disable-next-line no-control-regex
  return /^[\x00-\x7f]*$/.test(path) ? path : Buffer.from(path, 'utf8').toString('latin1');
}

/** A path's bytes (for fs calls: Node accepts a Buffer wherever it takes a path). */
export function binaryPathBytes(path: string): Buffer {
  return Buffer.from(path, 'latin1');
}

/** A binary-string path as shown (showName). */
export function showBinaryPath(path: string): string {
  return showName(binaryPathBytes(path));
}
