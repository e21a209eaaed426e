import { describe, expect, it } from 'vitest';
import { parseStagedArgs } from '../../src/cli/run-staged.js';

describe('parseStagedArgs (the hook fast path)', () => {
  it('takes the plain flags a hook passes', () => {
    expect(parseStagedArgs(['staged'])).toMatchObject({ format: 'text', allLines: false, quiet: false, exitCode: 1 });
    expect(parseStagedArgs(['staged', '--all-lines', '-q', '--format=json', '-o', 'r.json', '--no-color', '--exit-code', '3'])).toMatchObject({
      allLines: true, quiet: true, format: 'json', output: 'r.json', color: false, exitCode: 3,
    });
  });

  it('leaves anything else to the full CLI, which explains the error', () => {
    expect(parseStagedArgs(['scan'])).toBeUndefined();
    expect(parseStagedArgs(['staged', '--bogus'])).toBeUndefined();
    expect(parseStagedArgs(['staged', '--format', 'yaml'])).toBeUndefined();
    expect(parseStagedArgs(['staged', '--help'])).toBeUndefined();
    expect(parseStagedArgs(['staged', '--output'])).toBeUndefined();
  });
});
