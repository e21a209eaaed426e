// Microsoft's SARIF Multitool, as the tests run it: JSON schema plus the SARIF and GitHub ingestion rules.
import { chmodSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Log } from 'sarif';

const MULTITOOL = fileURLToPath(new URL('../../node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool', import.meta.url));

interface Problem {
  ruleId: string;
  level: string;
  text: string;
}

/** Run Microsoft's SARIF Multitool (JSON schema + SARIF and GitHub ingestion rules); return errors and warnings. */
export function validateSarif(sarif: string): Problem[] {
  chmodSync(MULTITOOL, 0o755); // npm does not run the package's postinstall (chmod u+x)
  const dir = mkdtempSync(join(tmpdir(), 'keyguard-sarif-'));
  try {
    writeFileSync(join(dir, 'in.sarif'), sarif);
    execFileSync(MULTITOOL, ['validate', join(dir, 'in.sarif'), '--output', join(dir, 'out.sarif'), '--rule-kind', 'Sarif;Gh', '--level', 'Error;Warning;Note', '--log', 'ForceOverwrite'], {
      env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 120_000,
    });
    const out = JSON.parse(readFileSync(join(dir, 'out.sarif'), 'utf8')) as Log;
    return out.runs
      .flatMap((r) => r.results ?? [])
      .map((r) => ({ ruleId: r.ruleId ?? '?', level: r.level ?? 'warning', text: JSON.stringify(r.message) }))
      .filter((p) => p.level === 'error' || p.level === 'warning');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

