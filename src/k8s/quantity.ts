import { KubetallyError } from '../domain/errors.js';

/**
 * Kubernetes `resource.Quantity`, exactly as apimachinery parses and prints it (v0.32).
 *
 * Every parsed value is a whole number of nano-units (apimachinery rounds anything finer up,
 * away from zero, to 1n), so a Quantity is stored as one `bigint` of nano-units: no floating
 * point anywhere. Decimal values are not capped; BinarySI values are capped at ±(2^63 − 1).
 */
export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

const NANO = 1_000_000_000n;
const MAX_INT64 = (1n << 63n) - 1n;
/**
 * Positive exponents beyond this are refused (with their own message: Kubernetes accepts them)
 * rather than building numbers with millions of digits. Negative ones cost nothing: past the
 * digits they all round up to 1n.
 */
const MAX_EXPONENT = 4096;
/** apimachinery reads an exponent as an int32 and refuses the rest. */
const INT32 = 2 ** 31;

const DECIMAL_SUFFIXES: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const DECIMAL_BY_EXPONENT = new Map(Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [e, s]));
const BINARY_BY_EXPONENT = new Map(Object.entries(BINARY_SUFFIXES).map(([s, e]) => [e, s]));

export class Quantity {
  /** @param nanos the exact value × 1e9 @param text the input, kept when Kubernetes would print it back as given */
  constructor(
    private readonly nanos: bigint,
    readonly format: QuantityFormat,
    private readonly text?: string,
  ) {}

  /** The exact decimal value: `"0.1"` for `100m`, `"1073741824"` for `1Gi`. */
  toString(): string {
    const neg = this.nanos < 0n;
    const abs = neg ? -this.nanos : this.nanos;
    const whole = (abs / NANO).toString();
    const frac = (abs % NANO).toString().padStart(9, '0').replace(/0+$/, '');
    return `${neg ? '-' : ''}${whole}${frac === '' ? '' : `.${frac}`}`;
  }

  /** Kubernetes' canonical `String()`: `100m`, `1Gi`, `1500m`, `100e12`. */
  canonical(): string {
    if (this.nanos === 0n) return '0';
    if (this.text !== undefined) return this.text;
    if (this.format === 'BinarySI' && (this.nanos <= -1024n * NANO || this.nanos >= 1024n * NANO)) {
      if (this.nanos % NANO === 0n) return canonicalBinary(this.nanos / NANO);
    }
    return canonicalDecimal(this.nanos, this.format === 'DecimalExponent' ? 'DecimalExponent' : 'DecimalSI');
  }

  /**
   * JSON has no exact decimals and cannot hold a bigint (JSON.stringify threw a TypeError on
   * every Quantity): the exact value as a string, as `toString()`.
   */
  toJSON(): string {
    return this.toString();
  }

  toNumber(): number {
    return Number(this.toString());
  }

  /** The exact value × 1e9. */
  nanoValue(): bigint {
    return this.nanos;
  }

  /** value × 1e3 rounded up (away from zero), as Go's `MilliValue()`. */
  milliValue(): bigint {
    return divRoundUp(this.nanos, 1_000_000n);
  }

  /** value rounded up (away from zero), as Go's `Value()`. */
  value(): bigint {
    return divRoundUp(this.nanos, NANO);
  }

  sign(): -1 | 0 | 1 {
    return this.nanos === 0n ? 0 : this.nanos < 0n ? -1 : 1;
  }

  /** Exact sum; keeps this quantity's format. */
  add(other: Quantity): Quantity {
    return new Quantity(this.nanos + other.nanos, this.format);
  }

  cmp(other: Quantity): -1 | 0 | 1 {
    return this.nanos === other.nanos ? 0 : this.nanos < other.nanos ? -1 : 1;
  }
}

