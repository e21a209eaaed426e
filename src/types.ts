// Shared vocabulary only: no logic lives here.

export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Which credential a rule finds; picks the leak-response checklist. */
export const KINDS = [
  'google-api-key',
  'gemini-auth-key',
  'oauth-client-secret',
  'oauth-access-token',
  'oauth-refresh-token',
  'service-account-key',
  'authorized-user',
  'fcm-server-key',
  'hmac-key',
  'google-secret',
  'credential-file',
  /** A PEM private key whose owner keyguard cannot tell (not beside a service account's fields). */
  'private-key',
  /** A credential of a user rule that is not Google's (an internal token format): generic rotation steps. */
  'generic-secret',
] as const;
export type Kind = (typeof KINDS)[number];

/**
 * What keyguard knows about a credential kind beyond its rules' patterns: rules/kinds/<kind>.yaml as parsed, checked
 * against rules/kind.schema.json (docs/credential-kinds.md). Plain data: the bundle holds it as JSON.
 */
export interface KindData {
  /** "Google API key (standard)". */
  label: string;
  prefixes?: KindPrefix[];
  deadlines?: Record<string, Deadline>;
  /** A rule context's `situation: firebase` gives its finding this note; the note then marks the situation. */
  situations?: { firebase?: { note: string } };
  notes?: ChecklistEntry[];
  steps: ChecklistEntry[];
}

/** How a credential starts: exactly one of `literal` and `pattern` (a regex matched at the start). */
export interface KindPrefix {
  literal?: string;
  pattern?: string;
  /** Default true: the generic rules (kind google-secret) leave a value with this prefix to the kind's own rule. */
  ownRule?: boolean;
}

/** A named date: `after: NAME` holds from `date` (YYYY-MM-DD) on; `{deadline:NAME}` writes `says`. */
export interface Deadline {
  date: string;
  says: string;
}

/** Situation tests: an entry's `when` holds when every one of them does; `unless` excludes when every one does. */
export interface ChecklistConditions {
  history?: boolean;
  staged?: boolean;
  client?: boolean;
  firebase?: boolean;
  notInGit?: boolean;
  secretsFile?: boolean;
  tracked?: boolean;
  refs?: boolean;
  verification?: 'live' | 'invalid' | 'restricted' | 'error';
  after?: string;
  before?: string;
}

/** One note or step: a text, a shared fragment (`use`), or a slot the shared file fills (`insert`). */
export type ChecklistEntry = { when?: ChecklistConditions; unless?: ChecklistConditions } & ({ text: string } | { use: string } | { insert: 'kind' | 'hygiene' });

/** rules/kinds/_shared.yaml: every checklist's notes and steps around the kind's own, and the fragments kinds use. */
export interface SharedKindData {
  deadlines?: Record<string, Deadline>;
  fragments?: Record<string, ChecklistEntry[]>;
  notes: ChecklistEntry[];
  steps: ChecklistEntry[];
}

/** Every kind's data and the shared file: what the leak-response checklist and the engine's prefixes read. */
export interface KindTable {
  shared: SharedKindData;
  kinds: Record<Kind, KindData>;
}

export type Exposure = 'client' | 'server';
export type GitStatus = 'tracked' | 'untracked' | 'ignored';
export type Mode = 'scan' | 'staged' | 'history';

/** One compiled `paths` glob of a path rule: a glob without `/` matches the file name at any depth (as in .gitignore). */
export interface PathGlob {
  glob: string;
  regex: RegExp;
  /** Match the file name only (the glob has no `/`). */
  base: boolean;
}

/** A built-in structural matcher a rule can name instead of a pattern. */
export type StructureName = 'service-account' | 'authorized-user' | 'concatenated-key' | 'private-key';

