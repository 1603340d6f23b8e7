import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cumulativeAt, cumulativeAtEach, shareOf, type Segment } from './segments.js';

const segment = fc
  .record({
    t0: fc.integer({ min: -50, max: 1000 }),
    len: fc.integer({ min: 0, max: 400 }),
    amount: fc.bigInt({ min: 0n, max: 10n ** 15n }),
  })
  .map(({ t0, len, amount }): Segment => ({ t0, t1: t0 + len, amount }));
const cuts = fc
  .uniqueArray(fc.integer({ min: -100, max: 1500 }), { minLength: 1, maxLength: 30 })
  .map((c) => c.sort((a, b) => a - b));

describe('cumulativeAtEach', () => {
  it('equals the sum of every segment at each cut, so differences are shareOf', () => {
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 25 }), cuts, (segs, at) => {
        const got = cumulativeAtEach(segs, at);
        expect(got).toEqual(at.map((t) => segs.reduce((sum, s) => sum + cumulativeAt(s, t), 0n)));
        for (let i = 1; i < at.length; i++)
          expect(got[i]! - got[i - 1]!).toBe(shareOf(segs, at[i - 1]!, at[i]!));
      }),
      { numRuns: 500 },
    );
  });

  it('counts a zero-length segment from the first cut after its instant', () => {
    expect(cumulativeAtEach([{ t0: 10, t1: 10, amount: 4000n }], [5, 10, 11])).toEqual([0n, 0n, 2n]);
  });
});
