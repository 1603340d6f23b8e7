/**
 * The background collector: every cluster on its own schedule; a cluster that fails backs off and
 * never delays the others; stop() waits for the rounds in flight and releases the leases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealKubeconfig } from '../../src/app/cluster-connection.js';
import { startCollectorLoop } from '../../src/app/collector-loop.js';
import type { ClusterRecord } from '../../src/ledger/types.js';
import { startRig, type Rig } from '../support/collection.js';

describe('the collector loop', () => {
  let rig: Rig;
  let broken: ClusterRecord;
  beforeAll(async () => {
    rig = await startRig({ scenario: 'demo', collection: { sampleEvery: '1s' } });
    // A cluster whose API server is gone: every round fails.
    const dead = rig.sim.kubeconfig.replaceAll(rig.sim.url, 'https://127.0.0.1:1');
    expect(dead).not.toBe(rig.sim.kubeconfig);
    broken = await rig.ctx.store.createCluster({
      name: 'gone',
      connection: 'kubeconfig',
      kubeconfig: sealKubeconfig(rig.ctx.secrets, 'default', 'gone', dead),
      collection: { sampleEvery: '1s' },
    });
  });
  afterAll(async () => rig?.close());

  it('keeps collecting a healthy cluster while another fails, backing off', async () => {
    const rounds = new Map<string, { ok: number; failed: number; at: number[] }>();
    const loop = startCollectorLoop(rig.ctx, {
      holder: 'loop-test',
      refreshMs: 100,
      onRound: (cluster, r) => {
        const s = rounds.get(cluster.name) ?? { ok: 0, failed: 0, at: [] };
        if (r.error === undefined) s.ok += 1;
        else s.failed += 1;
        s.at.push(Date.now());
        rounds.set(cluster.name, s);
        if (cluster.name === 'sim') rig.sim.clock.advance(60_000);
      },
    });
    await new Promise((r) => setTimeout(r, 6_500));
    await loop.stop();
    const sim = rounds.get('sim');
    const gone = rounds.get('gone');
    expect(sim?.ok).toBeGreaterThanOrEqual(5);
    expect(sim?.failed).toBe(0);
    expect(gone?.ok ?? 0).toBe(0);
    // 1 s, then 2 s, then 4 s apart: at most 3 attempts in 6.5 s.
    expect(gone?.failed).toBeGreaterThanOrEqual(2);
    expect(gone?.failed).toBeLessThanOrEqual(3);
    const samples = await rig.ctx.store.readObservations(rig.cluster.id, rig.t0, rig.t0 + 3_600_000);
    expect(samples.length).toBeGreaterThan(0);
    // The leases are free again: another holder takes them at once.
    expect(await rig.ctx.store.acquireLease(rig.cluster.id, 'someone-else', 10_000, Date.now())).toBe(true);
    expect(await rig.ctx.store.acquireLease(broken.id, 'someone-else', 10_000, Date.now())).toBe(true);
  }, 30_000);

  it('samples a cluster whose clock runs 60 times faster every 60 s of its time, not of ours', async () => {
    const fast = await startRig({ scenario: 'demo' }); // sampleEvery 60 s
    // The clock moves 60 s of cluster time per second of ours, as a simulator at --clock speed:60.
    const ticking = setInterval(() => fast.sim.clock.advance(6_000), 100);
    const times: number[] = [];
    const loop = startCollectorLoop(fast.ctx, {
      holder: 'fast-test',
      refreshMs: 100,
      onRound: (_c, r) => {
        if (r.outcome !== undefined) times.push(Date.parse(r.outcome.clusterTime));
      },
    });
    try {
      await new Promise((r) => setTimeout(r, 6_000));
    } finally {
      await loop.stop();
      clearInterval(ticking);
      await fast.close();
    }
    // The first two rounds, a second apart, find the pace; then about one a second.
    // Without it, one round a minute of ours: an hour of the cluster's, every interval a gap.
    // A round slowed by a loaded machine may take longer than a second of ours, and the next then
    // starts late: the pace shows in the usual step, and no step comes near an hour.
    expect(times.length).toBeGreaterThanOrEqual(4);
    const steps = times
      .slice(1)
      .map((t, i) => t - times[i]!)
      .slice(1);
    const median = [...steps].sort((a, b) => a - b)[Math.floor(steps.length / 2)]!;
    expect(median, `steps ${steps.join(', ')} ms`).toBeLessThanOrEqual(90_000);
    expect(Math.max(...steps), `steps ${steps.join(', ')} ms`).toBeLessThanOrEqual(600_000);
  }, 30_000);
  it('retries a failing cluster whose clock runs 60 times faster after its time, not ours', async () => {
    const fast = await startRig({ scenario: 'demo' }); // sampleEvery 60 s
    const ticking = setInterval(() => fast.sim.clock.advance(6_000), 100);
    const rounds: { at: number; ok: boolean }[] = [];
    const loop = startCollectorLoop(fast.ctx, {
      holder: 'fast-failing-test',
      refreshMs: 100,
      onRound: (_c, r) => rounds.push({ at: Date.now(), ok: r.error === undefined }),
    });
    let failedAt = 0;
    try {
      // A few rounds find the pace; then the cluster refuses for 1.5 s of ours (90 s of its own).
      await new Promise((r) => setTimeout(r, 3_000));
      fast.sim.faults.set({ unauthorized: true });
      while (!rounds.some((r) => !r.ok)) await new Promise((r) => setTimeout(r, 50));
      failedAt = Date.now();
      await new Promise((r) => setTimeout(r, 1_500));
      fast.sim.faults.clear();
      await new Promise((r) => setTimeout(r, 5_000));
    } finally {
      await loop.stop();
      clearInterval(ticking);
      await fast.close();
    }
    // Backed off 1, 2, 4 s of ours (1, 2, 4 min of its time): back within seconds. It was retried
    // after 60 s of ours (an hour of its time, all of it a gap), then 2, 4 and 5 minutes.
    const back = rounds.find((r) => r.ok && r.at > failedAt + 1_500);
    expect(back, JSON.stringify(rounds.map((r) => [r.at - failedAt, r.ok]))).toBeDefined();
    expect(back!.at - failedAt).toBeLessThanOrEqual(5_000);
  }, 30_000);
});