/** Parses a Kubernetes quantity (`250m`, `1.5Gi`, `1e3`, `-2k`). Invalid text throws an error naming it. */
export function parseQuantity(input: string | number | bigint): Quantity {
  // A number is read as its decimal text, as the Python client and the API server's JSON do; a
  // bigint too (it is exact). Anything else is named by its type: `invalid quantity "5"` for 5n,
  // or "1" for [1], named a text that is valid.
  if (typeof input !== 'string' && typeof input !== 'number' && typeof input !== 'bigint')
    throw notText(input);
  const text =
    typeof input === 'bigint'
      ? String(input)
      : typeof input === 'number' && Number.isFinite(input)
        ? String(input).replace('e+', 'e')
        : input;
  if (typeof text !== 'string' || text.length === 0) throw invalid(String(text));
  if (text === '0') return new Quantity(0n, 'DecimalSI', '0');
  const parts = splitQuantity(text);
  if (parts === undefined) throw invalid(text);
  const unit = interpretSuffix(parts.suffix);
  if (unit === undefined) throw invalid(text);
  if (unit.exponent > MAX_EXPONENT) throw tooLarge(text);
  // Without a digit only the fast path yields 0 (`Ki`, `.`); the slow path fails on the empty number (`Pi`, `e-10`).
  if (!/\d/.test(text.slice(0, text.length - parts.suffix.length)) && !onFastPath(parts, unit)) {
    throw invalid(text);
  }
  const digits = BigInt(parts.num + parts.denom);
  const magnitude =
    unit.base === 2
      ? binaryNanos(digits, parts.denom.length, unit.exponent)
      : decimalNanos(digits, unit.exponent - parts.denom.length);
  let nanos = magnitude;
  let format = unit.format;
  if (format === 'BinarySI') {
    if (nanos > MAX_INT64 * NANO) nanos = MAX_INT64 * NANO;
    if (nanos > 0n && nanos < NANO) format = 'DecimalSI';
  }
  if (!parts.positive) nanos = -nanos;
  return new Quantity(nanos, format, keepsText(parts, unit) ? text : undefined);
}

/** CPU in nanocores, exact (`100m` → 100000000n). */
export function cpuToNanocores(q: Quantity | string): bigint {
  if (typeof q !== 'string') return q.nanoValue();
  return plainNanos(q) ?? parseQuantity(q).nanoValue();
}

/** Memory in bytes, rounded up as Go's `Value()`. */
export function memoryToBytes(q: Quantity | string): bigint {
  if (typeof q !== 'string') return q.value();
  const nanos = plainNanos(q);
  return nanos === undefined ? parseQuantity(q).value() : divRoundUp(nanos, NANO);
}

/** Whole digits and at most a suffix: what metrics-server and most manifests write. */
const PLAIN = /^(\d{1,18})(n|u|m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;
const NANOS_PER: Record<string, bigint> = Object.fromEntries([
  ...Object.entries(DECIMAL_SUFFIXES).map(([s, e]) => [s, decimalNanos(1n, e)]),
  ...Object.entries(BINARY_SUFFIXES).map(([s, e]) => [s, NANO << BigInt(e)]),
]);

/**
 * The value of a plain quantity in nano-units without building a Quantity (live views and
 * collection read tens of thousands per round); undefined for every other form, and for binary
 * values past the API server's cap, which parseQuantity handles.
 */
function plainNanos(text: string): bigint | undefined {
  const m = PLAIN.exec(text);
  if (m === null) return undefined;
  const suffix = m[2] ?? '';
  const nanos = BigInt(m[1] as string) * (NANOS_PER[suffix] as bigint);
  return suffix.endsWith('i') && nanos > MAX_INT64 * NANO ? undefined : nanos;
}

/** Canonical DecimalSI text of a CPU amount, as metrics-server prints it (`4280083n`, `250m`, `2`). */
export function formatCpuNanocores(nanocores: bigint): string {
  return new Quantity(nanocores, 'DecimalSI').canonical();
}

/** Canonical BinarySI text of a byte count (`14Mi`, `1000`, `1025Ki`). */
export function formatBytes(bytes: bigint): string {
  return new Quantity(bytes * NANO, 'BinarySI').canonical();
}

interface QuantityParts {
  positive: boolean;
  /** Integer digits without leading zeros ("0" when none). */
  num: string;
  /** Fraction digits as written. */
  denom: string;
  suffix: string;
}

const QUANTITY = /^([+-]?)(\d*)(?:\.(\d*))?([eEinumkKMGTP]*(?:[+-]?\d+)?)$/;

/** Splits text the way apimachinery's parseQuantityString does. */
function splitQuantity(text: string): QuantityParts | undefined {
  const m = QUANTITY.exec(text);
  if (m === null) return undefined;
  const [, sign, intDigits = '', fracDigits = '', suffix = ''] = m;
  const stripped = intDigits.replace(/^0+/, '');
  return { positive: sign !== '-', num: stripped === '' ? '0' : stripped, denom: fracDigits, suffix };
}

interface Unit {
  base: 2 | 10;
  exponent: number;
  format: QuantityFormat;
}

function interpretSuffix(suffix: string): Unit | undefined {
  const dec = DECIMAL_SUFFIXES[suffix];
  if (dec !== undefined) return { base: 10, exponent: dec, format: 'DecimalSI' };
  const bin = BINARY_SUFFIXES[suffix];
  if (bin !== undefined) return { base: 2, exponent: bin, format: 'BinarySI' };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?\d+$/.test(suffix.slice(1))) {
    const exponent = Number(suffix.slice(1));
    if (exponent < -INT32 || exponent >= INT32) return undefined;
    return { base: 10, exponent, format: 'DecimalExponent' };
  }
  return undefined;
}

