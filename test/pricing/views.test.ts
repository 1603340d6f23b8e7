/**
 * The cost views on a small ledger (PGlite): SPEC §5 row shape, per-cluster totals, and the seed
 * 003 expense view, whose parts add up to its totals. Figures are worked out by hand from the
 * SPEC §7 default prices and one m5.large priced at 0.096 per hour.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterCostsView } from '../../src/app/cluster-costs-view.js';
import { costsView } from '../../src/app/costs-view.js';
import { expensesView } from '../../src/app/expenses-view.js';
import { accountView, topUp, updateAccountSettings } from '../../src/app/accounts-view.js';
import {
  assertTenantCurrency,
  clusterPricingHistory,
  setClusterPricing,
  validatePricing,
} from '../../src/app/pricing-settings.js';
import { migrate } from '../../src/ledger/migrate.js';
import { createStore, type LedgerStore } from '../../src/ledger/store.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-05-01T00:00:00Z');
const GiB = 1n << 30n;
const H = BigInt(HOUR);
const CORE_HOUR = 3_600_000_000_000n;
const GIB_HOUR = GiB * 3600n;

describe('cost views', () => {
  let t: TestDatabase;
  let store: LedgerStore;

  beforeAll(async () => {
    t = await freshDatabase('pglite');
    await migrate(t.db);
    store = createStore(t.db);
    const id = (await store.createCluster({ name: 'prod', connection: 'in-cluster' })).id;
    await store.setClusterPriceSheet(id, { nodes: { 'm5.large': { hour: '0.096' } } });
    for (const [i, gap] of [
      [0, false],
      [1, true],
    ] as const) {
      const s = T0 + i * HOUR;
      await store.writeInterval({
        clusterId: id,
        intervalStart: s,
        intervalEnd: s + HOUR,
        status: gap ? 'gap' : 'complete',
        coverage: gap ? 0 : 1,
        sampleCount: gap ? 0 : 60,
        podRows: gap
          ? []
          : [
              {
                podUid: 'a',
                namespace: 'fraud-alice',
                podName: 'nb-0',
                owner: 'alice',
                project: 'fraud',
                computeType: 'notebook',
                node: 'n1',
                capacityType: 'on-demand',
                usage: {
                  cpuCoreNanos: CORE_HOUR / 2n,
                  cpuRequestCoreNanos: CORE_HOUR,
                  cpuMaxCoreNanos: CORE_HOUR,
                  memoryByteSeconds: GIB_HOUR,
                  memoryRequestByteSeconds: 2n * GIB_HOUR,
                  memoryMaxByteSeconds: 2n * GIB_HOUR,
                  podMillis: H,
                  networkTxBytes: 3n * GiB,
                  networkRxBytes: GiB,
                },
              },
              {
                podUid: 'pvc:fraud-alice/data',
                namespace: 'fraud-alice',
                podName: 'data',
                owner: 'alice',
                project: 'fraud',
                computeType: 'other',
                usage: { storageByteSeconds: 730n * GIB_HOUR },
              },
              {
                podUid: 'svc:ingress/lb',
                namespace: 'ingress',
                podName: 'lb',
                owner: '__unowned__',
                project: 'ingress',
                computeType: 'other',
                usage: { loadBalancerMillis: H },
              },
            ],
        nodes: [
          {
            node: 'n1',
            instanceType: 'm5.large',
            capacityType: 'on-demand',
            millis: H,
            cpuAllocatableCoreNanos: 2n * CORE_HOUR,
            memoryAllocatableByteSeconds: 8n * GIB_HOUR,
            gpuAllocatableMillis: 0n,
          },
        ],
        gaps: gap ? [{ start: s, end: s + HOUR, reason: 'metrics API unavailable (503)' }] : [],
        errors: [],
      });
    }
  });
  afterAll(async () => {
    await t?.dispose();
  });

  // Node 0.096/h split by resource weights: CPU 62494 µ, memory 33506 µ. alice (basis max):
  // 1 core-h × 0.031611 × f = 31247 µ, 2 GiB-h × 0.004237 × f = 8376 µ; idle 31247 + 25130.
  // Storage: 730 GiB-h = 1 GiB-month × 0.04; network: 3 GiB egress × 0.01; LB 1 h × 0.025;
  // management 2 h × 0.10 (the gap hour's fee is charged, its node cost is not known).
  const range = { from: T0, to: T0 + 2 * HOUR };

  it('rows in the SPEC §5 form with costs and efficiencies', async () => {
    const v = await costsView(store, { ...range, groupBy: ['owner'], step: 'total' });
    expect(v).toMatchObject({
      from: '2026-05-01T00:00:00Z',
      to: '2026-05-01T02:00:00Z',
      groupBy: ['owner'],
      step: 'total',
      currency: 'USD',
    });
    expect(v.rows.map((r) => [r.owner, r.totalCost])).toEqual([
      ['__idle__', 0.056377],
      ['__unowned__', 0.025],
      ['alice', 0.109623],
    ]);
    expect(v.rows[2]).toMatchObject({
      cpuCoreHours: 0.5,
      cpuRequestCoreHours: 1,
      memoryGiBHours: 1,
      memoryRequestGiBHours: 2,
      networkGiB: 4,
      podHours: 1,
      cpuCost: 0.031247,
      memoryCost: 0.008376,
      storageCost: 0.04,
      networkCost: 0.03,
      cpuEfficiency: 0.5,
      memoryEfficiency: 0.5,
    });
    expect(v.rows[2]?.start).toBeUndefined();
    expect(v.totals).toMatchObject({ totalCost: 0.191, managementCost: 0.2, clusterCost: 0.391 });
    expect(v.gaps).toEqual([
      {
        cluster: 'prod',
        start: '2026-05-01T01:00:00Z',
        end: '2026-05-01T02:00:00Z',
        reason: 'metrics API unavailable (503)',
      },
    ]);
    const hourly = await costsView(store, { ...range, owner: 'alice', groupBy: ['project'], step: 'hour' });
    expect(hourly.rows).toHaveLength(1);
    expect(hourly.rows[0]).toMatchObject({
      project: 'fraud',
      start: '2026-05-01T00:00:00Z',
      totalCost: 0.109623,
    });
    expect(hourly.totals.managementCost).toBeUndefined();
  });

  it('per-cluster totals and breakdown', async () => {
    const v = await clusterCostsView(store, range);
    expect(v.clusters).toEqual([
      expect.objectContaining({
        cluster: 'prod',
        currency: 'USD',
        intervals: 2,
        cpuCost: 0.031247,
        memoryCost: 0.008376,
        storageCost: 0.04,
        networkCost: 0.03,
        loadBalancerCost: 0.025,
        idleCost: 0.056377,
        managementCost: 0.2,
        totalCost: 0.391,
        nodeCost: 0.096,
        overAllocationCost: 0,
        unpricedInstanceTypes: [],
        capacityUnknownIntervals: 1,
      }),
    ]);
  });

  it('the seed 003 expense view, parts adding up to the totals', async () => {
    const v = await expensesView(store, range);
    expect(v).toEqual({
      total_cost: 0.391,
      currency: 'USD',
      k8s_costs: {
        k8s_total_cost: 0.391,
        k8s_cost_breakdown: [
          {
            cloud_account_id: expect.any(String),
            cloud_account_name: 'prod',
            tenant: 'default',
            cost: 0.391,
            breakdown: {
              total_cost: 0.391,
              management_cost: 0.2,
              cpu_cost: 0.031247,
              ram_cost: 0.008376,
              gpu_cost: 0,
              pv_cost: 0.04,
              network_cost: 0.03,
              load_balancer_cost: 0.025,
              idle_cost: 0.056377,
            },
          },
        ],
      },
    });
  });

  it('accounts: top-ups from decimal text, debits, history and the low-balance flag', async () => {
    const r = await topUp(store, 'default', 'alice', {
      amount: '10.50',
      reason: 'invoice 7',
      idempotencyKey: 'i7',
    });
    // alice was debited 0.109623 for the one priced hour.
    expect(r).toMatchObject({
      created: true,
      entry: { kind: 'top-up', amount: 10.5 },
      account: { balance: 10.390377 },
    });
    expect(
      (await topUp(store, 'default', 'alice', { amount: 10.5, reason: 'invoice 7', idempotencyKey: 'i7' }))
        .created,
    ).toBe(false);
    await expect(topUp(store, 'default', 'alice', { amount: '0.0000001', reason: 'x' })).rejects.toThrow(
      /amount: .* more than 6 decimal places/,
    );
    await expect(topUp(store, 'default', 'alice', { amount: 1, reason: 3 })).rejects.toThrow(
      /reason must be text/,
    );
    // An adjustment may take credit away; a top-up may not.
    await expect(topUp(store, 'default', 'alice', { amount: -1, reason: 'refund' })).rejects.toThrow(
      /top-up must be positive/,
    );
    expect(
      await topUp(store, 'default', 'alice', {
        amount: '-0.390377',
        reason: 'goodwill back',
        kind: 'adjustment',
      }),
    ).toMatchObject({
      created: true,
      entry: { kind: 'adjustment', amount: -0.390377 },
      account: { balance: 10 },
    });
    await expect(topUp(store, 'default', 'alice', { amount: 1, reason: 'x', kind: 'debit' })).rejects.toThrow(
      /kind must be "top-up" or "adjustment"/,
    );
    expect(
      await updateAccountSettings(store, 'default', 'alice', { lowBalance: '20', externalId: 'u-17' }),
    ).toMatchObject({
      externalId: 'u-17',
      lowBalanceThreshold: 20,
      lowBalance: true,
    });
    const v = await accountView(store, 'default', 'alice');
    expect(v.history.map((e) => [e.kind, e.amount, e.balanceAfter])).toEqual([
      ['adjustment', -0.390377, 10],
      ['top-up', 10.5, 10.390377],
      ['debit', -0.109623, -0.109623],
    ]);
    await expect(accountView(store, 'default', 'nobody')).rejects.toThrow(/no account for nobody/);
  });

  it('pricing settings: validated, set from the unbilled time, listed', async () => {
    expect(() => validatePricing({ cpuCoreHour: -1, basis: 'average' })).toThrow(
      /basis: must be one of usage, request, max; cpuCoreHour: must not be negative/,
    );
    expect(validatePricing({ gpuHour: '2.5' })).toMatchObject({
      gpuHour: '2.5',
      basis: 'max',
      currency: 'USD',
    });
    const set = await setClusterPricing(store, 'default', 'prod', { gpuHour: 2.5 });
    expect(set.effectiveFrom).toBe('2026-05-01T02:00:00Z');
    expect((await clusterPricingHistory(store, 'default', 'prod')).map((s) => s.effectiveFrom)).toEqual([
      '1970-01-01T00:00:00Z',
      '2026-05-01T02:00:00Z',
    ]);
    // Its own billed intervals hold the tenant to their currency, even as its only cluster.
    await expect(setClusterPricing(store, 'default', 'prod', { currency: 'EUR' })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringMatching(/tenant default has been billed in USD: pricing in EUR would add/),
    });
  });
  it('refuses to add costs of clusters priced in different currencies', async () => {
    const eu = (await store.createCluster({ name: 'eu', connection: 'in-cluster' })).id;
    await store.setClusterPriceSheet(eu, { currency: 'EUR' });
    await store.writeInterval({
      clusterId: eu,
      intervalStart: T0,
      intervalEnd: T0 + HOUR,
      status: 'complete',
      coverage: 1,
      sampleCount: 60,
      podRows: [],
      gaps: [],
      errors: [],
    });
    const q = { ...range, groupBy: ['owner' as const], step: 'total' as const };
    await expect(costsView(store, q)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'the clusters of this range price in EUR and USD: their costs cannot be added',
      // Said for the API and the CLI alike: a tenant's clusters share one currency.
      hint: 'ask for one tenant or one cluster at a time (tenant=, cluster=; kubetally costs --tenant, --cluster): a tenant prices in one currency; GET /api/v1/costs/clusters gives each cluster in its own',
    });
    await expect(expensesView(store, range)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: 'the clusters of this range price in EUR and USD: their costs cannot be added',
    });
    expect((await expensesView(store, { ...range, cluster: 'eu' })).currency).toBe('EUR');
    expect((await costsView(store, { ...q, cluster: 'eu' })).currency).toBe('EUR');
    expect((await costsView(store, { ...q, cluster: 'prod' })).currency).toBe('USD');
    const perCluster = await clusterCostsView(store, range);
    expect(perCluster.clusters.map((c) => [c.cluster, c.currency]).sort()).toEqual([
      ['eu', 'EUR'],
      ['prod', 'USD'],
    ]);
  });

  it("names a cluster's own currency before any of its intervals is priced", async () => {
    const sheet = (await store.createCluster({ name: 'new-eu', connection: 'in-cluster' })).id;
    await store.setClusterPriceSheet(sheet, { currency: 'EUR' });
    await store.createCluster({ name: 'new-ch', connection: 'in-cluster', pricing: { currency: 'CHF' } });
    const q = { ...range, groupBy: ['owner' as const], step: 'total' as const };
    for (const [cluster, currency] of [
      ['new-eu', 'EUR'],
      ['new-ch', 'CHF'],
    ] as const) {
      const view = await costsView(store, { ...q, cluster });
      expect(view.rows).toEqual([]);
      expect(view.currency).toBe(currency);
      const [totals] = (await clusterCostsView(store, { ...range, cluster })).clusters;
      expect(totals).toMatchObject({ cluster, intervals: 0, currency, totalCost: 0 });
    }
    // Before anything is billed, a tenant's only cluster may still change currency.
    await store.createTenant('fresh');
    await store.createCluster({ name: 'solo', tenant: 'fresh', connection: 'in-cluster' });
    expect((await setClusterPricing(store, 'fresh', 'solo', { currency: 'EUR' })).sheet.currency).toBe('EUR');
    // Its next cluster prices in EUR too.
    await expect(assertTenantCurrency(store, 'fresh', 'USD')).rejects.toMatchObject({
      message:
        'tenant fresh prices its clusters in EUR (cluster solo): pricing in USD would add two currencies together in its accounts and totals',
    });
  });
});
