/**
 * Savings on `demo` (issue 5): after 26 simulated hours collected every 60 s, the report finds the
 * over-requested workload (forecast-api: 4 cores and 8 GiB requested, ~120m and 700 MiB used) and
 * the idle notebook (jupyter-bob: 2m of 2 cores), with savings this test computes from
 * /sim/truth and the SPEC §7 prices by the documented rules (p90 of interval averages rounded up
 * to two significant digits, + 15 %; memory p90 of daily peaks + 15 %; 730-hour month).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savingsView } from '../../src/app/savings-view.js';
import { startRig, type Rig } from '../support/collection.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const CPU = 0.031611;
const MEMORY = 0.004237;

/** Millicores rounded up to two significant digits. */
function bucket(m: number): number {
  if (m < 100) return m;
  const p = 10 ** (Math.floor(Math.log10(m)) - 1);
  return Math.ceil(m / p) * p;
}

describe('savings on 26 h of demo', () => {
  let rig: Rig;
  let recs: Record<string, unknown>[];
  beforeAll(async () => {
    rig = await startRig({ scenario: 'demo' });
    await rig.collectUntil(rig.t0 + DAY + 2 * HOUR + 2 * MIN, MIN);
    recs = (await savingsView(rig.ctx.store, {})).clusters[0]!.recommendations;
  }, 600_000);
  afterAll(async () => rig?.close());

  const find = (kind: string, name: string) => recs.find((r) => r.kind === kind && r.workloadName === name);

  it('right-sizes the over-requested forecast-api with the saving computed from the truth', () => {
    // The first whole UTC day: per 15-minute interval, the pod's average CPU from the truth.
    const weights = new Map<number, number>();
    let podSeconds = 0;
    for (let s = rig.t0; s < rig.t0 + DAY; s += 15 * MIN) {
      const g = rig.sim.world
        .truth(s, s + 15 * MIN, 'label:app')
        .groups.find((x) => x.key === 'forecast-api')!;
      const m = bucket(Math.ceil((g.cpuCoreSeconds / g.podSeconds) * 1000));
      weights.set(m, (weights.get(m) ?? 0) + g.podSeconds);
      podSeconds += g.podSeconds;
    }
    let seen = 0;
    const p90 = [...weights.keys()]
      .sort((a, b) => a - b)
      .find((k) => (seen += weights.get(k)!) >= 0.9 * podSeconds)!;
    const cpuRec = Math.ceil(p90 * 1.15);
    const memoryRec = Math.ceil(700 * 1.15); // MiB; constant 700Mi, so every daily peak is 700
    const pods = podSeconds / 86_400;
    const saving =
      ((4000 - cpuRec) / 1000) * pods * 730 * CPU + ((8192 - memoryRec) / 1024) * pods * 730 * MEMORY;
    const r = find('right-size', 'forecast-api');
    expect(r).toMatchObject({
      namespace: 'forecast-frank',
      workloadKind: 'Deployment',
      cpuRequestMillicores: 4000,
    });
    expect(Math.abs((r!.cpuRecommendedMillicores as number) - cpuRec)).toBeLessThanOrEqual(15);
    expect(r!.memoryRecommendedMiB).toBe(memoryRec);
    expect(r!.monthlySaving as number).toBeGreaterThan(100);
    expect(Math.abs((r!.monthlySaving as number) / saving - 1)).toBeLessThan(0.01);
  });

  it('finds the idle notebook, saving its compute cost per month', () => {
    const r = find('idle-notebook', 'jupyter-bob');
    expect(r).toMatchObject({ namespace: 'fraud-bob', owner: 'bob' });
    // Basis max on 2m used of 2 cores and 310Mi of 4 GiB: the requests, 2 × 0.031611 + 4 × 0.004237
    // per hour, 730 hours a month.
    expect(r!.monthlySaving as number).toBeCloseTo((2 * CPU + 4 * MEMORY) * 730, 2);
    // Stopping it supersedes right-sizing it; the busy notebooks are not idle.
    expect(find('right-size', 'jupyter-bob')).toBeUndefined();
    expect(recs.filter((x) => x.kind === 'idle-notebook').map((x) => x.workloadName)).toEqual([
      'jupyter-bob',
    ]);
  });
});
