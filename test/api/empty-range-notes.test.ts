/**
 * A usage or costs answer without rows (or clusters' costs and expenses without intervals) because its range misses the ledger (a simulator on its own
 * clock lives months away from "the last 7 days") says where the ledger's intervals are, as the
 * CLI's note does: empty rows alone read as "nothing was used".
 */
import { describe, expect, it } from 'vitest';
import { suiteServer } from './support.js';

const server = suiteServer();
const HOUR = 3_600_000;
const T0 = Date.parse('2026-04-01T00:00:00Z');

async function writeHours(cluster: string, hours: number): Promise<void> {
  const { ctx } = server();
  const [c] = (await ctx.store.listClusters()).filter((x) => x.name === cluster);
  for (let s = T0; s < T0 + hours * HOUR; s += HOUR) {
    await ctx.store.writeInterval({
      clusterId: c!.id,
      intervalStart: s,
      intervalEnd: s + HOUR,
      status: 'complete',
      coverage: 1,
      sampleCount: 60,
      podRows: [
        {
          podUid: 'p-0',
          namespace: 'shop',
          podName: 'api-0',
          owner: 'alice',
          project: 'shop',
          computeType: 'serving',
          usage: { podMillis: BigInt(HOUR), cpuCoreNanos: 3_600_000_000_000n },
        },
      ],
      gaps: [],
      errors: [],
    });
  }
}

const get = async (path: string) => {
  const r = await server().call('GET', path);
  expect(r.status, r.text).toBe(200);
  return r.json();
};

describe('an answer whose range holds none of the ledger', () => {
  it('says that no cluster is registered, then that no interval is written yet', async () => {
    for (const kind of ['usage', 'costs']) {
      expect((await get(`/api/v1/${kind}`)).notes).toEqual([
        'the ledger is empty: no cluster is registered (register one with POST /api/v1/clusters)',
      ]);
    }
    const created = await server().call('POST', '/api/v1/clusters', {
      body: { name: 'lab', inCluster: true },
    });
    expect(created.status).toBe(201);
    // Another URL: answers are reused for about 30 s (read-cache.ts).
    expect((await get('/api/v1/costs?step=total')).notes).toEqual([
      "the ledger holds no interval yet: an interval is written once the cluster's time has passed its end (every 15 minutes by default), by the collector or POST /api/v1/clusters/{name}/collect",
    ]);
  });

  it('names the range the ledger holds, with the query that reads it', async () => {
    await writeHours('lab', 3);
    const note =
      "the ledger holds intervals from 2026-04-01T00:00:00Z to 2026-04-01T03:00:00Z (the clusters' time), none in this range: ask with from=2026-04-01T00:00:00Z&to=2026-04-01T03:00:00Z";
    for (const path of [
      '/api/v1/usage?groupBy=project',
      '/api/v1/costs?from=2020-01-01&to=2020-02-01',
      '/api/v1/users/alice/usage',
    ]) {
      const body = await get(path);
      expect([body.rows, body.notes], path).toEqual([[], [note]]);
    }
    // The clusters' costs and the expenses list every cluster, at zero: the same note says why.
    for (const path of ['/api/v1/costs/clusters', '/api/v1/expenses?from=2020-01-01&to=2020-02-01']) {
      const body = await get(path);
      expect(body.notes, path).toEqual([note]);
    }
    const range = 'from=2026-04-01T00:00:00Z&to=2026-04-01T03:00:00Z';
    const clusters = await get(`/api/v1/costs/clusters?${range}`);
    expect([clusters.clusters[0].intervals, clusters.notes]).toEqual([3, undefined]);
    const expenses = await get(`/api/v1/expenses?${range}`);
    expect(expenses.k8s_costs.k8s_total_cost).toBeGreaterThan(0);
    expect(expenses.notes).toBeUndefined();
    // Asked as the note says: rows, and no note.
    const within = await get('/api/v1/usage?from=2026-04-01T00:00:00Z&to=2026-04-01T03:00:00Z');
    expect([within.rows.map((r: { owner: string }) => r.owner), within.notes]).toEqual([
      ['alice'],
      undefined,
    ]);
    // Nothing of this owner in a range the ledger holds: the range is not the reason, no note.
    const nobody = await get('/api/v1/usage?from=2026-04-01T00:00:00Z&to=2026-04-01T03:00:00Z&owner=nobody');
    expect([nobody.rows, nobody.notes]).toEqual([[], undefined]);
  });

  it('speaks of the cluster or tenant asked for, never of an empty ledger that is not', async () => {
    // A cluster removed before it wrote an interval, in a tenant of its own, while lab holds usage.
    const tenant = await server().call('POST', '/api/v1/tenants', { body: { name: 'acme' } });
    expect(tenant.status).toBe(201);
    for (const body of [
      { name: 'gone', inCluster: true },
      { name: 'gone2', tenant: 'acme', inCluster: true },
    ]) {
      expect((await server().call('POST', '/api/v1/clusters', { body })).status).toBe(201);
    }
    expect((await server().call('DELETE', '/api/v1/clusters/gone')).status).toBe(204);
    expect((await server().call('DELETE', '/api/v1/clusters/gone2?tenant=acme')).status).toBe(204);
    expect((await get('/api/v1/usage?cluster=gone&tenant=default')).notes).toEqual([
      'cluster gone was removed before it wrote an interval: the ledger holds nothing of it (register one with POST /api/v1/clusters)',
    ]);
    expect((await get('/api/v1/costs?tenant=acme')).notes).toEqual([
      'tenant acme has no cluster registered (register one with POST /api/v1/clusters)',
    ]);
  });
});
