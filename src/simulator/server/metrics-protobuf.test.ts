import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envelope, listBytes, messageBytes } from '../../k8s/protobuf/codec.js';
import { decodePodMetricsList } from '../../k8s/protobuf/metrics-list.js';
import { podMetricsListBytes, type PodMetricsObject } from './metrics-protobuf.js';

const API = 'metrics.k8s.io/v1beta1';
const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/);
const quantity = fc.oneof(
  fc.nat().map((n) => `${n}n`),
  fc.nat().map((n) => `${n}Ki`),
  fc.constant('0'),
);
const rfc3339 = fc
  .integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 })
  .map((ms) => new Date(ms).toISOString().replace(/\.000Z$/, 'Z'));
const item: fc.Arbitrary<PodMetricsObject> = fc.record({
  metadata: fc.record({
    name,
    namespace: name,
    creationTimestamp: rfc3339,
    labels: fc.dictionary(name, fc.string({ maxLength: 12 }), { maxKeys: 4 }),
  }),
  timestamp: rfc3339,
  window: fc.constantFrom('15s', '1m0s', '10.5s'),
  containers: fc.array(fc.record({ name, usage: fc.record({ cpu: quantity, memory: quantity }) }), {
    maxLength: 3,
  }),
});

describe('PodMetricsList in protobuf', () => {
  it('writes the same bytes as the schema encoder, whatever was cached before', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 8 }), fc.array(item, { maxLength: 8 }), (first, second) => {
        // The second list reuses names of the first with other labels: the cache must notice.
        const renamed = second.map((m, i) => ({
          ...m,
          metadata: {
            ...m.metadata,
            ...(first[i] === undefined
              ? {}
              : { name: first[i].metadata.name, namespace: first[i].metadata.namespace }),
          },
        }));
        for (const items of [first, renamed]) {
          const generic = envelope(
            API,
            'PodMetricsList',
            listBytes(
              {},
              items.map((m) => messageBytes('PodMetrics', { ...m })),
            ),
          );
          expect(podMetricsListBytes(API, items).equals(generic)).toBe(true);
        }
      }),
    );
  });

  it('reads back names, times, windows and usage', () => {
    const m: PodMetricsObject = {
      metadata: {
        name: 'web-1',
        namespace: 'shop',
        creationTimestamp: '2026-11-03T02:00:07Z',
        labels: { owner: 'ana' },
      },
      timestamp: '2026-11-03T02:00:00Z',
      window: '15s',
      containers: [
        { name: 'app', usage: { cpu: '39738215n', memory: '90Mi' } },
        { name: 'side', usage: { cpu: '250m', memory: '14520Ki' } },
      ],
    };
    expect(decodePodMetricsList(podMetricsListBytes(API, [m])).items).toEqual([
      {
        namespace: 'shop',
        name: 'web-1',
        time: Date.parse('2026-11-03T02:00:00Z'),
        windowMs: 15_000,
        containers: [
          { name: 'app', cpu: '39738215n', memory: '90Mi' },
          { name: 'side', cpu: '250m', memory: '14520Ki' },
        ],
      },
    ]);
  });
});
