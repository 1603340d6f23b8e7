/**
 * How gaps are recorded: a Summary API outage on every node is one gap, not one more per node;
 * and what a `user` token is told of gaps keeps the source and drops the rest.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminToken } from '../../src/api/bootstrap.js';
import { buildServer } from '../../src/api/server.js';
import { startRig, type Rig } from '../support/collection.js';

const MIN = 60_000;
const ADMIN = 'gap-records-admin-token-0123456789';
let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ scenario: 'demo' });
  // Seven minutes in, so that the first interval also has time before collection began.
  const begin = Math.floor(rig.sim.clock.now() / (15 * MIN)) * 15 * MIN + 7 * MIN;
  rig.sim.clock.set(begin);
  await rig.collectUntil(begin + 15 * MIN, MIN);
  rig.sim.faults.set({ summaryApi: 'unavailable' });
  rig.sim.clock.advance(MIN);
  await rig.collectUntil(begin + 20 * MIN, MIN);
  rig.sim.faults.clear();
  rig.sim.clock.advance(MIN);
  await rig.collectUntil(begin + 40 * MIN, MIN);
}, 120_000);
afterAll(() => rig?.close());

describe('gap records', () => {
  it('records an outage of every node once, not once more per node', async () => {
    const summary = (await rig.ctx.store.listGaps({ from: rig.t0, to: rig.sim.clock.now() })).filter((g) =>
      g.reason.startsWith('kubelet Summary API'),
    );
    expect(summary.length).toBeGreaterThan(0);
    // One per interval it touched, naming what the nodes answered.
    expect(new Set(summary.map((g) => g.start)).size).toBe(summary.length);
    for (const g of summary) expect(g.reason).toMatch(/connection refused/);
  });

  it("tells a user token each gap's source only, once, and the time before collection whole", async () => {
    await ensureAdminToken(rig.ctx, ADMIN);
    const { app } = await buildServer(rig.ctx, { logger: false });
    try {
      const made = await app.inject({
        method: 'POST',
        url: '/api/v1/tokens',
        headers: { authorization: `Bearer ${ADMIN}` },
        payload: { role: 'user', tenant: 'default', owner: 'alice' },
      });
      const user = made.json<{ token: string }>().token;
      const from = new Date(rig.t0 - 15 * MIN).toISOString();
      const res = await app.inject({
        url: `/api/v1/usage?from=${from}&to=now`,
        headers: { authorization: `Bearer ${user}` },
      });
      const gaps = res.json<{ gaps: { reason: string; start: string }[] }>().gaps;
      expect(gaps.map((g) => g.reason).sort()).toEqual(
        [
          expect.stringMatching(/^before collection began \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$/),
          ...gaps
            .filter((g) => !g.reason.startsWith('before'))
            .map(() => 'kubelet Summary API: not collected (an admin sees why)'),
        ].sort(),
      );
      expect(gaps.filter((g) => g.reason.startsWith('kubelet')).length).toBeGreaterThan(0);
      expect(new Set(gaps.map((g) => JSON.stringify(g))).size).toBe(gaps.length);
    } finally {
      await app.close();
    }
  });
  // The time before a cluster's first sample is recorded as a gap (its usage is not in the ledger)
  // but nothing failed: counted here, it fired KubetallyGapsRecorded for a day after every
  // registration mid-interval.
  it('counts on /metrics the gaps of the last day of cluster time, not the time before collection began, and drops a removed cluster', async () => {
    const { app, metrics } = await buildServer(rig.ctx, { logger: false });
    try {
      const last = (await rig.ctx.store.lastClosedInterval(rig.cluster.id))!.intervalEnd;
      const gaps = await rig.ctx.store.listGaps({ from: last - 86_400_000, to: last });
      expect(gaps.length).toBeGreaterThan(0); // far from this machine's day: the manual clock's
      const failures = gaps.filter((g) => !g.reason.startsWith('before collection began'));
      expect(failures.length).toBe(gaps.length - 1);
      metrics.round(rig.cluster, { ms: 5 });
      const scrape = async () => (await app.inject({ url: '/metrics' })).body;
      const before = await scrape();
      expect(before).toContain(`kubetally_gaps_last_day{tenant="default",cluster="sim"} ${failures.length}`);
      expect(before).toContain('kubetally_collection_duration_seconds{tenant="default",cluster="sim"} 0.005');
      await rig.ctx.store.removeCluster(rig.cluster.id);
      // Its collection series go; its usage and costs, history, stay.
      const after = await scrape();
      expect(after).not.toMatch(/^kubetally_(collection_\w+|gaps_last_day)\{[^}]*cluster="sim"/m);
      expect(after).toMatch(/^kubetally_cost\{tenant="default",cluster="sim",/m);
    } finally {
      await app.close();
    }
  });
});
