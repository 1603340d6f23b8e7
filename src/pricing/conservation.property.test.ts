/**
 * Conservation, for any rows, nodes, prices and basis: the cluster's rows (owners, `__unowned__`,
 * `__idle__`) plus the management fee add up EXACTLY to its cost, and that cost is what the nodes
 * cost plus what was allocated beyond them plus what is not node capacity. Idle is never negative.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { NodeIntervalRow } from '../metering/nodes.js';
import { PICOS_PER_UNIT } from './decimal.js';
import { COMPUTE_RESOURCES } from './costs.js';
import { defaultPriceSheet, type Basis, type PriceSheet } from './price-sheet.js';
import { breakdownOf, priceInterval, type PricingRow } from './price-interval.js';

const GiB = 1n << 30n;
const CORE_HOUR = 3_600_000_000_000n;
const GIB_HOUR = GiB * 3600n;
const HOUR = 3_600_000n;

const price = (max: number) => fc.bigInt({ min: 0n, max: BigInt(max) * PICOS_PER_UNIT });
const amount = (max: bigint) => fc.bigInt({ min: 0n, max });

function arbSheet(withNodePrices: boolean): fc.Arbitrary<PriceSheet> {
  return fc
    .record({
      cpu: price(2),
      memory: price(1),
      gpu: price(5),
      scpu: price(1),
      smem: price(1),
      sgpu: price(2),
      node: price(10),
      snode: fc.option(price(5)),
      mgmt: price(1),
    })
    .map((p): PriceSheet => ({
      ...defaultPriceSheet(),
      onDemand: { cpu: p.cpu, memory: p.memory, gpu: p.gpu },
      spot: { cpu: p.scpu, memory: p.smem, gpu: p.sgpu },
      managementHour: p.mgmt,
      nodes: !withNodePrices
        ? {}
        : { big: p.snode === null ? { hour: p.node } : { hour: p.node, spotHour: p.snode } },
    }));
}

const NODE_NAMES = ['a', 'b', 'c', 'd'];
const arbNode: fc.Arbitrary<NodeIntervalRow> = fc
  .record({
    instanceType: fc.constantFrom('big', 'unknown', ''),
    capacityType: fc.constantFrom<'spot' | 'on-demand'>('spot', 'on-demand'),
    millis: amount(HOUR),
    cores: amount(64n),
    gib: amount(256n),
    gpus: amount(4n),
  })
  .map((n) => ({
    node: '',
    instanceType: n.instanceType,
    capacityType: n.capacityType,
    millis: n.millis,
    cpuAllocatableCoreNanos: (n.cores * CORE_HOUR * n.millis) / HOUR,
    memoryAllocatableByteSeconds: (n.gib * GIB_HOUR * n.millis) / HOUR,
    gpuAllocatableMillis: n.gpus * n.millis,
  }));
const arbNodes = fc
  .uniqueArray(fc.constantFrom(...NODE_NAMES), { maxLength: 4 })
  .chain((names) => fc.tuple(...names.map((name) => arbNode.map((n) => ({ ...n, node: name })))));

const arbRow: fc.Arbitrary<PricingRow> = fc.record({
  owner: fc.constantFrom('alice', 'bob', '__unowned__'),
  node: fc.constantFrom(...NODE_NAMES, 'elsewhere', undefined),
  capacityType: fc.constantFrom('spot', 'on-demand', undefined),
  usage: fc.record({
    cpuCoreNanos: amount(4n * CORE_HOUR),
    cpuRequestCoreNanos: amount(4n * CORE_HOUR),
    cpuMaxCoreNanos: amount(8n * CORE_HOUR),
    memoryByteSeconds: amount(16n * GIB_HOUR),
    memoryRequestByteSeconds: amount(16n * GIB_HOUR),
    memoryMaxByteSeconds: amount(32n * GIB_HOUR),
    gpuMillis: amount(2n * HOUR),
    storageByteSeconds: amount(1000n * GIB_HOUR),
    networkTxBytes: amount(100n * GiB),
    loadBalancerMillis: amount(HOUR),
  }),
});

function check(withNodePrices: boolean) {
  fc.assert(
    fc.property(
      fc.array(arbRow, { maxLength: 12 }),
      arbNodes,
      arbSheet(withNodePrices),
      fc.constantFrom<Basis>('usage', 'request', 'max'),
      fc.constantFrom('complete', 'partial', 'gap'),
      (podRows, nodes, sheet, basis, status) => {
        const coverage = status === 'partial' ? 0.37 : status === 'gap' ? 0 : 1;
        const input = { intervalStart: 0, intervalEnd: 900_000, status, coverage, podRows, nodes };
        const r = priceInterval(input, sheet, basis);
        const rows = r.rowCosts.reduce((s, c) => s + c.totalCost, 0n);
        const idle = r.idle.reduce((s, i) => s + i.cost.totalCost, 0n);
        expect(rows + idle + r.managementCost).toBe(r.totalCost);
        const b = breakdownOf(r);
        const parts =
          b.cpuCost + b.memoryCost + b.gpuCost + b.storageCost + b.networkCost + b.loadBalancerCost;
        expect(parts + b.idleCost + b.managementCost).toBe(b.totalCost);
        for (const n of r.nodes) {
          expect(COMPUTE_RESOURCES.reduce((s, k) => s + n.capacityCost[k], 0n)).toBe(n.nodeCost);
          for (const k of COMPUTE_RESOURCES) {
            expect(n.idleCost[k]).toBeGreaterThanOrEqual(0n);
            expect(n.overAllocationCost[k]).toBeGreaterThanOrEqual(0n);
            expect(n.idleCost[k] === 0n || n.overAllocationCost[k] === 0n).toBe(true);
            expect(n.allocatedCost[k] + n.idleCost[k]).toBe(n.capacityCost[k] + n.overAllocationCost[k]);
          }
        }
        const nonCompute = r.rowCosts.reduce(
          (s, c) => s + c.storageCost + c.networkCost + c.loadBalancerCost,
          0n,
        );
        expect(r.totalCost).toBe(
          r.nodeCost + r.overAllocation.totalCost + r.unmatchedComputeCost + nonCompute + r.managementCost,
        );
        // Each node costs its hourly price × time when it has one, rounded once, half up.
        for (const n of r.nodes) {
          const p = n.instanceType === 'big' ? sheet.nodes.big : undefined;
          const hourly = n.capacityType === 'spot' ? p?.spotHour : p?.hour;
          const node = nodes.find((x) => x.node === n.node)!;
          if (hourly !== undefined && status === 'complete') {
            const denom = HOUR * 1_000_000n;
            expect(n.nodeCost).toBe((2n * node.millis * hourly + denom) / (2n * denom));
          }
        }
        if (status === 'gap' || nodes.length === 0) expect(r.idle).toEqual([]);
      },
    ),
    { numRuns: 400 },
  );
}

describe('conservation (property)', () => {
  it('holds exactly to the micro-unit without node prices', () => check(false));
  it('holds exactly to the micro-unit with node prices', () => check(true));
});
