import { describe, expect, it } from 'vitest';
import type { NodeIntervalRow } from '../metering/nodes.js';
import { parsePriceSheet, defaultPriceSheet } from './price-sheet.js';
import { breakdownOf, priceInterval, type PricingRow } from './price-interval.js';

const GiB = 1n << 30n;
const CORE_HOUR = 3_600_000_000_000n;
const GIB_HOUR = GiB * 3600n;
const HOUR = 3_600_000;
const T = Date.UTC(2026, 2, 1);

// One m5.large for one hour: 2 cores and 8 GiB. At the default resource prices it is worth
// 2 × 0.031611 + 8 × 0.004237 = 0.097118.
const m5: NodeIntervalRow = {
  node: 'n1',
  instanceType: 'm5.large',
  capacityType: 'on-demand',
  millis: BigInt(HOUR),
  cpuAllocatableCoreNanos: 2n * CORE_HOUR,
  memoryAllocatableByteSeconds: 8n * GIB_HOUR,
  gpuAllocatableMillis: 0n,
};
const rows: PricingRow[] = [
  { owner: 'alice', node: 'n1', usage: { cpuMaxCoreNanos: CORE_HOUR, memoryMaxByteSeconds: 2n * GIB_HOUR } },
  { owner: '__unowned__', usage: { loadBalancerMillis: BigInt(HOUR) } },
];
const hour = { intervalStart: T, intervalEnd: T + HOUR };

