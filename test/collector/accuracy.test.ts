/**
 * Accuracy against the simulator's exact truth (issue 4): 24 simulated hours of `demo` and of
 * `churn`, sampled every 60 s on a manual clock, collected into the ledger; every owner's and
 * every project's usage must match /sim/truth within the stated tolerances.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageField } from '../../src/domain/usage.js';
import type { GroupKey } from '../../src/ledger/types.js';
import { ACCURACY_TARGETS, relError, startRig, truthAmounts, type Rig } from '../support/collection.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

type Tolerances = Partial<Record<UsageField, number>>;

const cases: { scenario: string; engine: 'pglite' | 'postgres'; tolerances: Tolerances }[] = [
  { scenario: 'demo', engine: 'pglite', tolerances: { ...ACCURACY_TARGETS, cpuCoreNanos: 0.005 } },
  { scenario: 'churn', engine: 'postgres', tolerances: { ...ACCURACY_TARGETS, cpuCoreNanos: 0.02 } },
];

describe.each(cases)('24 h of $scenario sampled every 60 s ($engine)', ({ scenario, engine, tolerances }) => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await startRig({ scenario, engine });
    // Sample past the end so that the day's last interval closes.
    await rig.collectUntil(rig.t0 + DAY + 2 * 60_000, 60_000);
  }, 600_000);
  afterAll(async () => rig?.close());

  it('closes every interval of the day, complete and without gaps', async () => {
    const runs = await rig.ctx.store.recentRuns(rig.cluster.id, 200);
    const ofDay = runs.filter((r) => r.intervalStart >= rig.t0 && r.intervalStart < rig.t0 + DAY);
    expect(ofDay).toHaveLength(96);
    expect(ofDay.every((r) => r.status === 'complete' && r.coverage === 1)).toBe(true);
    expect(await rig.ctx.store.listGaps({ from: rig.t0, to: rig.t0 + DAY })).toEqual([]);
  });

  it.each([
    ['owner', 'label:owner'],
    ['project', 'label:project'],
  ] as const)('matches the truth per %s', async (groupKey, truthGroup) => {
    const rows = await rig.ctx.store.queryUsage({
      from: rig.t0,
      to: rig.t0 + DAY,
      groupBy: [groupKey as GroupKey],
      step: 'total',
    });
    const truth = rig.sim.world.truth(rig.t0, rig.t0 + DAY, truthGroup);
    const labelled = truth.groups.filter((g) => g.key !== '');
    expect(labelled.length).toBeGreaterThan(1);
    for (const g of labelled) {
      const row = rows.find((r) => r.group[groupKey as GroupKey] === g.key);
      expect(row, `${groupKey} ${g.key} in the ledger`).toBeDefined();
      const want = truthAmounts(g);
      for (const [field, tolerance] of Object.entries(tolerances) as [UsageField, number][]) {
        const w = want[field] ?? 0n;
        const got = row!.usage[field];
        expect(
          relError(got, w),
          `${groupKey} ${g.key} ${field}: ledger ${got}, truth ${w}`,
        ).toBeLessThanOrEqual(tolerance);
      }
    }
  });
});
