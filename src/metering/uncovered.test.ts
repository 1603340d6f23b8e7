import { describe, expect, it } from 'vitest';
import { coversRuns, outsideOf } from './uncovered.js';

describe('outsideOf', () => {
  const seg = (t0: number, t1: number, amount: bigint) => ({ t0, t1, amount });

  it('keeps what no cover touches, whole', () => {
    expect(outsideOf([seg(0, 10, 100n)], [seg(10, 20, 5n)])).toEqual([seg(0, 10, 100n)]);
  });

  it('cuts around covers, each piece its share of the amount', () => {
    expect(outsideOf([seg(0, 100, 1000n)], [seg(10, 30, 1n), seg(25, 40, 1n), seg(90, 200, 1n)])).toEqual([
      seg(0, 10, 100n),
      seg(40, 90, 500n),
    ]);
  });

  it('drops a segment covered whole', () => {
    expect(outsideOf([seg(20, 30, 7n)], [seg(0, 50, 1n)])).toEqual([]);
  });

  it('tells whether a cover leaves any of the runs inside a window uncovered', () => {
    const counters = [seg(0, 40, 1n), seg(40, 60, 1n), seg(80, 100, 1n)];
    expect(coversRuns(counters, [{ start: 10, end: 60 }], 0, 100)).toBe(true);
    // 60–80 has no counter: the rates may fill it.
    expect(coversRuns(counters, [{ start: 10, end: 90 }], 0, 100)).toBe(false);
    // The same hole outside the window is none of the window's business.
    expect(coversRuns(counters, [{ start: 10, end: 90 }], 0, 60)).toBe(true);
    expect(coversRuns([], [{ start: 70, end: 75 }], 0, 60)).toBe(true);
    expect(coversRuns([], [{ start: 10, end: 20 }], 0, 60)).toBe(false);
  });
});