describe('priceInterval', () => {
  it('without node prices: capacity × resource prices, idle = capacity − allocated', () => {
    const r = priceInterval({ ...hour, podRows: rows, nodes: [m5] }, defaultPriceSheet());
    expect(r.nodeCost).toBe(97_118n);
    expect(r.unpricedInstanceTypes).toEqual(['m5.large']);
    expect(r.rowCosts[0]).toMatchObject({ cpuCost: 31_611n, memoryCost: 8_474n, totalCost: 40_085n });
    expect(r.rowCosts[1]).toMatchObject({ loadBalancerCost: 25_000n, totalCost: 25_000n });
    expect(r.idle).toEqual([
      {
        capacityType: 'on-demand',
        cost: expect.objectContaining({ cpuCost: 31_611n, memoryCost: 25_422n, totalCost: 57_033n }),
      },
    ]);
    expect(r.managementCost).toBe(100_000n);
    expect(r.totalCost).toBe(97_118n + 25_000n + 100_000n);
    expect(breakdownOf(r)).toEqual({
      cpuCost: 31_611n,
      memoryCost: 8_474n,
      gpuCost: 0n,
      storageCost: 0n,
      networkCost: 0n,
      loadBalancerCost: 25_000n,
      idleCost: 57_033n,
      managementCost: 100_000n,
      totalCost: 222_118n,
    });
  });

  it('with node prices: the node cost is split by resource weights, pods pay the node price', () => {
    const sheet = parsePriceSheet({ nodes: { 'm5.large': { hour: '0.096' } } });
    const r = priceInterval({ ...hour, podRows: rows, nodes: [m5] }, sheet);
    // factor = 0.096 / 0.097118. CPU capacity 62494.20…, memory 33505.79…: the spare micro-unit
    // goes to memory by largest remainder, 62494 + 33506 = 96000.
    expect(r.nodes[0]).toMatchObject({
      priceSource: 'instance-type',
      nodeCost: 96_000n,
      capacityCost: { cpu: 62_494n, memory: 33_506n, gpu: 0n },
    });
    // alice: 31611 × f = 31247.10… → 31247; 8474 × f = 8376.45… → 8376.
    expect(r.rowCosts[0]).toMatchObject({ cpuCost: 31_247n, memoryCost: 8_376n });
    expect(r.idle[0]?.cost).toMatchObject({ cpuCost: 31_247n, memoryCost: 25_130n, totalCost: 56_377n });
    expect(r.totalCost).toBe(96_000n + 25_000n + 100_000n);
    expect(r.unpricedInstanceTypes).toEqual([]);
  });

  it('prices CPU and memory on the basis: usage, request or max', () => {
    const row: PricingRow = {
      owner: 'bob',
      node: 'n1',
      usage: {
        cpuCoreNanos: CORE_HOUR / 2n,
        cpuRequestCoreNanos: CORE_HOUR,
        cpuMaxCoreNanos: (CORE_HOUR * 6n) / 5n,
        memoryByteSeconds: GIB_HOUR,
        memoryRequestByteSeconds: 4n * GIB_HOUR,
        memoryMaxByteSeconds: 5n * GIB_HOUR,
        gpuMillis: BigInt(HOUR),
      },
    };
    const cost = (basis: 'usage' | 'request' | 'max') =>
      priceInterval({ ...hour, podRows: [row], nodes: [m5] }, defaultPriceSheet(), basis).rowCosts[0];
    // 0.5 × 31611 = 15805.5 → 15806 (half up); 1.2 × 31611 = 37933.2 → 37933.
    expect(cost('usage')).toMatchObject({ cpuCost: 15_806n, memoryCost: 4_237n, gpuCost: 950_000n });
    expect(cost('request')).toMatchObject({ cpuCost: 31_611n, memoryCost: 16_948n, gpuCost: 950_000n });
    expect(cost('max')).toMatchObject({ cpuCost: 37_933n, memoryCost: 21_185n, gpuCost: 950_000n });
    // Under max a row never pays less than its request (pod overhead, init containers).
    const overhead = { ...row, usage: { ...row.usage, cpuMaxCoreNanos: CORE_HOUR / 2n } };
    const max = priceInterval({ ...hour, podRows: [overhead], nodes: [m5] }, defaultPriceSheet(), 'max');
    expect(max.rowCosts[0]?.cpuCost).toBe(31_611n);
    // The sheet's basis is the default.
    const sheet = parsePriceSheet({ basis: 'request' });
    expect(priceInterval({ ...hour, podRows: [row] }, sheet).rowCosts[0]?.cpuCost).toBe(31_611n);
  });

  it('reports over-allocation separately instead of netting it against idle', () => {
    const heavy: PricingRow[] = [{ owner: 'bob', node: 'n1', usage: { cpuMaxCoreNanos: 3n * CORE_HOUR } }];
    const r = priceInterval({ ...hour, podRows: heavy, nodes: [m5] }, defaultPriceSheet());
    expect(r.overAllocation).toMatchObject({ cpuCost: 94_833n - 63_222n, memoryCost: 0n });
    expect(r.idle[0]?.cost).toMatchObject({ cpuCost: 0n, memoryCost: 33_896n });
    expect(r.totalCost).toBe(94_833n + 33_896n + 100_000n);
    expect(r.totalCost - r.overAllocation.totalCost).toBe(r.nodeCost + r.managementCost);
  });

  it('prices spot nodes with spot prices: spotHour, else spot resource prices', () => {
    const sheet = parsePriceSheet({
      nodes: { 'm5.large': { hour: '0.096', spotHour: '0.03' }, 'c5.large': { hour: 0.085 } },
    });
    const s1 = { ...m5, node: 's1', capacityType: 'spot' as const };
    const s2 = { ...m5, node: 's2', instanceType: 'c5.large', capacityType: 'spot' as const };
    const podRows: PricingRow[] = [
      { owner: 'carol', node: 's2', capacityType: 'spot', usage: { cpuMaxCoreNanos: CORE_HOUR } },
    ];
    const r = priceInterval({ ...hour, podRows, nodes: [s1, s2] }, sheet);
    // s1: 0.03; s2: 2 × 0.006655 + 8 × 0.000892 = 0.020446 (no spotHour for c5.large).
    expect(r.nodeCost).toBe(50_446n);
    expect(r.unpricedInstanceTypes).toEqual(['c5.large']);
    expect(r.rowCosts[0]?.cpuCost).toBe(6_655n);
    expect(r.idle.map((i) => [i.capacityType, i.cost.totalCost])).toEqual([['spot', 50_446n - 6_655n]]);
    // A row on no known node falls back to its own capacity type's prices.
    const lone = priceInterval({ ...hour, podRows }, sheet);
    expect(lone.rowCosts[0]?.cpuCost).toBe(6_655n);
    expect(lone.unmatchedComputeCost).toBe(6_655n);
  });

  it('prices storage by class, per GiB-month of 730 hours, and egress per GiB', () => {
    const sheet = parsePriceSheet({ storageClasses: { fast: '0.73' } });
    const row: PricingRow = {
      owner: 'dan',
      usage: { storageByteSeconds: 20n * GIB_HOUR, networkTxBytes: 3n * GiB, networkRxBytes: 100n * GiB },
      storageByClass: { fast: 10n * GIB_HOUR, standard: 10n * GIB_HOUR },
    };
    const c = priceInterval({ ...hour, podRows: [row] }, sheet).rowCosts[0];
    // fast: 10 GiB-h × 0.73 / 730 = 0.01; standard (default 0.04): 10 × 0.04 / 730 = 0.000547945…
    expect(c).toMatchObject({ storageCost: 10_548n, networkCost: 30_000n });
  });

  it('rows of a gap or without nodes: capacity unknown, no idle, resource prices', () => {
    const r = priceInterval({ ...hour, podRows: rows, nodes: [] }, defaultPriceSheet());
    expect(r.capacityKnown).toBe(false);
    expect(r.idle).toEqual([]);
    expect(r.totalCost).toBe(40_085n + 25_000n + 100_000n);
    const gap = priceInterval({ ...hour, status: 'gap', podRows: [], nodes: [m5] }, defaultPriceSheet());
    expect(gap).toMatchObject({ capacityKnown: false, nodeCost: 0n, totalCost: 100_000n, idle: [] });
  });

  it('counts a node replaced by one of the same name as one node', () => {
    const half = {
      ...m5,
      millis: BigInt(HOUR / 2),
      cpuAllocatableCoreNanos: CORE_HOUR,
      memoryAllocatableByteSeconds: 4n * GIB_HOUR,
    };
    const r = priceInterval({ ...hour, podRows: rows, nodes: [half, half] }, defaultPriceSheet());
    expect(r.nodes).toHaveLength(1);
    expect(r.nodeCost).toBe(97_118n);
  });

  it('counts the nodes of a partial interval for its covered share only under the usage basis', () => {
    const r = priceInterval(
      { ...hour, status: 'partial', coverage: 0.5, podRows: [], nodes: [m5] },
      { ...defaultPriceSheet(), basis: 'usage' },
    );
    // Half of 0.097118: 48559.
    expect(r.nodeCost).toBe(48_559n);
    expect(r.idle[0]?.cost.totalCost).toBe(48_559n);
  });

  it('counts the nodes of a partial interval whole under the request and max bases (requests are exact across a gap)', () => {
    for (const basis of ['request', 'max'] as const) {
      const r = priceInterval(
        { ...hour, status: 'partial', coverage: 0.5, podRows: [], nodes: [m5] },
        { ...defaultPriceSheet(), basis },
      );
      expect(r.nodeCost, basis).toBe(97_118n);
      expect(r.overAllocation.totalCost, basis).toBe(0n);
    }
  });

  it('charges the management fee per interval: 15 minutes at 0.10 per hour', () => {
    const r = priceInterval(
      { intervalStart: T, intervalEnd: T + HOUR / 4, podRows: [] },
      defaultPriceSheet(),
    );
    expect(r.managementCost).toBe(25_000n);
  });

  it('charges the fee of a first interval from the first sample only', () => {
    const at = (managedFrom: number) =>
      priceInterval(
        { intervalStart: T, intervalEnd: T + HOUR / 4, podRows: [], managedFrom },
        defaultPriceSheet(),
      ).managementCost;
    expect(at(T + HOUR / 10)).toBe(15_000n); // 9 of 15 minutes
    expect(at(T - HOUR)).toBe(25_000n);
    expect(at(T + HOUR)).toBe(0n);
  });
});
