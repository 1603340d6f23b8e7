/**
 * Containers in a crash loop: a pod that restarts more often than it is sampled, one whose
 * crashes fall seconds before interval ends, and one sampled only in its runs' first seconds
 * (which metrics.k8s.io leaves out, and the kubelet's Summary API does not). Between a crash and the restart the pod is still
 * running on its node and holds its requests, so its requests and pod time are exact whatever the
 * sampling and wherever the interval boundaries fall. A pod that fails during the wait holds them
 * until it fails.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageField } from '../../src/domain/usage.js';
import { relError, startRig, truthAmounts, type Rig } from '../support/collection.js';

const HOUR = 3_600_000;
const MIN = 60_000;
const STATE_FIELDS: UsageField[] = ['podMillis', 'cpuRequestCoreNanos', 'memoryRequestByteSeconds'];

/** A pod of one container that crashes every `every` seconds from `first` (restarted 10 s later). */
const looping = (owner: string, first: number, every: number, requests: string, usage: string) => `
  - name: ${owner}-loop
    namespace: loop
    labels: { owner: ${owner}, project: loop }
    containers:
      - name: c
        requests: ${requests}
        restarts: [${Array.from({ length: Math.floor((3600 - first) / every) + 1 }, (_, i) => `${first + i * every}s`).join(', ')}]
        usage: ${usage}
`;

const SCENARIO = `
name: crash-loop
seed: 3
start: 2026-05-04T00:00:00Z
nodes:
  - { name: 'n-{i}', count: 2, capacity: { cpu: '8', memory: 32Gi } }
pods:
${looping('alice', 47, 25, '{ cpu: 500m, memory: 256Mi }', '{ cpu: 500m, memory: 300Mi }')}
${looping('bob', 897, 900, '{ cpu: 250m, memory: 512Mi }', '{ cpu: 100m, memory: 200Mi }')}
${looping('carol', 45, 60, '{ cpu: 250m, memory: 512Mi }', '{ cpu: 100m, memory: 300Mi }')}
  - name: dan-restarted
    namespace: loop
    labels: { owner: dan, project: loop }
    pending: 0s
    end: 50m
    containers:
      - name: c
        requests: { cpu: 100m, memory: 64Mi }
        restarts: [10m, 20m]
        usage: { cpu: 100m, memory: 50Mi, networkRx: 40k }
  - name: erin-failed
    namespace: loop
    labels: { owner: erin, project: loop }
    start: 10m
    duration: 50s
    exit: failed
    containers:
      - { name: c, requests: { cpu: '1', memory: 1Gi }, restarts: [50s], usage: { cpu: 200m, memory: 100Mi } }
`;

let dir: string;
let rig: Rig;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubetally-crash-loop-'));
  await writeFile(join(dir, 'crash-loop.yaml'), SCENARIO);
  rig = await startRig({ scenario: join(dir, 'crash-loop.yaml') });
  await rig.collectUntil(rig.t0 + HOUR + 3 * MIN, MIN);
}, 300_000);
afterAll(async () => {
  await rig?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

/** The owner's first hour: as the ledger holds it, and the simulator's truth. */
async function firstHourOf(owner: string) {
  const rows = await rig.ctx.store.queryUsage({
    from: rig.t0,
    to: rig.t0 + HOUR,
    groupBy: ['owner'],
    step: 'total',
  });
  const truth = rig.sim.world.truth(rig.t0, rig.t0 + HOUR, 'label:owner');
  return {
    got: rows.find((r) => r.group.owner === owner)!.usage,
    want: truthAmounts(truth.groups.find((g) => g.key === owner)!),
  };
}

describe('a crash loop', () => {
  it('has the memory of runs too young for metrics.k8s.io, from the kubelet', async () => {
    // Every run lasts 50 s and is sampled once, 5 s after it started, which metrics-server leaves
    // out (its window is not full yet): the Summary API has them.
    const hour = await firstHourOf('carol');
    const want = hour.want.memoryByteSeconds ?? 0n;
    const got = hour.got.memoryByteSeconds;
    // All but the first run (5 s to 45 s), which no sample saw: 1.1 % of the hour.
    expect(relError(got, want), `memory ${got} against ${want}`).toBeLessThan(0.02);
  });

  it('extrapolates the network tail of a pod ended after restarts at its mean rate since its start', async () => {
    // dan's pod ends at 50 min, a minute after its last sample. Its network counters hold all its
    // runs' traffic since the pod started, so the tail's rate is that over the time since then,
    // not since the oldest run the last interval's inventories show (10 min on: a third too high).
    const from = rig.t0 + 45 * MIN;
    const rows = await rig.ctx.store.queryUsage({
      from,
      to: from + 15 * MIN,
      groupBy: ['owner'],
      step: 'total',
    });
    const got = rows.find((r) => r.group.owner === 'dan')!.usage.networkRxBytes;
    const want = truthAmounts(
      rig.sim.world.truth(from, from + 15 * MIN, 'label:owner').groups.find((g) => g.key === 'dan'),
    ).networkRxBytes!;
    expect(want).toBe(5n * 60n * 40_000n);
    // 4 min of deltas exact, the last minute at 40 kB/s × (2940 − 20 s down) / 2940 s.
    expect(got).toBe(4n * 60n * 40_000n + (60n * 40_000n * 2920n) / 2940n);
  });

  it('bills a pod that failed while waiting to restart up to halfway into the back-off', async () => {
    // Running from 10 min 5 s, it crashes at 10 min 50 s and fails 5 s into its 10 s back-off;
    // the inventory at 11 min lists it Failed, its container still waiting: no state says when
    // it failed, only that it did before the back-off ran out (else it had restarted).
    const { got, want } = await firstHourOf('erin');
    expect(want.podMillis).toBe(50_000n);
    for (const field of STATE_FIELDS) expect(got[field], field).toBe(want[field]);
  });

  it.each(['alice', 'bob', 'carol'])(
    'bills %s its requests and pod time exactly, restarts included',
    async (owner) => {
      const { got, want } = await firstHourOf(owner);
      // The pods run all hour but their first seconds (pulling, starting): crashes do not stop them.
      expect(want.podMillis).toBeGreaterThan(BigInt(HOUR - 10_000));
      for (const field of STATE_FIELDS) {
        expect(
          relError(got[field], want[field] ?? 0n),
          `${owner} ${field}: ${got[field]} against ${want[field]}`,
        ).toBe(0);
      }
    },
  );
});
