import { describe, expect, it } from 'vitest';
import { USAGE_FIELDS, ratio, toCoreHours, toGiB, zeroUsage } from './usage.js';

describe('amounts for display', () => {
  it('round to 9 decimals, so the integration’s sub-nanosecond rounding does not show', () => {
    // 35.52 core-hours less one core-nanosecond: the float would read 35.51999999999972.
    expect(toCoreHours(127_872n * 1_000_000_000n - 1n)).toBe(35.52);
    expect(ratio(37n, 15n)).toBe(2.466666667);
    expect(toGiB(1n)).toBe(0.000000001); // one byte still shows
    expect(ratio(-1n, 3n)).toBe(-0.333333333);
    expect(ratio(0n, 7n)).toBe(0);
  });
});

describe('zeroUsage', () => {
  it('has every usage field, in order, at 0', () => {
    expect(Object.entries(zeroUsage())).toEqual(USAGE_FIELDS.map((f) => [f, 0n]));
  });
});
