// The output of `git cat-file --batch`, parsed as it streams: a header line per object, then its body, or a line
// that says the object is missing. Pure: bytes in, objects out (beside log-parse.ts, the other stream git writes).
import type { BodyScreen } from './content.js';
import { GitError } from './git.js';

/**
 * What a screen made of a blob as git streamed it (see ReadOptions.screen): binary, clean (no rule keyword), or `hit`:
 * a keyword is there, or the text is UTF-16, and the blob must be read again whole to be scanned (its bytes are not
 * kept as they stream: a blob in a thousand has a hit, and the memory git's output is read into is reused).
 */
export type Screened = 'binary' | 'clean' | 'hit';

export type BlobRead =
  | { oid: string; type: string; size: number; content: Buffer }
  | { oid: string; type: string; size: number; screened: Screened }
  | { oid: string; missing: true };

const NEWLINE = 10;

/**
 * A parser for `git cat-file --batch` output, fed chunks as they arrive: each object is handed over once its body is
 * complete. A chunk is read only during the call (its memory may be reused for the next). `take(n)` gives the memory
 * for a body of n - 1 bytes (one extra for the newline after it, copied and dropped); give it memory of its own
 * (never Node's shared pool) so a worker thread can be handed it without a copy.
 *
 * With `screenFor`, an object it gives a screen for is screened as its parts arrive, in git's own chunks, and handed
 * over as the screen's verdict, its bytes never copied (see Screened).
 */
export function createBatchParser(take: (size: number) => Buffer, onObject: (obj: BlobRead) => void, screenFor?: () => BodyScreen | undefined): (chunk: Buffer) => void {
  // Either reading a header line, or filling the body of a known size.
  let header: Buffer[] = [];
  let body: Buffer | undefined;
  let bodyFilled = 0;
  let current: { oid: string; type: string; size: number } | undefined;
  // A body being screened, and how much of it is left.
  let screen: BodyScreen | undefined;
  let left = 0;
  /** The screened body is complete: hand it over as its verdict. */
  const finishScreened = (): void => {
    const obj = current!;
    const verdict = screen!.end() ?? 'hit';
    current = undefined;
    screen = undefined;
    onObject({ oid: obj.oid, type: obj.type, size: obj.size, screened: verdict });
  };
  return (chunk) => {
    let at = 0;
    while (at < chunk.length) {
      if (current && screen) {
        const n = Math.min(left, chunk.length - at);
        screen.push(chunk.subarray(at, at + n));
        left -= n;
        at += n;
        if (left === 0) finishScreened();
        continue;
      }
      if (current && body) {
        const n = Math.min(body.length - bodyFilled, chunk.length - at);
        chunk.copy(body, bodyFilled, at, at + n);
        bodyFilled += n;
        at += n;
        if (bodyFilled === body.length) {
          const done = { ...current, content: body.subarray(0, current.size) };
          current = undefined;
          body = undefined;
          onObject(done);
        }
        continue;
      }
      const nl = chunk.indexOf(NEWLINE, at);
      if (nl < 0) {
        // A copy: the chunk's memory may be reused.
        header.push(Buffer.from(chunk.subarray(at)));
        break;
      }
      header.push(chunk.subarray(at, nl));
      at = nl + 1;
      const line = Buffer.concat(header).toString('utf8');
      header = [];
      if (line === '') continue; // the newline that ends each body
      const fields = line.split(' ');
      if (fields.length === 2 && (fields[1] === 'missing' || fields[1] === 'ambiguous')) {
        onObject({ oid: fields[0]!, missing: true });
        continue;
      }
      const size = Number(fields[2]);
      if (fields.length !== 3 || !Number.isSafeInteger(size)) throw new GitError(`git cat-file: unexpected output: ${line.slice(0, 80)}`, null, '');
      current = { oid: fields[0]!, type: fields[1]!, size };
      screen = screenFor?.();
      if (screen) {
        // Its newline is read as an empty header line.
        left = size;
        if (size === 0) finishScreened();
      } else {
        body = take(size + 1);
        bodyFilled = 0;
      }
    }
  };
}
