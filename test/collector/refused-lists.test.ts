/**
 * A cluster whose RBAC refuses an optional list (PersistentVolumeClaims, Services): the round goes
 * on with pods, CPU and memory, and says what it could not read; only the refused list's part
 * (storage, LoadBalancer hours) is missing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CollectOutcome } from '../../src/collector/outcome.js';
import { collectNow } from '../../src/app/collect.js';
import { startRig, type Rig } from '../support/collection.js';

const MIN = 60_000;
let rig: Rig;
const outcomes: CollectOutcome[] = [];

beforeAll(async () => {
  rig = await startRig({ scenario: 'demo' });
  rig.sim.faults.set({ forbidden: ['persistentvolumeclaims', 'services'] });
  await rig.collectUntil(rig.t0 + 20 * MIN, MIN, (o) => outcomes.push(o));
}, 120_000);
afterAll(() => rig?.close());

describe('refused optional lists', () => {
  it('collects every source and names what it could not read', () => {
    for (const o of outcomes) {
      expect(o.sources.map((s) => [s.source, s.ok])).toEqual([
        ['inventory', true],
        ['metrics', true],
        ['summary', true],
      ]);
      expect(o.sources[0]!.error).toBe(
        'persistentvolumeclaims refused (403 Forbidden): no storage; services refused (403 Forbidden): no LoadBalancer hours',
      );
    }
  });

  it('writes partial intervals with CPU and memory, storage and LoadBalancer hours as gaps', async () => {
    const runs = await rig.ctx.store.recentRuns(rig.cluster.id, 10);
    expect(runs.length).toBeGreaterThan(0);
    expect(runs.every((r) => r.status === 'partial' && r.coverage === 1)).toBe(true);
    const gaps = await rig.ctx.store.listGaps({ from: rig.t0, to: rig.t0 + 15 * MIN });
    expect(gaps.map((g) => g.reason.replace(/: the cluster refused .*/, ''))).toEqual([
      'inventory persistentvolumeclaims (storage)',
      'inventory services (LoadBalancer hours)',
    ]);
    const [total] = await rig.ctx.store.queryUsage({
      from: rig.t0,
      to: rig.t0 + 15 * MIN,
      groupBy: ['cluster'],
      step: 'total',
    });
    const truth = rig.sim.world.truth(rig.t0, rig.t0 + 15 * MIN, 'namespace').groups;
    const requested = truth.reduce((sum, g) => sum + g.cpuRequestCoreSeconds, 0);
    expect(Number(total!.usage.cpuRequestCoreNanos) / 1e9).toBeCloseTo(requested, 0);
    expect(total!.usage.cpuCoreNanos).toBeGreaterThan(0n);
    expect(total!.usage.storageByteSeconds).toBe(0n);
    expect(total!.usage.loadBalancerMillis).toBe(0n);
  });
});

describe('a refused inventory in the first round of a process', () => {
  it("is placed at the cluster time of the refusal, not at this machine's", async () => {
    const fresh = await startRig({ scenario: 'demo' }); // its manual clock is months from this machine's
    try {
      fresh.sim.faults.set({ forbidden: ['pods'] });
      const o = await collectNow(fresh.ctx, fresh.cluster);
      expect(o.sources[0]).toMatchObject({ source: 'inventory', ok: false });
      expect(Date.parse(o.clusterTime)).toBe(Math.floor(fresh.sim.clock.now() / 1000) * 1000);
      const stored = await fresh.ctx.store.readObservations(fresh.cluster.id, fresh.t0 - MIN, fresh.t0 + MIN);
      expect(stored.map((r) => r.kind)).toEqual(['scrapes']);
    } finally {
      await fresh.close();
    }
  });
});

describe('lists the settings leave out (storage: false, loadBalancers: false)', () => {
  it('are not asked for: the cluster refusing them is no gap, and the intervals are complete', async () => {
    const off = await startRig({ scenario: 'demo', collection: { storage: false, loadBalancers: false } });
    try {
      off.sim.faults.set({ forbidden: ['persistentvolumeclaims', 'services'] });
      const seen: CollectOutcome[] = [];
      await off.collectUntil(off.t0 + 17 * MIN, MIN, (o) => seen.push(o));
      expect(seen.every((o) => o.sources.every((s) => s.ok && s.error === undefined))).toBe(true);
      const runs = await off.ctx.store.recentRuns(off.cluster.id, 10);
      expect(runs.map((r) => [r.status, r.coverage])).toEqual([['complete', 1]]);
      expect(await off.ctx.store.listGaps({ from: off.t0, to: off.t0 + 15 * MIN })).toEqual([]);
      const [total] = await off.ctx.store.queryUsage({
        from: off.t0,
        to: off.t0 + 15 * MIN,
        groupBy: ['cluster'],
        step: 'total',
      });
      expect([total!.usage.storageByteSeconds, total!.usage.loadBalancerMillis]).toEqual([0n, 0n]);
    } finally {
      await off.close();
    }
  });
});
