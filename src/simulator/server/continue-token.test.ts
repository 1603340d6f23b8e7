import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeContinue, encodeContinue, InvalidContinue } from './continue-token.js';

describe('continue tokens', () => {
  it('round-trips and looks like the API server token', () => {
    const text = encodeContinue({ rv: 1767225600000, start: 'ns-a/pod-1' });
    expect(JSON.parse(Buffer.from(text, 'base64url').toString())).toEqual({
      v: 'meta.k8s.io/v1',
      rv: 1767225600000,
      start: 'ns-a/pod-1\u0000',
    });
    expect(decodeContinue(text)).toEqual({ rv: 1767225600000, start: 'ns-a/pod-1' });
  });

  it('round-trips any key (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1, max: 2 ** 50 }), fc.string({ minLength: 1 }), (rv, start) => {
        expect(decodeContinue(encodeContinue({ rv, start }))).toEqual({ rv, start });
      }),
    );
  });

  it.each([
    '%%%',
    'bm90IGpzb24',
    Buffer.from('{"v":"x","rv":1,"start":"a\\u0000"}').toString('base64url'),
    Buffer.from('{"v":"meta.k8s.io/v1","rv":1,"start":"a"}').toString('base64url'),
  ])('rejects %s', (text) => {
    expect(() => decodeContinue(text)).toThrow(InvalidContinue);
    expect(() => decodeContinue(text)).toThrow(/^continue key is not valid/);
  });
});
