// The prefixes of the credential kinds (rules/kinds/*.yaml `prefixes`) as the two tests the engine makes. Pure.
import { KINDS, type KindTable } from '../types.js';

export interface KindPrefixes {
  /** Any kind's prefix at the start of a value: stripped before the placeholder check (`AIza` + filler is filler). */
  known: RegExp | undefined;
  /** A prefix whose kind has its own rule: the generic rules (kind google-secret) leave such a value to that rule. */
  owned: RegExp | undefined;
}

const ESCAPE = /[.*+?^${}()|[\]\\]/g;

/** One anchored alternation per test, in the order of KINDS and of each file (a longer prefix before a shorter one). */
export function compilePrefixes(table: KindTable): KindPrefixes {
  const known: string[] = [];
  const owned: string[] = [];
  for (const kind of KINDS) {
    for (const p of table.kinds[kind].prefixes ?? []) {
      const source = p.literal !== undefined ? p.literal.replace(ESCAPE, '\\$&') : p.pattern!;
      known.push(source);
      if (p.ownRule !== false) owned.push(source);
    }
  }
  const anchored = (alternatives: string[]): RegExp | undefined => (alternatives.length > 0 ? new RegExp(`^(?:${alternatives.join('|')})`) : undefined);
  return { known: anchored(known), owned: anchored(owned) };
}
