import type { Reporter } from '../types.js';

/** JSON report: `{ version, tool, mode, findings, skipped, stats }` (see README, "JSON output"). */
export const renderJson: Reporter = (result, options) => {
  const doc = {
    version: 1,
    tool: { name: 'keyguard', version: options.toolVersion },
    mode: result.mode,
    ...(result.incomplete ? { incomplete: true } : {}),
    findings: result.findings,
    skipped: result.skipped,
    stats: result.stats,
    ...(result.credentials ? { credentials: result.credentials } : {}),
    ...(result.notes.length > 0 ? { notes: result.notes } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
};