/** A rule after loading: patterns compiled, defaults filled in. */
export interface Rule {
  id: string;
  title: string;
  description: string;
  severity: Severity;
  kind: Kind;
  /** Literals for the prefilter. A fragment containing none of them never reaches the pattern. */
  keywords: string[];
  /** Whether the keywords match case-insensitively. */
  keywordsIgnoreCase: boolean;
  /** Global, sticky-free regex with a `secret` named group (or the whole match). */
  pattern?: RegExp;
  structure?: StructureName;
  /** Decode base64 runs that hold an encoded keyword, then scan the decoded text with every other rule. */
  decode?: 'base64';
  /** Minimum Shannon entropy (bits per character) of the secret. */
  entropy?: number;
  /** Reject secrets that look like fillers (XXXX, abcdef, 123456, EXAMPLE…). */
  placeholders: boolean;
  /** Required neighbourhood: the secret counts only when one of these matches within `within` characters. */
  requires?: { pattern: RegExp; within: number };
  /** Neighbourhoods that change the severity (for example a Firebase web config). */
  context: { pattern: RegExp; within: number; severity: Severity; note: string }[];
  /** `paths` (path rules only): file paths this rule never reports (`.env.example`). */
  allowlist: { regexes: RegExp[]; stopwords: string[]; paths?: PathGlob[] };
  /** Lower value wins when two rules report the same span. */
  priority: number;
  references: string[];
  examples: string[];
  negativeExamples: string[];
  /** A path rule: matches files by name (picomatch globs), never content. Its examples are paths. */
  paths?: PathGlob[];
  /** Matches are warnings, never findings (a .env of public settings): they neither block a commit nor fail a scan. */
  warnOnly?: boolean;
  /** Where the rule came from, for error messages. */
  source: string;
}

/** Content plus where it appeared. Sources produce these; detect never does I/O. */
export interface Fragment {
  text: string;
  path: string;
  commit?: string;
  blobId?: string;
  /** Lines before this fragment in its file (for chunked big files), 0 by default. */
  lineOffset?: number;
  /** Code points before this fragment on its first line, when a chunk starts mid-line. */
  columnOffset?: number;
  /** Where a work-tree file stands in git. */
  git?: GitStatus;
  /** Only findings touching these 1-based, inclusive line ranges count (staged: lines added against HEAD). */
  lines?: [number, number][];
}

/** What a source yields: content to scan, or a file it could not scan and why. */
export type SourceEvent =
  | { type: 'fragment'; fragment: Fragment; bytes: number; /** Last fragment of its file. */ last: boolean }
  | { type: 'skipped'; path: string; reason: string }
  | { type: 'binary'; path: string; bytes: number }
  /** Text that holds no rule keyword (a byte-level gate said so): counted, never decoded. */
  | { type: 'clean'; path: string; bytes: number }
  /** A file the source lists, once, before its content (if any is read): what path rules and git advice look at. */
  | ({ type: 'file' } & FileFacts);

/** What a source knows about a file besides its content. */
export interface FileFacts {
  path: string;
  git?: GitStatus;
  /** Permission bits (0o644), for work-tree files that are not tracked. */
  mode?: number;
  /** The line for the work tree's root .gitignore that ignores exactly this file (`/config/.env`). */
  ignoreLine?: string;
  commit?: string;
  blobId?: string;
}

/** What detect returns: the raw secret is still inside. Only filters see it. */
export interface RawFinding {
  ruleId: string;
  title: string;
  description: string;
  severity: Severity;
  kind: Kind;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Offsets into the fragment text (UTF-16 units), for dedupe and inline markers. */
  start: number;
  end: number;
  rawSecret: string;
  entropy: number;
  /** A window of the line holding the secret, with every secret and secret-looking value on it masked (mask/line.ts). */
  excerpt: string;
  /**
   * What `lineRegexes` allowlists test: the line around the findings on it (60 characters either side), only the
   * findings' secrets masked, as excerpts were before they masked every secret. Never reported. Absent: `excerpt`.
   */
  lineContext?: string;
  /** Set when the secret was found inside a decoded value. */
  encoding?: 'base64' | 'json-escaped';
  note?: string;
  exposure: Exposure;
  /** The inline marker (keyguard:allow…) on the line or the line before, if any. */
  inlineMarker?: string;
  git?: GitStatus;
  commit?: string;
  blobId?: string;
  author?: string;
  email?: string;
  date?: string;
  refs?: string[];
}

