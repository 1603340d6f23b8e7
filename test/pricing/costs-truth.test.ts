/**
 * Costs against the simulator's exact truth: 12 h of `demo` and `churn` sampled every 60 s, priced
 * under three sheets that follow each other (basis `usage`, `request`, then `max`, 4 h each).
 * For each window and labelled owner, the costs this test prices itself from /sim/truth and the
 * sheet agree with the ledger's within the metering accuracy (issue 4's tolerances, plus a few
 * micro-units of per-row rounding). Spot prices equal on-demand here so that the truth needs no
 * node placement; spot pricing is tested on its own. Then, on the real collected data: every
 * interval conserves the cluster's cost exactly, idle is never negative, and each owner's balance
 * is minus the sum of their costs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TruthGroup } from '../../src/simulator/world.js';
import type { Basis } from '../../src/pricing/price-sheet.js';
import { startRig, type Rig } from '../support/collection.js';

const HOUR = 3_600_000;
const WINDOW = 4 * HOUR;
const SPAN = 3 * WINDOW;
const GiB = 2 ** 30;

const prices = {
  cpuCoreHour: 0.031611,
  memoryGiBHour: 0.004237,
  gpuHour: 0.95,
  storageGiBMonth: 0.04,
  networkEgressGiB: 0.01,
};
const sheet = (basis: Basis, effectiveFrom: number) => ({
  basis,
  effectiveFrom: new Date(effectiveFrom).toISOString(),
  ...prices,
  spotCpuCoreHour: prices.cpuCoreHour,
  spotMemoryGiBHour: prices.memoryGiBHour,
  spotGpuHour: prices.gpuHour,
});

/** What the truth costs under a basis; `max` has no truth of its own: bounds [lower, upper]. */
function truthCost(g: TruthGroup, basis: Basis) {
  const cpu = (s: number) => (s / 3600) * prices.cpuCoreHour;
  const mem = (bs: number) => (bs / GiB / 3600) * prices.memoryGiBHour;
  const used = { cpu: cpu(g.cpuCoreSeconds), memory: mem(g.memoryByteSeconds) };
  const req = { cpu: cpu(g.cpuRequestCoreSeconds), memory: mem(g.memoryRequestByteSeconds) };
  const pick = basis === 'usage' ? used : req;
  return {
    cpuCost: basis === 'max' ? [Math.max(used.cpu, req.cpu), used.cpu + req.cpu] : [pick.cpu, pick.cpu],
    memoryCost:
      basis === 'max'
        ? [Math.max(used.memory, req.memory), used.memory + req.memory]
        : [pick.memory, pick.memory],
    gpuCost: [(g.gpuSeconds / 3600) * prices.gpuHour, (g.gpuSeconds / 3600) * prices.gpuHour],
    storageCost: Array(2).fill(
      (g.storageByteSeconds / GiB / 3600 / 730) * prices.storageGiBMonth,
    ) as number[],
    networkCost: Array(2).fill((g.networkTxBytes / GiB) * prices.networkEgressGiB) as number[],
  };
}

// Issue 4's metering accuracy, per cost (relative), and 0.0005 of absolute slack for per-row
// rounding (half a micro-unit per row and interval).
const tolerances = (cpuUsage: number) => ({
  usage: { cpuCost: cpuUsage, memoryCost: 0.01 },
  request: { cpuCost: 0.001, memoryCost: 0.001 },
  max: { cpuCost: 0.01, memoryCost: 0.01 },
  other: { gpuCost: 0.001, storageCost: 0.001, networkCost: 0.005 },
});

const cases = [
  { scenario: 'demo', engine: 'pglite' as const, TOLERANCE: tolerances(0.005) },
  { scenario: 'churn', engine: 'postgres' as const, TOLERANCE: tolerances(0.02) },
];

describe.each(cases)(
  'costs of 12 h of $scenario ($engine) against the truth, under each basis',
  ({ scenario, engine, TOLERANCE }) => {
    let rig: Rig;
    beforeAll(async () => {
      rig = await startRig({ scenario, engine });
      const id = rig.cluster.id;
      await rig.ctx.store.setClusterPriceSheet(id, sheet('usage', rig.t0));
      await rig.ctx.store.setClusterPriceSheet(id, sheet('request', rig.t0 + WINDOW));
      await rig.ctx.store.setClusterPriceSheet(id, sheet('max', rig.t0 + 2 * WINDOW));
      await rig.collectUntil(rig.t0 + SPAN + 2 * 60_000, 60_000);
    }, 600_000);
    afterAll(async () => rig?.close());

    it.each([
      ['usage', 0],
      ['request', 1],
      ['max', 2],
    ] as const)(
      'basis %s: every labelled owner’s costs match the truth priced by hand',
      async (basis, window) => {
        const from = rig.t0 + window * WINDOW;
        const to = from + WINDOW;
        const rows = await rig.ctx.store.queryCosts({ from, to, groupBy: ['owner'], step: 'total' });
        const truth = rig.sim.world.truth(from, to, 'label:owner').groups.filter((g) => g.key !== '');
        expect(truth.length).toBeGreaterThan(3);
        for (const g of truth) {
          const row = rows.find((r) => r.group.owner === g.key);
          expect(row, `owner ${g.key}`).toBeDefined();
          const want = truthCost(g, basis);
          const tolerances = { ...TOLERANCE[basis], ...TOLERANCE.other };
          for (const [field, tol] of Object.entries(tolerances) as [keyof typeof want, number][]) {
            const got = Number(row!.cost[field]) / 1e6;
            const [lo, hi] = want[field] as [number, number];
            const msg = `${basis} ${g.key} ${field}: ledger ${got}, truth ${lo}…${hi}`;
            expect(got, msg).toBeGreaterThanOrEqual(lo * (1 - tol) - 0.0005);
            expect(got, msg).toBeLessThanOrEqual(hi * (1 + tol) + 0.0005);
          }
        }
      },
    );

    it('conserves every interval exactly, never a negative idle, and debits each owner their costs', async () => {
      const db = rig.ctx.db;
      const broken = await db.query(
        `SELECT i.interval_start FROM interval_costs i
       WHERE i.total_cost_micros <> i.management_cost_micros + COALESCE((SELECT SUM(u.total_cost_micros)
         FROM usage_interval u WHERE u.cluster_id = i.cluster_id AND u.interval_start = i.interval_start), 0)
          OR i.idle_cost_micros < 0 OR NOT i.capacity_known`,
      );
      expect(broken).toEqual([]);
      const intervals = await db.query<{ n: unknown; idle: unknown }>(
        `SELECT COUNT(*) AS n, SUM(idle_cost_micros)::text AS idle FROM interval_costs`,
      );
      expect(Number(intervals[0]!.n)).toBe(SPAN / (15 * 60_000));
      expect(BigInt(String(intervals[0]!.idle))).toBeGreaterThan(0n);
      const owners = await db.query<{ owner: string; cost: unknown; balance: unknown }>(
        `SELECT u.owner, SUM(u.total_cost_micros)::text AS cost,
         (SELECT SUM(e.amount_micros) FROM credit_entries e WHERE e.owner = u.owner)::text AS balance
       FROM usage_interval u WHERE u.owner NOT IN ('__idle__', '__unowned__') GROUP BY u.owner ORDER BY 1`,
      );
      expect(owners.length).toBeGreaterThan(3);
      for (const o of owners) expect(BigInt(String(o.balance)), o.owner).toBe(-BigInt(String(o.cost)));
    });
  },
);
