/** Parse a byte size: 1000, 10k, 10KB, 10KiB, 5MiB, 1.5G. Undefined when it does not parse. */
export function parseSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?)(b?)\s*$/i.exec(text);
  if (!m) return undefined;
  const power = ['', 'k', 'm', 'g', 't'].indexOf(m[2]!.toLowerCase());
  const base = m[3] ? 1024 : m[2] ? 1000 : 1;
  const value = Number(m[1]) * base ** power;
  return Number.isFinite(value) ? Math.floor(value) : undefined;
}
