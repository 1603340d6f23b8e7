/**
 * Exact money arithmetic. Money is `bigint` micro-currency (1e-6); prices are `bigint`
 * pico-currency (1e-12) per priced unit, parsed from decimal text without ever passing through a
 * float. Intermediate amounts are exact rationals, rounded once where a cost is recorded.
 */
import { invalidArgument } from '../domain/errors.js';

/** Micro-currency: 1_000_000n = 1 unit of the sheet's currency. */
export type Micros = bigint;
/** Pico-currency per priced unit (per core-hour, per GiB-month…): 1e12 = 1 unit of currency. */
export type Picos = bigint;

export const MICROS_PER_UNIT = 1_000_000n;
export const PICOS_PER_UNIT = 1_000_000_000_000n;
export const PICOS_PER_MICRO = 1_000_000n;
/** Prices carry at most this many decimal places (1e-12 of the currency). */
export const PRICE_DECIMALS = 12;

/** An exact non-reduced fraction n/d with d > 0. */
export interface Rational {
  n: bigint;
  d: bigint;
}

export const ONE: Rational = { n: 1n, d: 1n };
export const ZERO: Rational = { n: 0n, d: 1n };

function gcd(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a;
  b = b < 0n ? -b : b;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export function rational(n: bigint, d: bigint = 1n): Rational {
  if (d === 0n) throw invalidArgument('division by zero in exact arithmetic');
  if (d < 0n) [n, d] = [-n, -d];
  const g = gcd(n, d);
  return g > 1n ? { n: n / g, d: d / g } : { n, d };
}

export const add = (a: Rational, b: Rational): Rational => rational(a.n * b.d + b.n * a.d, a.d * b.d);
export const sub = (a: Rational, b: Rational): Rational => rational(a.n * b.d - b.n * a.d, a.d * b.d);
export const mul = (a: Rational, b: Rational): Rational => rational(a.n * b.n, a.d * b.d);
export const div = (a: Rational, b: Rational): Rational => rational(a.n * b.d, a.d * b.n);

function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n !== d < 0n ? q - 1n : q;
}

export const floor = (r: Rational): bigint => floorDiv(r.n, r.d);

/** Rounds half up (toward +∞ at exactly .5): the one rounding rule of pricing. */
export function roundHalfUp(r: Rational): bigint {
  return floorDiv(2n * r.n + r.d, 2n * r.d);
}

/** Beyond any bound a caller sets (the largest, a credit, is 10^12; 1e308 is a double's). */
const MAX_INTEGER_DIGITS = 400;

/**
 * Parses a decimal (`"0.031611"`, `0.95`, `"1e-7"`, `"12"`) into an integer of 10^-`decimals`
 * units, exactly. Numbers are read through their shortest decimal form (`String(n)`), which is
 * the decimal the user wrote. Throws when the text is not a plain non-negative decimal, or when
 * it has more precision than `decimals` places. The error message names `field`.
 */
export function parseScaledDecimal(value: number | string, decimals: number, field: string): bigint {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw invalidArgument(
      `${field}: ${String(value)} is not a finite number`,
      'write a decimal such as 0.031611',
    );
  }
  const text = (typeof value === 'number' ? String(value) : value).trim();
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (m === null || (m[2] ?? '') + (m[3] ?? '') === '') {
    throw invalidArgument(`${field}: "${text}" is not a decimal number`, 'write a decimal such as 0.031611');
  }
  const sign = m[1] === '-' ? -1n : 1n;
  const digits = `${m[2] ?? ''}${m[3] ?? ''}`;
  const exponent = Number(m[4] ?? '0') - (m[3] ?? '').length + decimals;
  const significant = digits.replace(/^0+/, '');
  if (significant === '') return 0n;
  // "1e1000000000" would be a billion-digit bigint: seconds of the one thread that serves every
  // tenant, then a RangeError. Whatever the caller's bound, a value this large is far above it.
  if (significant.length + exponent - decimals > MAX_INTEGER_DIGITS) {
    const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
    throw invalidArgument(
      `${field}: "${shown}" is far too large (${MAX_INTEGER_DIGITS} digits or more before the point)`,
      'write a decimal such as 0.031611',
    );
  }
  if (exponent >= 0) return sign * BigInt(digits) * 10n ** BigInt(exponent);
  const cut = -exponent;
  const kept = digits.length > cut ? digits.slice(0, digits.length - cut) : '0';
  const dropped = digits.slice(Math.max(0, digits.length - cut));
  if (/[1-9]/.test(dropped)) {
    throw invalidArgument(
      `${field}: "${text}" has more than ${decimals} decimal places`,
      `round it to ${decimals} decimal places`,
    );
  }
  return sign * BigInt(kept);
}

/** Formats an integer of 10^-`decimals` units as a plain decimal string without trailing zeros. */
export function formatScaled(value: bigint, decimals: number): string {
  const sign = value < 0n ? '-' : '';
  const abs = value < 0n ? -value : value;
  const scale = 10n ** BigInt(decimals);
  const whole = abs / scale;
  const frac = (abs % scale).toString().padStart(decimals, '0').replace(/0+$/, '');
  return frac === '' ? `${sign}${whole}` : `${sign}${whole}.${frac}`;
}

/** `1234567n` → `"1.234567"`. */
export const formatMicros = (m: Micros): string => formatScaled(m, 6);
/** Picos per unit → decimal text, e.g. `31611000000n` → `"0.031611"`. */
export const formatPicos = (p: Picos): string => formatScaled(p, PRICE_DECIMALS);

/**
 * Micro-units as a JSON number: the double nearest to the exact decimal (parsed from its text, so
 * there is exactly one rounding, at the edge, and none accumulated).
 */
export const microsToNumber = (m: Micros): number => Number(formatMicros(m));

/** Parses a money amount (`"10.50"`, `25`) into micro-units; at most 6 decimal places. */
export const parseMicros = (value: number | string, field: string): Micros =>
  parseScaledDecimal(value, 6, field);

/** n / d rounded half up, for d > 0: the same rule as `roundHalfUp`, without building a fraction. */
export function divRoundHalfUp(n: bigint, d: bigint): bigint {
  return floorDiv(2n * n + d, 2n * d);
}
