/**
 * Claims and LoadBalancers that are deleted: their storage and hours end at the deletion, exactly,
 * from the watches' final states (the `deletionTimestamp` their finalizers keep), wherever the
 * deletion falls against the samples: on a sample time, between two, at an interval's end, or
 * for one created and deleted between two lists. Without the watches they end halfway between
 * the two lists around the deletion, as documented.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, truthAmounts, type Rig } from '../support/collection.js';

const HOUR = 3_600_000;
const MIN = 60_000;
const GIB = 2n ** 30n;

const SCENARIO = `
name: claim-ends
seed: 2
start: 2026-05-04T00:00:00Z
nodes: [{ name: n1, capacity: { cpu: '8', memory: 32Gi } }]
pods:
  - name: app
    namespace: team-a
    labels: { owner: alice, project: a }
    containers: [{ name: c, requests: { cpu: 100m, memory: 128Mi }, usage: { cpu: 50m } }]
persistentVolumeClaims:
  - { name: on-sample, namespace: team-a, capacity: 10Gi, start: 10m, end: 70m }
  - { name: between, namespace: team-a, capacity: 4Gi, start: 7m30s, end: 44m20s }
  - { name: at-interval-end, namespace: team-b, capacity: 2Gi, start: 1m, end: 45m }
  - { name: flash, namespace: team-b, capacity: 8Gi, start: 20m10s, end: 20m50s }
services:
  - { name: edge, namespace: team-a, type: LoadBalancer, start: 20m, end: 80m }
  - { name: blip, namespace: team-b, type: LoadBalancer, start: 33m05s, end: 33m40s }
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubetally-claim-ends-'));
  await writeFile(join(dir, 'claim-ends.yaml'), SCENARIO);
});
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function collected(watch: boolean) {
  const rig: Rig = await startRig({ scenario: join(dir, 'claim-ends.yaml'), collection: { watch } });
  try {
    await rig.collectUntil(rig.t0 + 2 * HOUR + 3 * MIN, MIN);
    const rows = await rig.ctx.store.queryUsage({
      from: rig.t0,
      to: rig.t0 + 2 * HOUR,
      groupBy: ['namespace'],
      step: 'total',
    });
    const truth = rig.sim.world.truth(rig.t0, rig.t0 + 2 * HOUR, 'namespace');
    const of = (ns: string) => ({
      storage: rows.find((r) => r.group.namespace === ns)?.usage.storageByteSeconds ?? 0n,
      loadBalancerMillis: rows.find((r) => r.group.namespace === ns)?.usage.loadBalancerMillis ?? 0n,
      truth: truthAmounts(truth.groups.find((g) => g.key === ns)).storageByteSeconds ?? 0n,
    });
    return { a: of('team-a'), b: of('team-b') };
  } finally {
    await rig.close();
  }
}

describe('deleted claims and LoadBalancers', () => {
  it('end at their deletion, exactly, with the watches', async () => {
    const { a, b } = await collected(true);
    expect(a.storage).toBe(a.truth);
    expect(b.storage).toBe(b.truth);
    // By hand: 10 GiB for 60 min and 4 GiB for 36m50s; 2 GiB for 44 min and 8 GiB for 40 s.
    expect(a.truth).toBe(10n * GIB * 3600n + 4n * GIB * 2210n);
    expect(b.truth).toBe(2n * GIB * 2640n + 8n * GIB * 40n);
    expect(a.loadBalancerMillis).toBe(BigInt(HOUR));
    expect(b.loadBalancerMillis).toBe(35_000n);
  }, 300_000);

  it('end halfway between the lists around the deletion without them', async () => {
    const { a, b } = await collected(false);
    // Deleted on a sample time (70m): last listed at 69m, so it ends at 69m30s, 30 s short.
    // Deleted at 44m20s: last listed at 44m, ends at 44m30s, 10 s long. Deleted at 45m: 44m30s.
    expect(a.storage).toBe(10n * GIB * 3570n + 4n * GIB * 2220n);
    expect(b.storage).toBe(2n * GIB * 2610n); // the flash claim was never listed
    expect(a.loadBalancerMillis).toBe(BigInt(HOUR - 30_000));
    expect(b.loadBalancerMillis).toBe(0n);
  }, 300_000);
});
