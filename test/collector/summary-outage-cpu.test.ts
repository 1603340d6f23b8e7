/**
 * The kubelet Summary API down for 40 minutes while metrics.k8s.io answers: CPU used comes from
 * the counters where they reach and from metrics.k8s.io's rates in between, so the intervals
 * closed during the outage are not written with no CPU at all, and the interval after it (whose
 * counters span the outage again) does not count the rates' stretch a second time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GapRecord } from '../../src/ledger/types.js';
import { startRig, truthAmounts, type Rig } from '../support/collection.js';

const MIN = 60_000;
const SCENARIO = `
name: summary-outage
seed: 5
start: 2026-05-04T00:00:00Z
nodes: [{ name: n1, capacity: { cpu: '8', memory: 32Gi } }]
pods:
  - name: app
    namespace: team-a
    labels: { owner: alice }
    containers: [{ name: c, requests: { cpu: 500m, memory: 1Gi }, usage: { cpu: 250m, memory: 512Mi } }]
`;

let rig: Rig;
let gaps: GapRecord[];
const cpuOf = async (from: number, to: number) => {
  const rows = await rig.ctx.store.queryUsage({ from, to, groupBy: ['namespace'], step: 'total' });
  return rows.find((r) => r.group.namespace === 'team-a')?.usage.cpuCoreNanos;
};
const truthOf = (from: number, to: number) =>
  truthAmounts(rig.sim.world.truth(from, to, 'namespace').groups.find((g) => g.key === 'team-a'))
    .cpuCoreNanos;

beforeAll(async () => {
  rig = await startRig({ scenarioYaml: SCENARIO });
  const at = (m: number) => rig.t0 + m * MIN;
  await rig.collectUntil(at(9), MIN);
  rig.sim.clock.advance(MIN);
  rig.sim.faults.set({ summaryApi: 'unavailable' });
  await rig.collectUntil(at(49), MIN);
  rig.sim.clock.advance(MIN);
  rig.sim.faults.clear();
  await rig.collectUntil(at(63), MIN);
  gaps = await rig.ctx.store.listGaps({ from: rig.t0, to: at(60) });
}, 120_000);
afterAll(() => rig?.close());

describe('the Summary API down from minute 10 to 50, metrics.k8s.io up', () => {
  it('records the Summary API outage as gaps', () => {
    expect(gaps.map((g) => [(g.start - rig.t0) / MIN, (g.end - rig.t0) / MIN])).toEqual([
      [9, 15],
      [15, 30],
      [30, 45],
      [45, 50],
    ]);
    for (const g of gaps) expect(g.reason).toMatch(/^kubelet Summary API: .*\(503\)/);
  });

  it.each([0, 15, 30, 45])('has the CPU used of the interval from %i min exactly', async (m) => {
    const [from, to] = [rig.t0 + m * MIN, rig.t0 + (m + 15) * MIN];
    expect(await cpuOf(from, to)).toBe(truthOf(from, to));
  });

  it('counts the hour once', async () => {
    expect(await cpuOf(rig.t0, rig.t0 + 60 * MIN)).toBe(truthOf(rig.t0, rig.t0 + 60 * MIN));
    expect(truthOf(rig.t0 + 15 * MIN, rig.t0 + 30 * MIN)).toBe(225_000_000_000n);
  });
});
