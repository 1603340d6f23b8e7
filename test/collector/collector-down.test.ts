/**
 * The collector down for hours, then back: the intervals it missed are written as gaps when it
 * returns, yet what stays exactly known across the gap is kept — requests and pod time from the
 * containers' unchanged start times, CPU and network from counters read on both sides — while
 * what was not observed (memory in use) is not filled in.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { relError, startRig, truthAmounts, type Rig } from '../support/collection.js';

const MIN = 60_000;
const SCENARIO = `
name: collector-down
seed: 7
start: 2026-03-01T10:00:00Z
nodes: [{ name: n-0, capacity: { cpu: '8', memory: 32Gi } }]
pods:
  - name: steady
    namespace: team-a
    labels: { owner: alice }
    containers:
      - name: main
        requests: { cpu: '1', memory: 1Gi }
        usage: { cpu: 500m, memory: 500Mi, networkTx: 10k }
  - name: busy
    namespace: team-b
    labels: { owner: bob }
    containers:
      - name: main
        requests: { cpu: 1500m, memory: 2Gi }
        usage:
          cpu: { kind: sine, base: 900m, amplitude: 600m, period: 50m }
          memory: 1Gi
          networkTx: { kind: spikes, base: 1k, height: 2M, every: 40m, duration: 3m }
`;

let dir: string;
let rig: Rig;
let from: number;
let to: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubetally-down-'));
  await writeFile(join(dir, 'down.yaml'), SCENARIO);
  rig = await startRig({ scenario: join(dir, 'down.yaml') });
  from = rig.t0;
  await rig.collectUntil(rig.t0 + 20 * MIN, MIN);
  // The collector stops at 10:20 and comes back at 13:01 (samples stay on whole minutes, so that
  // interval edges fall on samples and the counters' spikes are not spread across one).
  rig.sim.clock.set(rig.t0 + 181 * MIN);
  await rig.collectUntil(rig.t0 + 200 * MIN, MIN);
  to = rig.t0 + 195 * MIN;
}, 120_000);
afterAll(async () => {
  await rig?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('a collector that was down for 2 h 40 min', () => {
  it('writes the intervals it missed as gaps', async () => {
    const runs = await rig.ctx.store.recentRuns(rig.cluster.id, 100);
    const missed = runs.filter(
      (r) => r.intervalStart >= from + 30 * MIN && r.intervalEnd <= from + 180 * MIN,
    );
    expect(missed).toHaveLength(10);
    expect(missed.every((r) => r.status === 'gap' && r.coverage === 0)).toBe(true);
    expect(runs.filter((r) => r.intervalStart >= from && r.intervalStart < to)).toHaveLength(13);
  });

  it('keeps requests, pod time, CPU and network across it, and does not fill in memory', async () => {
    const rows = await rig.ctx.store.queryUsage({ from, to, groupBy: ['owner'], step: 'total' });
    const truth = rig.sim.world.truth(from, to, 'label:owner');
    for (const owner of ['alice', 'bob']) {
      const got = rows.find((r) => r.group.owner === owner)!.usage;
      const want = truthAmounts(truth.groups.find((g) => g.key === owner));
      for (const f of ['cpuRequestCoreNanos', 'memoryRequestByteSeconds', 'podMillis'] as const)
        expect(relError(got[f], want[f]!), `${owner} ${f}: ${got[f]} vs ${want[f]}`).toBeLessThanOrEqual(
          0.001,
        );
      for (const f of ['cpuCoreNanos', 'networkTxBytes'] as const)
        expect(relError(got[f], want[f]!), `${owner} ${f}: ${got[f]} vs ${want[f]}`).toBeLessThanOrEqual(
          0.005,
        );
      // Memory in use was not observed for 2 h 40 min of 3 h 15 min: not guessed.
      expect(Number(got.memoryByteSeconds)).toBeLessThan(Number(want.memoryByteSeconds) * 0.3);
    }
  });
});
