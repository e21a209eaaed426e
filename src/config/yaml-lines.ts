// Where a field sits in a YAML file, for error messages that name the line. Pure.
import type { Document, LineCounter } from 'yaml';

/** Line (1-based) of the YAML node at a JSON-pointer-like path, if the document has it. */
export function locateInDocument(doc: Document, lines: LineCounter, path: (string | number)[]): number | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = doc.getIn(path.slice(0, depth), true) as { range?: [number, number, number] } | undefined;
    if (node && typeof node === 'object' && node.range) return lines.linePos(node.range[0]).line;
  }
  return undefined;
}
