import { describe, it } from 'vitest';
import { reporters, renderSummary } from '../../src/report/index.js';
import { cleanResult, historyResult, options, scanResult } from './fixture.js';
import { expectGolden } from './golden.js';

const results = { scan: scanResult, history: historyResult, clean: cleanResult };

describe('golden reports', () => {
  for (const [name, result] of Object.entries(results)) {
    it(`text ${name}`, () => expectGolden(`${name}.txt`, reporters.text(result, options(false))));
    it(`text ${name} in colour`, () => expectGolden(`${name}.color.txt`, reporters.text(result, options(true))));
    it(`json ${name}`, () => expectGolden(`${name}.json`, reporters.json(result, options())));
    it(`sarif ${name}`, () => expectGolden(`${name}.sarif`, reporters.sarif(result, options())));
    it(`github ${name}`, () => expectGolden(`${name}.github.txt`, reporters.github(result, options())));
    it(`junit ${name}`, () => expectGolden(`${name}.junit.xml`, reporters.junit(result, options())));
    it(`summary ${name}`, () => expectGolden(`${name}.summary.md`, renderSummary(result, options())));
  }
});
