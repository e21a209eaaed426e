// The rule files as parsed data, filled in by the build (scripts/build.mjs) so the bundle does not parse YAML at every
// start: about a tenth of a second, most of what a pre-commit hook costs. Each entry carries the SHA-256 of the text
// it was parsed from, and is used only for a file with exactly that text; from the sources it is empty. Only rules the
// schema accepts are here, each with its path globs already compiled (regex source and flags).
export interface PrecompiledRule {
  sha256: string;
  json: string;
  globs: Record<string, [source: string, flags: string]>;
}
export const PRECOMPILED_RULES: Readonly<Record<string, PrecompiledRule>> = {};
