import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeProtobufReview } from './protobuf-review.js';

/** Protobuf encoding of length-delimited string/message fields, enough to build a review. */
const field = (n: number, value: Buffer | string): Buffer => {
  const bytes = typeof value === 'string' ? Buffer.from(value) : value;
  const varint = (v: number) => {
    const out: number[] = [];
    for (; v >= 0x80; v = Math.floor(v / 128)) out.push((v & 0x7f) | 0x80);
    out.push(v);
    return Buffer.from(out);
  };
  return Buffer.concat([varint(n * 8 + 2), varint(bytes.length), bytes]);
};

describe('decodeProtobufReview', () => {
  it('reads what kubectl sends for `auth can-i get nodes --subresource=proxy`', () => {
    const attrs = Buffer.concat([field(2, 'get'), field(5, 'nodes'), field(6, 'proxy')]);
    const review = Buffer.concat([field(1, Buffer.alloc(0)), field(2, field(1, attrs))]);
    const typeMeta = Buffer.concat([
      field(1, 'authorization.k8s.io/v1'),
      field(2, 'SelfSubjectAccessReview'),
    ]);
    const body = Buffer.concat([Buffer.from('k8s\0', 'latin1'), field(1, typeMeta), field(2, review)]);
    expect(decodeProtobufReview(body)).toEqual({
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: { resourceAttributes: { verb: 'get', resource: 'nodes', subresource: 'proxy' } },
    });
  });

  it('never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const body = Buffer.concat([Buffer.from('k8s\0', 'latin1'), Buffer.from(bytes)]);
        const got = decodeProtobufReview(body);
        expect(got === undefined || typeof got === 'object').toBe(true);
      }),
    );
    expect(decodeProtobufReview(Buffer.from('{"kind":"x"}'))).toBeUndefined();
  });
});
