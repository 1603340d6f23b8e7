import { describe, expect, it } from 'vitest';
import { BYTES_PER_GIB, CORE_NANOS_PER_HOUR, USAGE_FIELDS, ledgerRatio, ratio, zeroUsage } from './usage.js';

describe('ledger amounts for display', () => {
  it('round to 9 decimals, so the integration’s sub-nanosecond rounding does not show', () => {
    // 35.52 core-hours less one core-nanosecond: the float would read 35.51999999999972.
    expect(ratio(127_872n * 1_000_000_000n - 1n, CORE_NANOS_PER_HOUR)).toBe(35.51999999999972);
    expect(ledgerRatio(127_872n * 1_000_000_000n - 1n, CORE_NANOS_PER_HOUR)).toBe(35.52);
    expect(ledgerRatio(37n, 15n)).toBe(2.466666667);
    expect(ledgerRatio(1n, BYTES_PER_GIB)).toBe(0.000000001); // one byte still shows
    expect(ledgerRatio(-1n, 3n)).toBe(-0.333333333);
    expect(ledgerRatio(0n, 7n)).toBe(0);
  });

  it('while live amounts stay exact', () => {
    expect(ratio(194_000_000n, BYTES_PER_GIB)).toBe(194_000_000 / 2 ** 30);
  });
});

describe('zeroUsage', () => {
  it('has every usage field, in order, at 0', () => {
    expect(Object.entries(zeroUsage())).toEqual(USAGE_FIELDS.map((f) => [f, 0n]));
  });
});
