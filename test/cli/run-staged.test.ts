import { describe, expect, it } from 'vitest';
import { parseStagedArgs } from '../../src/cli/run-staged.js';

describe('parseStagedArgs (the hook fast path)', () => {
  it('takes the flags of the table', () => {
    expect(parseStagedArgs(['staged'])).toMatchObject({ format: 'text', allLines: false, quiet: false, exitCode: 1 });
    expect(parseStagedArgs(['staged', '--all-lines', '-q', '--format=json', '-o', 'r.json', '--no-color', '--exit-code', '3'])).toMatchObject({
      allLines: true, quiet: true, format: 'json', output: 'r.json', color: false, exitCode: 3,
    });
    // gitleaks' flags with the same meaning: --redact and --no-banner change nothing, --baseline-path is --baseline.
    expect(parseStagedArgs(['staged', '--redact', '--no-banner', '--baseline-path', 'b.json'])).toMatchObject({ baseline: 'b.json', showSecrets: false });
  });

  it('answers a bad value in one line, so the hook never blocks with a wrong exit code', () => {
    expect(parseStagedArgs(['staged', '--exit-code', '256'])).toEqual({ error: '--exit-code 256: out of range; use an exit code from 0 to 255' });
    expect(parseStagedArgs(['staged', '--exit-code', 'abc'])).toEqual({ error: '--exit-code abc: not a whole number; use an exit code from 0 to 255' });
    expect(parseStagedArgs(['staged', '--format', 'yaml'])).toEqual({ error: '--format yaml: not one of text, json, sarif, github, junit' });
    expect(parseStagedArgs(['staged', '--output'])).toEqual({ error: '--output: needs a value' });
  });

  it('leaves the rest to the full CLI, which explains the error', () => {
    expect(parseStagedArgs(['scan'])).toBeUndefined();
    expect(parseStagedArgs(['staged', '--bogus'])).toBeUndefined();
    expect(parseStagedArgs(['staged', '--help'])).toBeUndefined();
    expect(parseStagedArgs(['staged', 'extra'])).toBeUndefined();
  });
});
