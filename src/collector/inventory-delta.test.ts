import { describe, expect, it } from 'vitest';
import { amounts, container, pod, T0, MIN } from '../metering/test-support.js';
import { toJson } from '../ledger/columns.js';
import type { InventorySnapshot, PodObservation } from '../metering/observations.js';
import {
  DELTA_KIND,
  FULL_KIND,
  InventoryEncoder,
  decodeInventories,
  reviveInventoryRecord,
} from './inventory-delta.js';

const snap = (time: number, pods: PodObservation[]): InventorySnapshot => ({
  time,
  pods,
  claims: [],
  loadBalancers: [],
  nodes: [],
});

describe('inventory deltas', () => {
  const a = pod('a');
  const b = pod('b');
  const b2 = pod('b', { phase: 'Succeeded' });
  const c = pod('c');
  const snaps = [snap(T0, [a, b]), snap(T0 + MIN, [a, b2]), snap(T0 + 2 * MIN, [b2, c])];

  it('stores only what changed and rebuilds every snapshot', () => {
    const enc = new InventoryEncoder();
    const records = snaps.map((s) => ({ time: s.time, ...enc.encode(s, 0) }));
    expect(records.map((r) => r.kind)).toEqual([FULL_KIND, DELTA_KIND, DELTA_KIND]);
    expect(records[1]?.record.pods.map((p) => p.uid)).toEqual(['b']);
    expect(records[2]?.record.gone).toEqual(['a']);
    expect(decodeInventories(records)).toEqual(snaps);
  });

  it('stores a full inventory when the bucket changes or after a reset', () => {
    const enc = new InventoryEncoder();
    expect(enc.encode(snaps[0]!, 0).kind).toBe(FULL_KIND);
    expect(enc.encode(snaps[1]!, 1).kind).toBe(FULL_KIND);
    enc.reset();
    expect(enc.encode(snaps[2]!, 1).kind).toBe(FULL_KIND);
  });

  it('skips deltas whose base is not the record before them (another writer came between)', () => {
    const enc = new InventoryEncoder();
    const r0 = { time: T0, ...enc.encode(snaps[0]!, 0) };
    const r1 = { time: T0 + MIN, ...enc.encode(snaps[1]!, 0) };
    const other = { time: T0 + MIN / 2, ...new InventoryEncoder().encode(snap(T0 + MIN / 2, [c]), 0) };
    const decoded = decodeInventories([r0, other, r1]);
    expect(decoded.map((s) => s.time)).toEqual([T0, T0 + MIN / 2]);
    expect(decodeInventories([r1])).toEqual([]);
  });
});

describe('a stored inventory record', () => {
  it('reads back equal, every amount a bigint again and labels left as text', () => {
    const rich: InventorySnapshot = {
      time: T0,
      pods: [
        pod('a', {
          labels: { gpus: '2', capacityBytes: '10' },
          overhead: amounts(250, 64),
          containers: [
            container('main', { requests: amounts(500, 256, 1), limits: amounts(2000, 2 ** 40, 1) }),
          ],
        }),
      ],
      claims: [{ namespace: 'ns', name: 'data', capacityBytes: 2n ** 60n + 1n, createdAt: T0, labels: {} }],
      loadBalancers: [{ namespace: 'ns', name: 'web', createdAt: T0 }],
      nodes: [
        {
          namespace: '',
          name: 'n1',
          instanceType: 'm5.large',
          capacityType: 'spot',
          allocatable: amounts(2000, 8192, 4),
          createdAt: T0,
        },
      ],
    };
    const { record } = new InventoryEncoder().encode(rich, 0);
    const back = reviveInventoryRecord(JSON.parse(toJson(record)));
    expect(back).toEqual(record);
    expect(back.pods[0]?.labels).toEqual({ gpus: '2', capacityBytes: '10' });
  });
});
