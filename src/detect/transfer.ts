// Rules cross to worker threads as plain data: structured clone keeps strings, numbers, arrays and objects, but
// not RegExp flags like `d` reliably across versions, so every RegExp is boxed as [source, flags] and rebuilt.
import type { Rule } from '../types.js';

type Boxed = { $re: [string, string] } | Boxed[] | { [k: string]: unknown } | string | number | boolean | null | undefined;

function box(value: unknown): Boxed {
  if (value instanceof RegExp) return { $re: [value.source, value.flags] };
  if (Array.isArray(value)) return value.map(box);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, box(v)]));
  return value as Boxed;
}

function unbox(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unbox);
  if (value && typeof value === 'object') {
    const re = (value as { $re?: [string, string] }).$re;
    if (re) return new RegExp(re[0], re[1]);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unbox(v)]));
  }
  return value;
}

export function boxRules(rules: Rule[]): unknown {
  return box(rules);
}

export function unboxRules(data: unknown): Rule[] {
  return unbox(data) as Rule[];
}
