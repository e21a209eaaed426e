// How one secret is shown when it is not shown: a short head and tail, never the middle.

/** Mask a secret for display: `AIza…wXyz` (20 characters or more), `AIza…` (9 to 19), `*****` (8 or fewer). */
export function redactSecret(secret: string): string {
  const s = secret.replace(/\s+/g, '');
  if (s.length <= 8) return '*'.repeat(s.length);
  if (s.length < 20) return `${s.slice(0, 4)}…`;
  return `${s.slice(0, 4)}…${s.slice(-4)}`;
}