/** digits × 10^scale in nano-units, rounded away from zero to a whole nano. */
function decimalNanos(digits: bigint, scale: number): bigint {
  const shift = scale + 9;
  if (shift >= 0) return digits * 10n ** BigInt(shift);
  // Past its digits a value is below 1n: it rounds up to 1n (0 stays 0), 1e-2147483648 too.
  if (-shift > digits.toString().length) return digits === 0n ? 0n : 1n;
  return divRoundUp(digits, 10n ** BigInt(-shift));
}

/** (digits / 10^fraction) × 2^exponent in nano-units, rounded away from zero to a whole nano. */
function binaryNanos(digits: bigint, fraction: number, exponent: number): bigint {
  return divRoundUp(digits * NANO * (1n << BigInt(exponent)), 10n ** BigInt(fraction));
}

/** a / b for b > 0, rounded away from zero. */
function divRoundUp(a: bigint, b: bigint): bigint {
  const q = a / b;
  if (a % b === 0n) return q;
  return a < 0n ? q - 1n : q + 1n;
}

/**
 * apimachinery's fast path keeps the input text when it already "looks canonical": decimal forms
 * of at most 18 digits whose scale is ≥ -9 and a multiple of 3, not ending in 000 and not
 * starting with 0; binary forms without a fraction, small enough, whose digits are not a
 * multiple of 8.
 */
function keepsText(parts: QuantityParts, unit: Unit): boolean {
  if (!onFastPath(parts, unit)) return false;
  const digits = parts.num + parts.denom;
  if (unit.base === 10) {
    const scale = unit.exponent - parts.denom.length;
    return scale % 3 === 0 && !digits.endsWith('000') && digits[0] !== '0';
  }
  return (BigInt(parts.num) & 7n) !== 0n;
}

/** Whether apimachinery takes its int64 fast path for this text. */
function onFastPath(parts: QuantityParts, unit: Unit): boolean {
  const digits = parts.num + parts.denom;
  if (unit.base === 10) {
    const scale = unit.exponent - parts.denom.length;
    return 18 - digits.length >= 0 && scale >= -9 && BigInt(digits) <= MAX_INT64;
  }
  if (parts.denom.length > 0) return false;
  const precision = 15 - parts.num.length - Math.trunc((unit.exponent * 3) / 10) - 1;
  return precision >= 0 && BigInt(parts.num) * (1n << BigInt(unit.exponent)) <= MAX_INT64;
}

function canonicalDecimal(nanos: bigint, format: 'DecimalSI' | 'DecimalExponent'): string {
  const neg = nanos < 0n;
  let mantissa = neg ? -nanos : nanos;
  let exponent = -9;
  while (mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent += 1;
  }
  while (((exponent % 3) + 3) % 3 !== 0) {
    mantissa *= 10n;
    exponent -= 1;
  }
  let suffix: string;
  if (format === 'DecimalExponent') {
    suffix = exponent === 0 ? '' : `e${exponent}`;
  } else {
    // Beyond exa there is no SI suffix: keep E and let the number grow.
    while (exponent > 18) {
      mantissa *= 1000n;
      exponent -= 3;
    }
    suffix = DECIMAL_BY_EXPONENT.get(exponent) ?? '';
  }
  return `${neg ? '-' : ''}${mantissa}${suffix}`;
}

function canonicalBinary(value: bigint): string {
  const neg = value < 0n;
  let mantissa = neg ? -value : value;
  let exponent = 0;
  while (exponent < 60 && mantissa % 1024n === 0n) {
    mantissa /= 1024n;
    exponent += 10;
  }
  return `${neg ? '-' : ''}${mantissa}${BINARY_BY_EXPONENT.get(exponent) ?? ''}`;
}

function tooLarge(text: string): KubetallyError {
  return new KubetallyError(
    'INVALID_ARGUMENT',
    `quantity "${text}" is too large for kubetally: exponents above ${MAX_EXPONENT} are not supported`,
    {
      hint: 'write the value with a smaller exponent or a suffix (1e3, 1k, 1Gi); no real resource is that large',
    },
  );
}

function notText(input: unknown): KubetallyError {
  const given = input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input;
  return new KubetallyError('INVALID_ARGUMENT', `parseQuantity takes a string or a number, got ${given}`, {
    hint: 'pass the quantity as Kubernetes writes it, e.g. parseQuantity("250m") or parseQuantity("1.5Gi")',
  });
}

function invalid(text: string): KubetallyError {
  return new KubetallyError('INVALID_ARGUMENT', `invalid quantity "${text}"`, {
    hint: 'write a number with an optional suffix: n u m k M G T P E, Ki Mi Gi Ti Pi Ei, or an exponent such as 1e3',
  });
}
