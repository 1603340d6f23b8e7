/**
 * Vectors derived from apimachinery's resource.Quantity rules (v0.32; see the wire notes §5).
 *
 * Where the Kubernetes Python client's `parse_quantity` differs, we follow the Go API server,
 * because that is what the cluster itself accepts and stores:
 * - Python accepts `K`, `mi`, `ni`, `ui`, surrounding whitespace, `inf` and `nan` (it hands the
 *   number to `Decimal`); the API server refuses them, and so do we.
 * - Python keeps any precision (`0.1n` stays 1e-10); the API server rounds non-zero values finer
 *   than 1n up, away from zero, to a whole nano (`0.1n` → `1n`), and so do we.
 * - Python does not cap BinarySI values; the API server caps them at 2^63 − 1, and so do we.
 * - Exponents above 4096 are refused here, with their own message (Go accepts any int32
 *   exponent); no real manifest uses them. Negative ones are read as Go reads them.
 * - Decimal values past exa print as `1000E` here; apimachinery v0.32 prints `1` for 1e21 (a bug).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { cpuToNanocores, formatBytes, formatCpuNanocores, memoryToBytes, parseQuantity } from './quantity.js';
import { isKubetallyError } from '../domain/errors.js';

// [input, exact value, canonical String(), format]
const VALID: [string, string, string, string][] = [
  ['0', '0', '0', 'DecimalSI'],
  ['100m', '0.1', '100m', 'DecimalSI'],
  ['1Gi', '1073741824', '1Gi', 'BinarySI'],
  ['1.5', '1.5', '1500m', 'DecimalSI'],
  ['1080000000n', '1.08', '1080m', 'DecimalSI'],
  ['0.001T', '1000000000', '1G', 'DecimalSI'],
  ['1.01E', '1010000000000000000', '1010P', 'DecimalSI'],
  ['8.1k', '8100', '8100', 'DecimalSI'],
  ['1e14', '100000000000000', '100e12', 'DecimalExponent'],
  ['0.5e0', '0.5', '500e-3', 'DecimalExponent'],
  ['1.2e3', '1200', '1200', 'DecimalExponent'],
  ['1e-3', '0.001', '1e-3', 'DecimalExponent'],
  ['1E+3', '1000', '1E+3', 'DecimalExponent'],
  ['0.5Mi', '524288', '512Ki', 'BinarySI'],
  ['100.035Ki', '102435.84', '102435840m', 'BinarySI'],
  ['.001Ki', '1.024', '1024m', 'BinarySI'],
  ['1024Mi', '1073741824', '1Gi', 'BinarySI'],
  ['1.5Gi', '1610612736', '1536Mi', 'BinarySI'],
  ['34567Ki', '35396608', '34567Ki', 'BinarySI'],
  // Nano rounding: away from zero, only past nine fractional digits.
  ['3.001n', '0.000000004', '4n', 'DecimalSI'],
  ['0.9n', '0.000000001', '1n', 'DecimalSI'],
  ['-3.001n', '-0.000000004', '-4n', 'DecimalSI'],
  ['0.00000012345', '0.000000124', '124n', 'DecimalSI'],
  ['1.1E-9', '0.000000002', '2e-9', 'DecimalExponent'],
  ['0.1m', '0.0001', '100u', 'DecimalSI'],
  // A binary value strictly between 0 and 1 becomes DecimalSI.
  ['0.000000000001Ki', '0.000000002', '2n', 'DecimalSI'],
  // Only BinarySI is capped.
  ['9Ei', '9223372036854775807', '9223372036854775807', 'BinarySI'],
  ['9223372036854775807Ki', '9223372036854775807', '9223372036854775807', 'BinarySI'],
  ['-9Ei', '-9223372036854775807', '-9223372036854775807', 'BinarySI'],
  ['12E', '12000000000000000000', '12E', 'DecimalSI'],
  ['9999999999999999999', '9999999999999999999', '9999999999999999999', 'DecimalSI'],
  ['1e20', '100000000000000000000', '100e18', 'DecimalExponent'],
  // Signs, leading zeros and lone punctuation.
  ['.', '0', '0', 'DecimalSI'],
  ['+', '0', '0', 'DecimalSI'],
  ['-', '0', '0', 'DecimalSI'],
  ['-0', '0', '0', 'DecimalSI'],
  ['Ki', '0', '0', 'BinarySI'],
  ['-1.5Gi', '-1610612736', '-1536Mi', 'BinarySI'],
  // The fast path keeps text that "looks canonical".
  ['100.035k', '100035', '100.035k', 'DecimalSI'],
  ['1.', '1', '1.', 'DecimalSI'],
  ['1.G', '1000000000', '1.G', 'DecimalSI'],
  ['+1', '1', '+1', 'DecimalSI'],
  ['01', '1', '01', 'DecimalSI'],
  ['1E3', '1000', '1E3', 'DecimalExponent'],
  ['+1Ki', '1024', '+1Ki', 'BinarySI'],
  // Any int32 exponent below zero: finer than 1n, rounded up to it (they were refused past -4096).
  ['1e-5000', '0.000000001', '1e-9', 'DecimalExponent'],
  ['-25e-2147483647', '-0.000000001', '-1e-9', 'DecimalExponent'],
  ['0e-2147483647', '0', '0', 'DecimalExponent'],
  ['1e4096', `1${'0'.repeat(4096)}`, '10e4095', 'DecimalExponent'],
];

const INVALID = [
  '1.1.M',
  '1+1.0M',
  '0.1mi',
  '0.1am',
  'aoeu',
  '.5i',
  '1i',
  '-3.01i',
  '-3.01e-',
  '',
  ' 1',
  '1 ',
  'K',
  '1K',
  'ki',
  '1KiB',
  '1e',
  'µ',
  '1µ',
  '1Ki5',
  '1e1.5',
  'inf',
  'NaN',
  '1_000',
  '0x10',
  'Pi',
  'Ei',
  '-Pi',
  '.e-20',
  'e-10',
  'E-90',
  // apimachinery reads exponents as int32 and refuses the rest.
  '1e2147483648',
  '1e-2147483649',
];

describe('parseQuantity', () => {
  it.each(VALID)('%s = %s, canonical %s (%s)', (text, exact, canonical, format) => {
    const q = parseQuantity(text);
    expect(String(q)).toBe(exact);
    expect(q.canonical()).toBe(canonical);
    expect(q.format).toBe(format);
  });

  it('refuses exponents above 4096 as too large, not as invalid text (Kubernetes accepts them)', () => {
    for (const text of ['1e4097', '2E+5000', '1e2147483647']) {
      expect(() => parseQuantity(text)).toThrow(
        expect.objectContaining({
          code: 'INVALID_ARGUMENT',
          message: `quantity "${text}" is too large for kubetally: exponents above 4096 are not supported`,
        }),
      );
    }
  });

  it.each(INVALID)('refuses %j with an error naming the text', (text) => {
    try {
      parseQuantity(text);
      expect.unreachable();
    } catch (err) {
      expect(isKubetallyError(err, 'INVALID_ARGUMENT')).toBe(true);
      expect((err as Error).message).toBe(`invalid quantity "${text}"`);
    }
  });

  it('reads a number as its decimal text, as the Python client does', () => {
    expect(parseQuantity(5).toString()).toBe('5');
    expect(parseQuantity(1.5).milliValue()).toBe(1500n);
    expect(parseQuantity(-2).value()).toBe(-2n);
    expect(parseQuantity(1e21).value()).toBe(10n ** 21n);
    expect(() => parseQuantity(Number.NaN)).toThrow('invalid quantity "NaN"');
  });

  it('reads a bigint as its digits, and names the type of anything else (5n was refused as "5")', () => {
    expect(String(parseQuantity(5n))).toBe('5');
    expect(parseQuantity(-(10n ** 30n)).value()).toBe(-(10n ** 30n));
    const asAny = parseQuantity as (v: unknown) => unknown;
    for (const [v, given] of [
      [[1], 'an array'],
      [null, 'null'],
      [true, 'boolean'],
      [{ cpu: '1' }, 'object'],
      [undefined, 'undefined'],
    ] as const) {
      expect(() => asAny(v)).toThrow(
        expect.objectContaining({
          code: 'INVALID_ARGUMENT',
          message: `parseQuantity takes a string or a number, got ${given}`,
        }),
      );
    }
  });

  it('serializes to JSON as its exact value, a string (JSON numbers would lose digits)', () => {
    const usage = { cpu: parseQuantity('100m'), memory: parseQuantity('1.5Gi'), big: parseQuantity('12E') };
    expect(JSON.stringify(usage)).toBe('{"cpu":"0.1","memory":"1610612736","big":"12000000000000000000"}');
    expect(JSON.stringify(parseQuantity('-3.001n'))).toBe('"-0.000000004"');
  });

  it('rounds MilliValue and Value up, as kubectl prints them', () => {
    expect(parseQuantity('12345678n').milliValue()).toBe(13n);
    expect(parseQuantity('250m').milliValue()).toBe(250n);
    expect(parseQuantity('1.5').value()).toBe(2n);
    expect(parseQuantity('34567Ki').value() / 2n ** 20n).toBe(33n);
    expect(parseQuantity('-1.5').value()).toBe(-2n);
  });

  it('converts CPU and memory exactly', () => {
    expect(cpuToNanocores('100m')).toBe(100_000_000n);
    expect(cpuToNanocores('4280083n')).toBe(4_280_083n);
    expect(cpuToNanocores('2')).toBe(2_000_000_000n);
    expect(memoryToBytes('14336Ki')).toBe(14_680_064n);
    expect(memoryToBytes('1.5Gi')).toBe(1_610_612_736n);
    expect(memoryToBytes('0.5')).toBe(1n);
  });

  it('formats CPU and memory as metrics-server does', () => {
    expect(formatCpuNanocores(4_280_083n)).toBe('4280083n');
    expect(formatCpuNanocores(250_000_000n)).toBe('250m');
    expect(formatCpuNanocores(2_000_000_000n)).toBe('2');
    expect(formatCpuNanocores(0n)).toBe('0');
    expect(formatBytes(14_680_064n)).toBe('14Mi');
    expect(formatBytes(1025n * 1024n)).toBe('1025Ki');
    expect(formatBytes(1_234_567n)).toBe('1234567');
    expect(formatBytes(1000n)).toBe('1k');
  });
});

const suffix = fc.constantFrom(
  '',
  'n',
  'u',
  'm',
  'k',
  'M',
  'G',
  'T',
  'P',
  'E',
  'Ki',
  'Mi',
  'Gi',
  'Ti',
  'Pi',
  'e3',
  'e-3',
  'E6',
);
const quantityText = fc
  .tuple(
    fc.constantFrom('', '-', '+'),
    fc.stringMatching(/^\d{1,12}$/),
    fc.option(fc.stringMatching(/^\d{0,12}$/)),
    suffix,
  )
  .map(([sign, int, frac, suf]) => `${sign}${int}${frac === null ? '' : `.${frac}`}${suf}`);

describe('parseQuantity properties', () => {
  it('parses its own canonical form back to the same value and format family', () => {
    fc.assert(
      fc.property(quantityText, (text) => {
        const q = parseQuantity(text);
        const again = parseQuantity(q.canonical());
        expect(again.nanoValue()).toBe(q.nanoValue());
      }),
      { numRuns: 2000 },
    );
  });

  it('parses its exact decimal value back to the same value', () => {
    fc.assert(
      fc.property(quantityText, (text) => {
        const q = parseQuantity(text);
        expect(parseQuantity(String(q)).nanoValue()).toBe(q.nanoValue());
      }),
      { numRuns: 2000 },
    );
  });

  it('adds exactly and compares consistently', () => {
    fc.assert(
      fc.property(quantityText, quantityText, (a, b) => {
        const qa = parseQuantity(a);
        const qb = parseQuantity(b);
        expect(qa.add(qb).nanoValue()).toBe(qa.nanoValue() + qb.nanoValue());
        expect(qa.cmp(qb) + qb.cmp(qa)).toBe(0);
      }),
    );
  });

  it('rounds milli and whole values up (away from zero) and never below the exact value', () => {
    fc.assert(
      fc.property(quantityText, (text) => {
        const q = parseQuantity(text);
        const n = q.nanoValue();
        const m = q.milliValue();
        if (n >= 0n) {
          expect(m * 1_000_000n >= n && (m - 1n) * 1_000_000n < n).toBe(true);
        } else {
          expect(m * 1_000_000n <= n && (m + 1n) * 1_000_000n > n).toBe(true);
        }
      }),
    );
  });

  it('formats any nanocore count so that it parses back exactly', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 15n }), (n) => {
        expect(cpuToNanocores(formatCpuNanocores(n))).toBe(n);
        expect(memoryToBytes(formatBytes(n))).toBe(n);
      }),
    );
  });
});

describe('cpuToNanocores and memoryToBytes', () => {
  it('read plain forms as parseQuantity does', () => {
    const plain = fc
      .tuple(
        fc.stringMatching(/^\d{1,18}$/),
        fc.constantFrom('', 'n', 'u', 'm', 'k', 'M', 'G', 'T', 'P', 'E', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei'),
      )
      .map(([digits, suf]) => `${digits}${suf}`);
    fc.assert(
      fc.property(fc.oneof(plain, quantityText), (text) => {
        let expected: [bigint, bigint] | string;
        try {
          const q = parseQuantity(text);
          expected = [q.nanoValue(), q.value()];
        } catch (err) {
          expected = (err as Error).message;
        }
        let got: [bigint, bigint] | string;
        try {
          got = [cpuToNanocores(text), memoryToBytes(text)];
        } catch (err) {
          got = (err as Error).message;
        }
        expect(got).toEqual(expected);
      }),
    );
    expect(memoryToBytes('8Ei')).toBe((1n << 63n) - 1n); // capped as the API server caps it
    expect(cpuToNanocores('39738215n')).toBe(39738215n);
    expect(memoryToBytes('14520Ki')).toBe(14520n * 1024n);
    expect(memoryToBytes('1n')).toBe(1n); // rounded up
  });
});