/** A reported finding: no raw secret unless the user asked for it. */
export interface Finding {
  ruleId: string;
  title: string;
  severity: Severity;
  kind: Kind;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  commit?: string;
  author?: string;
  email?: string;
  date?: string;
  /** Redacted (`AIza…wXyz`) unless --show-secrets. */
  secret: string;
  /** Stable id of the secret itself, the same wherever it appears. */
  credential: string;
  /** credential + path: what baselines store. */
  fingerprint: string;
  entropy: number;
  exposure: Exposure;
  git?: GitStatus;
  /** `path`: a credential file found by its name (a path rule); `secret` is then the path, and line 1 a placeholder. */
  match?: 'path';
  /** `git: untracked`: the line for the root .gitignore that keeps the file out of commits. */
  gitignore?: string;
  /** Not tracked and readable by group or others: its permission bits in octal (`644`); `chmod 600` fixes it. */
  fileMode?: string;
  excerpt: string;
  encoding?: 'base64' | 'json-escaped';
  note?: string;
  /** Other refs or commits that carry the same finding (history). */
  refs?: string[];
  /** With --verify: whether the credential still works (the same for every finding of a credential). */
  verification?: Verification;
}

/** What `--verify` learned about a credential (see src/verify/classify.ts for the table). */
export interface Verification {
  status: 'live' | 'invalid' | 'restricted' | 'error' | 'unverified';
  /** One line for people; never holds the secret. */
  reason: string;
  httpStatus?: number;
}

export interface Skipped {
  path: string;
  reason: string;
}

export interface ScanStats {
  files: number;
  bytes: number;
  binary: number;
  skipped: number;
  findings: number;
  durationMs: number;
  commits?: number;
  blobs?: number;
  /** How many findings each suppression layer hid (inline marker, config allowlist, baseline); only when one did. */
  suppressed?: { inline: number; allowlist: number; baseline: number };
}

/** How long a credential has been exposed in git, and where it still is (history mode). */
export interface CredentialWindow {
  credential: string;
  /** The earliest commit that introduced it. */
  firstCommitted: { commit: string; date: string };
  /** Whether HEAD's tree still holds it. */
  presentAtHead: boolean;
  /** When it left HEAD's branch (the latest commit on HEAD's history that removed it), when it did. */
  removed?: { commit: string; date: string };
  /** Refs whose history still reaches a commit that holds it: what to clean if you rewrite history. */
  refs: string[];
}

/**
 * What a range scan asks a reviewer to look at: changes the range makes to what keyguard trusts (they take effect
 * once merged, not in this check), and findings that only an inline marker in the range hides.
 */
export type ReviewItem =
  | {
      type: 'config-change';
      /** Root-relative path. */
      file: string;
      role: 'config' | 'baseline' | 'gitleaksignore';
      change: 'added' | 'changed' | 'deleted';
      /** What the change does, one short phrase each ("widens allowlist.paths: \"**\""). */
      details: string[];
    }
  | {
      type: 'inline-marker';
      file: string;
      /** The line of the finding, and of the marker (the line before, for an allow-next-line marker). */
      line: number;
      markerLine: number;
      marker: string;
      commit?: string;
      ruleId: string;
      title: string;
      credential: string;
    };

export interface ScanResult {
  mode: Mode;
  findings: Finding[];
  skipped: Skipped[];
  stats: ScanStats;
  notes: string[];
  incomplete?: boolean;
  /** History mode: the exposure window of each credential found. */
  credentials?: CredentialWindow[];
  /** Range scans: what a reviewer should look at (src/report/review.ts words each item). */
  review?: ReviewItem[];
  /**
   * How the text report lays it out (other formats ignore it): `full`, each finding then the leak-response checklist
   * (the default); `short`, the findings without the checklist (the default for staged: the hook's report fits on one
   * screen, `keyguard staged --checklist` prints the rest); `brief`, one line per finding and the summary (--brief).
   */
  layout?: TextLayout;
}

export type TextLayout = 'full' | 'short' | 'brief';

export type Format = 'text' | 'json' | 'sarif' | 'github' | 'junit';

export interface ReportOptions {
  color: boolean;
  toolVersion: string;
  /** Today's date (YYYY-MM-DD), passed in so reporters never read the clock. */
  today: string;
  rules: Rule[];
}

export type Reporter = (result: ScanResult, options: ReportOptions) => string;

/** Expected failures travel as values. */
export type Result<T, E = string> = { ok: true; value: T } | { ok: false; errors: E[] };
