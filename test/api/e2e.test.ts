/**
 * End to end over real HTTP with separate processes (issue 6): a simulator and a kubetally server
 * (no background collector) on the real PostgreSQL; a tenant and tokens are made, the simulator's
 * kubeconfig is uploaded and tested, collection is driven through the collect endpoint on the
 * simulator's manual clock, and usage, costs and expenses per owner and project are checked
 * against /sim/truth, priced by hand.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TruthReply } from '../../src/simulator/world.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { startKubetally, type Running } from '../support/processes.js';

const ADMIN = 'e2e-admin-token-0123456789abcdef';
const HOURS = 3;
const PRICES = { cpu: 0.031611, memory: 0.004237, gpu: 0.95 };

let dir: string;
let td: TestDatabase;
let sim: Running & { match: string };
let server: Running & { match: string };
let simToken: string;
let t0: number;

async function api(method: string, path: string, body?: unknown, token = ADMIN) {
  const res = await fetch(`${server.match}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text);
}

async function simCall(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sim.match}${path}`, {
    method,
    headers: { authorization: `Bearer ${simToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return res.json();
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubetally-e2e-'));
  td = await freshDatabase('postgres');
  const kubeconfigPath = join(dir, 'sim.kubeconfig');
  sim = await startKubetally(
    [
      'simulate',
      '--scenario',
      'demo',
      '--clock',
      'manual',
      '--port',
      '0',
      '--plain-http',
      '--write-kubeconfig',
      kubeconfigPath,
    ],
    {},
    /listening on (http:\/\/\S+)/,
  );
  const kubeconfig = await readFile(kubeconfigPath, 'utf8');
  simToken = /token: (\S+)/.exec(kubeconfig)![1]!;
  server = await startKubetally(
    ['serve', '--port', '0', '--no-collect', '--database', td.url!],
    {
      KUBETALLY_ADMIN_TOKEN: ADMIN,
      KUBETALLY_DATA_DIR: join(dir, 'data'),
      KUBETALLY_ENCRYPTION_KEY: 'ef'.repeat(32),
    },
    /kubetally listening on (http:\/\/\S+)/,
  );
  await api('POST', '/api/v1/tenants', { name: 'acme' });
  await api('POST', '/api/v1/clusters', {
    name: 'sim',
    tenant: 'acme',
    kubeconfig,
    // The simulator serves plain HTTP here; spot priced as on-demand so that a test can price it.
    collection: { allowInsecureHttp: true },
    pricing: {
      currency: 'EUR',
      basis: 'request',
      spotCpuCoreHour: PRICES.cpu,
      spotMemoryGiBHour: PRICES.memory,
      spotGpuHour: PRICES.gpu,
    },
  });
  t0 = Date.parse(((await simCall('GET', '/sim/clock')) as { now: string }).now);
  for (let m = 0; m <= HOURS * 60 + 2; m++) {
    await api('POST', '/api/v1/clusters/sim/collect?tenant=acme');
    await simCall('POST', '/sim/clock', { advance: '60s' });
  }
}, 600_000);

afterAll(async () => {
  await server?.stop();
  await sim?.stop();
  await td?.dispose();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const range = () => `from=${new Date(t0).toISOString()}&to=${new Date(t0 + HOURS * 3_600_000).toISOString()}`;
const rel = (got: number, want: number) => (want === 0 ? Math.abs(got) : Math.abs(got - want) / want);

describe('kubetally serve end to end', () => {
  it('tests the uploaded cluster: reachable, version, metrics API, every permission', async () => {
    const r = await api('POST', '/api/v1/clusters/sim/test?tenant=acme');
    expect(r.reachable).toBe(true);
    expect(r.serverVersion).toMatch(/^v1\.32/);
    expect(r.metricsApi.available).toBe(true);
    expect(Object.values(r.permissions).every((p) => (p as { allowed: boolean }).allowed)).toBe(true);
    expect(r.sample.pods).toBeGreaterThan(5);
  });

  it.each([
    ['owner', 'label:owner'],
    ['project', 'label:project'],
  ])('gives usage per %s equal to the truth', async (key, truthKey) => {
    const usage = await api('GET', `/api/v1/usage?tenant=acme&groupBy=${key}&${range()}`);
    const truth = await simCall('GET', `/sim/truth?${range()}&groupBy=${truthKey}`);
    for (const g of (truth as TruthReply).groups.filter((x) => x.key !== '')) {
      const row = usage.rows.find((r: Record<string, unknown>) => r[key as string] === g.key);
      expect(row, `${key} ${g.key}`).toBeDefined();
      expect(rel(row.cpuRequestCoreHours, g.cpuRequestCoreSeconds / 3600)).toBeLessThan(0.001);
      expect(rel(row.memoryRequestGiBHours, g.memoryRequestByteSeconds / 3600 / 2 ** 30)).toBeLessThan(0.001);
      expect(rel(row.podHours, g.podSeconds / 3600)).toBeLessThan(0.001);
      expect(rel(row.gpuHours, g.gpuSeconds / 3600)).toBeLessThan(0.001);
      expect(rel(row.cpuCoreHours, g.cpuCoreSeconds / 3600)).toBeLessThan(0.02);
      expect(rel(row.memoryGiBHours, g.memoryByteSeconds / 3600 / 2 ** 30)).toBeLessThan(0.01);
    }
  });

  it('prices each owner as the truth priced by hand, and the expenses add up', async () => {
    const costs = await api('GET', `/api/v1/costs?tenant=acme&groupBy=owner&${range()}`);
    const truth = await simCall('GET', `/sim/truth?${range()}&groupBy=label:owner`);
    for (const g of (truth as TruthReply).groups.filter((x) => x.key !== '')) {
      const row = costs.rows.find((r: { owner: string }) => r.owner === g.key);
      expect(rel(row.cpuCost, (g.cpuRequestCoreSeconds / 3600) * PRICES.cpu), `${g.key} cpu`).toBeLessThan(
        0.001,
      );
      expect(rel(row.memoryCost, (g.memoryRequestByteSeconds / 3600 / 2 ** 30) * PRICES.memory)).toBeLessThan(
        0.001,
      );
      expect(rel(row.gpuCost, (g.gpuSeconds / 3600) * PRICES.gpu)).toBeLessThan(0.001);
    }
    const expenses = await api('GET', `/api/v1/expenses?tenant=acme&${range()}`);
    const cluster = expenses.k8s_costs.k8s_cost_breakdown[0];
    expect(cluster.cloud_account_name).toBe('sim');
    expect(cluster.breakdown.management_cost).toBeCloseTo(0.1 * HOURS, 6);
    // Rows (owners, __unowned__, __idle__) plus management are the cluster's cost.
    expect(expenses.total_cost).toBeCloseTo(costs.totals.clusterCost, 6);
    const sumRows = costs.rows.reduce((s: number, r: { totalCost: number }) => s + r.totalCost, 0);
    expect(sumRows + cluster.breakdown.management_cost).toBeCloseTo(expenses.total_cost, 5);
    // The one cluster, named: the same expenses.
    expect(await api('GET', `/api/v1/expenses?tenant=acme&cluster=sim&${range()}`)).toEqual(expenses);
  });

  it('debits every owner once per interval: balances are minus their costs', async () => {
    const costs = await api('GET', `/api/v1/costs?tenant=acme&groupBy=owner&from=2026-01-01`);
    expect(costs.currency).toBe('EUR');
    const accounts = (await api('GET', '/api/v1/accounts?tenant=acme')).accounts as {
      owner: string;
      balance: number;
      currency: string;
    }[];
    // Balances are in the tenant's currency, and say so.
    expect(new Set(accounts.map((a) => a.currency))).toEqual(new Set(['EUR']));
    for (const a of accounts) {
      const row = costs.rows.find((r: { owner: string }) => r.owner === a.owner);
      expect(a.balance, a.owner).toBeCloseTo(-(row?.totalCost ?? 0), 6);
    }
    expect(accounts.length).toBeGreaterThan(3);
  });

  it('shows the collection status and serves a viewer token read-only', async () => {
    const status = await api('GET', '/api/v1/clusters/sim/status?tenant=acme');
    expect(status.runs.length).toBeGreaterThanOrEqual(HOURS * 4);
    const cluster = await api('GET', '/api/v1/clusters/sim?tenant=acme');
    expect(cluster.priceSheet).toMatchObject({
      spotCpuCoreHour: String(PRICES.cpu),
      spotMemoryGiBHour: String(PRICES.memory),
      spotGpuHour: String(PRICES.gpu),
    });
    const viewer = (await api('POST', '/api/v1/tokens', { role: 'viewer', tenant: 'acme' })).token as string;
    expect((await api('GET', `/api/v1/usage?${range()}`, undefined, viewer)).rows.length).toBeGreaterThan(3);
    await expect(api('POST', '/api/v1/clusters/sim/collect', undefined, viewer)).rejects.toThrow(/403/);
  });

  it('groups by tenant too, so that an admin of every tenant keeps tenants apart', async () => {
    for (const path of ['usage', 'costs']) {
      const byOwner = await api('GET', `/api/v1/${path}?${range()}&groupBy=owner`);
      const byTenant = await api('GET', `/api/v1/${path}?${range()}&groupBy=tenant,owner`);
      expect(byTenant.rows.length).toBe(byOwner.rows.length);
      for (const r of byTenant.rows) {
        expect(r.tenant).toBe('acme');
        const { tenant: _, ...rest } = r;
        expect(byOwner.rows).toContainEqual(rest);
      }
    }
  });

  it('merges PATCHed settings field by field: a field given replaces, null removes, the rest stays', async () => {
    const before = await api('GET', '/api/v1/clusters/sim?tenant=acme');
    await api('PATCH', '/api/v1/clusters/sim?tenant=acme', { collection: { pageSize: 250 } });
    const one = await api('PATCH', '/api/v1/clusters/sim?tenant=acme', { collection: { shards: 4 } });
    expect(one.collection).toEqual({ ...before.collection, pageSize: 250, shards: 4 });
    const two = await api('PATCH', '/api/v1/clusters/sim?tenant=acme', {
      collection: { pageSize: null, shards: null },
    });
    expect(two.collection).toEqual(before.collection);
    await expect(
      api('PATCH', '/api/v1/clusters/sim?tenant=acme', {
        attribution: { computeTypeNameRules: [{ pattern: '(', type: 'x' }] },
      }),
    ).rejects.toThrow(/400/);
  });
});
