import { describe, expect, it } from 'vitest';
import { toJson } from './columns.js';

describe('toJson', () => {
  it('writes bigints as decimal strings, beyond 2^53 too, and leaves BigInt as it found it', () => {
    const value = { n: 2n ** 64n + 1n, list: [{ b: -5n, t: 1.5, s: 'x' }], d: new Date(0), u: undefined };
    expect(toJson(value)).toBe(
      '{"n":"18446744073709551617","list":[{"b":"-5","t":1.5,"s":"x"}],"d":"1970-01-01T00:00:00.000Z"}',
    );
    expect(Object.getOwnPropertyDescriptor(BigInt.prototype, 'toJSON')).toBeUndefined();
    expect(() => JSON.stringify(1n)).toThrow(TypeError);
  });

  it('puts back a toJSON that was on BigInt before', () => {
    const own = function (this: bigint) {
      return Number(this);
    };
    Object.defineProperty(BigInt.prototype, 'toJSON', { value: own, configurable: true, writable: true });
    try {
      expect(toJson([7n])).toBe('["7"]');
      expect(JSON.stringify([7n])).toBe('[7]');
    } finally {
      delete (BigInt.prototype as { toJSON?: unknown }).toJSON;
    }
  });

  it('puts it back when the value cannot be written', () => {
    const cyclic: Record<string, unknown> = { n: 1n };
    cyclic.self = cyclic;
    expect(() => toJson(cyclic)).toThrow(TypeError);
    expect(Object.getOwnPropertyDescriptor(BigInt.prototype, 'toJSON')).toBeUndefined();
  });
});
