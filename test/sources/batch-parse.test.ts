import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createBatchParser, type BlobRead } from '../../src/sources/batch-parse.js';
import { createBodyScreen } from '../../src/sources/content.js';
import { createKeywordGate } from '../../src/detect/gate.js';
import { createRuleSet } from '../../src/detect/engine.js';
import { loadBuiltinRules } from '../helpers/rules.js';

const gate = createKeywordGate(createRuleSet(loadBuiltinRules()))!;

describe('createBatchParser with screens', () => {
  const bodies = [
    Buffer.from('const total = 1;\n'),
    Buffer.from('const key = "AIzaSyD-example";\n'),
    Buffer.concat([Buffer.from('PNG'), Buffer.alloc(20), Buffer.from('AIza')]),
    Buffer.alloc(0),
    Buffer.alloc(70000, 'plain words\n'),
    Buffer.concat([Buffer.alloc(70000, 'x'), Buffer.from('gemini')]),
  ];
  const output = Buffer.concat([
    ...bodies.flatMap((b, i) => [Buffer.from(`${String(i).repeat(40)} blob ${b.length}\n`), b, Buffer.from('\n')]),
    Buffer.from(`${'f'.repeat(40)} missing\n`),
  ]);

  /**
   * Objects parsed from `output` cut at `cuts`; with `screenAll` false every other object is read whole. Each part is
   * handed over in the same memory, overwritten once the parser returns, as the socket reader does.
   */
  const parseCut = (cuts: number[], screenAll: boolean): BlobRead[] => {
    const got: BlobRead[] = [];
    let n = 0;
    const parse = createBatchParser((size) => Buffer.alloc(size), (o) => got.push(o), () => (screenAll || n++ % 2 === 0 ? createBodyScreen(gate) : undefined));
    const shared = Buffer.alloc(output.length);
    let from = 0;
    for (const to of [...new Set(cuts)].sort((a, b) => a - b).concat(output.length)) {
      const part = shared.subarray(0, to - from);
      output.copy(part, 0, from, to);
      parse(part);
      part.fill(0x5a);
      from = to;
    }
    return got;
  };

  it('says a keyword is there, with its size, however the body is cut, down to parts of one byte', () => {
    const start = output.indexOf('AIzaSyD') - 60;
    for (let c = start; c < start + 120; c++) {
      const got = parseCut([c, c + 1, c + 2], true);
      expect(got.map((o) => ('screened' in o ? `${o.screened} ${o.size}` : 'whole')).slice(0, 2), `cut at ${c}`).toEqual(['clean 17', `hit ${bodies[1]!.length}`]);
    }
  });

  it('hands over each body screened as its verdict, every other whole, however git cuts its output and its memory is reused', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(output.length), { maxLength: 10 }), fc.boolean(), (cuts, screenAll) => {
        // Every other object is read whole (as a file named like a credential is).
        const got = parseCut(cuts, screenAll);
        expect(got).toHaveLength(bodies.length + 1);
        got.slice(0, bodies.length).forEach((o, i) => {
          expect('missing' in o).toBe(false);
          if ('screened' in o) {
            expect(o.screened).toBe(i === 2 ? 'binary' : i === 1 || i === 5 ? 'hit' : 'clean');
            expect(o.size).toBe(bodies[i]!.length);
          } else if ('content' in o) expect(o.content.equals(bodies[i]!)).toBe(true);
        });
        expect(got[bodies.length]).toEqual({ oid: 'f'.repeat(40), missing: true });
        if (screenAll) expect(got.slice(0, bodies.length).map((o) => ('screened' in o ? o.screened : 'whole'))).toEqual(['clean', 'hit', 'binary', 'clean', 'clean', 'hit']);
        else expect(got.filter((o) => 'content' in o)).toHaveLength(3);
      }),
      { numRuns: 300 },
    );
  });
});
