import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  formatMicros,
  microsToNumber,
  parseMicros,
  parseScaledDecimal,
  rational,
  roundHalfUp,
} from './decimal.js';

describe('exact decimals', () => {
  it('parses prices without float error', () => {
    expect(parseScaledDecimal('0.031611', 12, 'x')).toBe(31_611_000_000n);
    expect(parseScaledDecimal(0.1, 12, 'x')).toBe(100_000_000_000n);
    expect(parseScaledDecimal(1e-7, 12, 'x')).toBe(100_000n);
    expect(parseScaledDecimal('2.5E3', 12, 'x')).toBe(2_500_000_000_000_000n);
    expect(parseScaledDecimal('.5', 6, 'x')).toBe(500_000n);
    expect(parseScaledDecimal('12', 6, 'x')).toBe(12_000_000n);
    expect(parseScaledDecimal('0.1000000', 6, 'x')).toBe(100_000n);
    expect(parseScaledDecimal('-3', 6, 'x')).toBe(-3_000_000n);
  });

  it('refuses text that is not a decimal, naming the field', () => {
    expect(() => parseScaledDecimal('1,5', 6, 'amount')).toThrow(/amount: "1,5" is not a decimal/);
    expect(() => parseScaledDecimal('.', 6, 'amount')).toThrow(/not a decimal/);
    expect(() => parseScaledDecimal(Infinity, 6, 'amount')).toThrow(/amount: Infinity is not a finite/);
    expect(() => parseScaledDecimal('0.0000001', 6, 'amount')).toThrow(/more than 6 decimal places/);
  });

  it('rounds half up, once', () => {
    expect(roundHalfUp(rational(5n, 2n))).toBe(3n);
    expect(roundHalfUp(rational(7n, 3n))).toBe(2n);
    expect(roundHalfUp(rational(-5n, 2n))).toBe(-2n);
    expect(roundHalfUp(rational(31611n, 2n))).toBe(15806n);
  });

  it('formats micro-units exactly and round-trips', () => {
    expect(formatMicros(1_234_567n)).toBe('1.234567');
    expect(formatMicros(-50n)).toBe('-0.00005');
    expect(formatMicros(3_000_000n)).toBe('3');
    expect(microsToNumber(100_000n + 200_000n)).toBe(0.3);
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), (m) => {
        expect(parseMicros(formatMicros(m), 'm')).toBe(m);
      }),
    );
  });
});
