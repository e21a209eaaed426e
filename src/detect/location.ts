// Offsets to editor positions. Built lazily, only for fragments that have findings:
// the hot path (no finding) never splits a blob into lines.
import { codePointCount } from '../text/code-points.js';


export interface Position {
  /** 1-based line. */
  line: number;
  /** 1-based column in code points, as editors count. */
  column: number;
}

/** Line starts of a text, counting \r\n, \n and a lone \r as line ends. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  /** 0-based line number holding an offset (binary search). */
  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Position of an offset; a fragment that starts mid-file passes the lines and columns before it. */
  position(offset: number, lineOffset = 0, columnOffset = 0): Position {
    const line = this.lineOf(offset);
    const start = this.starts[line]!;
    return { line: line + 1 + lineOffset, column: codePointCount(this.text, start, offset) + 1 + (line === 0 ? columnOffset : 0) };
  }

  /** Text of a 0-based line without its terminator. */
  lineText(line: number): string {
    if (line < 0 || line >= this.starts.length) return '';
    const start = this.starts[line]!;
    let end = line + 1 < this.starts.length ? this.starts[line + 1]! : this.text.length;
    while (end > start && (this.text.charCodeAt(end - 1) === 10 || this.text.charCodeAt(end - 1) === 13)) end--;
    return this.text.slice(start, end);
  }

  lineStart(line: number): number {
    return this.starts[line] ?? this.text.length;
  }
}

