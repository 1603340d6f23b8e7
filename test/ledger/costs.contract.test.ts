/**
 * Costs, idle, management, credits and price sheet history in the ledger, on PGlite and on real
 * PostgreSQL. Expected costs come from the pure pricing (tested on its own against hand-computed
 * figures); here the point is that the ledger stores them beside usage, in the same transaction,
 * exactly once, and that the stored rows conserve the cluster's cost to the micro-unit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKubetallyError } from '../../src/domain/errors.js';
import { migrate } from '../../src/ledger/migrate.js';
import { createStore, type LedgerStore } from '../../src/ledger/store.js';
import type { ClusterId, IntervalWrite, NodeIntervalRow, PodUsageRow } from '../../src/ledger/types.js';
import { defaultPriceSheet, parsePriceSheet } from '../../src/pricing/price-sheet.js';
import { priceInterval } from '../../src/pricing/price-interval.js';
import { ENGINES, freshDatabase, type TestDatabase } from '../support/databases.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.parse('2026-03-02T22:00:00Z');
const GiB = 1n << 30n;
const CORE_NS_PER_MS = 1_000_000n; // one core for one millisecond

const nodes = (ms: bigint): NodeIntervalRow[] => [
  {
    node: 'n1',
    instanceType: 'm5.large',
    capacityType: 'on-demand',
    millis: ms,
    cpuAllocatableCoreNanos: 2n * CORE_NS_PER_MS * ms,
    memoryAllocatableByteSeconds: (8n * GiB * ms) / 1000n,
    gpuAllocatableMillis: 0n,
  },
  {
    node: 's1',
    instanceType: 'm5.large',
    capacityType: 'spot',
    millis: ms,
    cpuAllocatableCoreNanos: 2n * CORE_NS_PER_MS * ms,
    memoryAllocatableByteSeconds: (8n * GiB * ms) / 1000n,
    gpuAllocatableMillis: 0n,
  },
];

function rows(i: number, ms: bigint): PodUsageRow[] {
  const k = BigInt(i + 1);
  const pod = (
    owner: string,
    node: string,
    cores: bigint,
    extra: Partial<PodUsageRow> = {},
  ): PodUsageRow => ({
    podUid: `${owner}-${node}`,
    namespace: `proj-${owner}`,
    podName: `${owner}-nb-0`,
    workloadKind: 'StatefulSet',
    workloadName: `${owner}-nb`,
    owner,
    project: 'proj',
    computeType: 'notebook',
    node,
    capacityType: node === 's1' ? 'spot' : 'on-demand',
    usage: {
      cpuCoreNanos: (cores * CORE_NS_PER_MS * ms) / 10n,
      cpuRequestCoreNanos: cores * CORE_NS_PER_MS * ms,
      cpuMaxCoreNanos: cores * CORE_NS_PER_MS * ms + k,
      memoryByteSeconds: (GiB * ms) / 1000n,
      memoryRequestByteSeconds: (2n * GiB * ms) / 1000n,
      memoryMaxByteSeconds: (2n * GiB * ms) / 1000n + k * 7n,
      podMillis: ms,
      networkTxBytes: k * 12_345_678n,
    },
    ...extra,
  });
  return [
    pod('alice', 'n1', 1n),
    pod('bob', 's1', 1n),
    pod('bob', 'n1', 0n, {
      podUid: 'bob-2',
      podName: 'bob-job',
      computeType: 'job',
      workloadName: 'bob-job',
    }),
    {
      podUid: 'pvc:proj-alice/data',
      namespace: 'proj-alice',
      podName: 'data',
      owner: 'alice',
      project: 'proj',
      computeType: 'other',
      usage: { storageByteSeconds: (100n * GiB * ms) / 1000n },
      storageByClass: { gp3: (100n * GiB * ms) / 1000n },
    },
    {
      podUid: 'svc:kube-system/ingress',
      namespace: 'kube-system',
      podName: 'ingress',
      owner: '__unowned__',
      project: 'kube-system',
      computeType: 'other',
      usage: { loadBalancerMillis: ms },
    },
  ];
}

function write(clusterId: ClusterId, start: number, i: number): IntervalWrite {
  const ms = BigInt(15 * MIN);
  return {
    clusterId,
    intervalStart: start,
    intervalEnd: start + 15 * MIN,
    status: 'complete',
    coverage: 1,
    sampleCount: 15,
    podRows: rows(i, ms),
    nodes: nodes(ms),
    gaps: [],
    errors: [],
  };
}

const num = (v: unknown) => BigInt(String(v));

describe.each(ENGINES)('costs in the ledger on %s', (engine) => {
  let t: TestDatabase;
  let store: LedgerStore;
  let east: ClusterId;
  const written: IntervalWrite[] = [];

  beforeAll(async () => {
    t = await freshDatabase(engine);
    await migrate(t.db);
    store = createStore(t.db);
    east = (await store.createCluster({ name: 'east', connection: 'in-cluster' })).id;
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('writes each row’s costs beside its usage, __idle__ rows and the interval totals', async () => {
    for (let i = 0; i < 12; i++) {
      const w = write(east, T0 + i * 15 * MIN, i);
      expect(await store.writeInterval(w)).toEqual({ written: true });
      written.push(w);
    }
    const w = written[0]!;
    const priced = priceInterval(w, defaultPriceSheet());
    const stored = await t.db.query<Record<string, unknown>>(
      `SELECT pod_uid, total_cost_micros::text AS total, cpu_cost_micros::text AS cpu FROM usage_pod_interval
       WHERE cluster_id = $1 AND interval_start = $2::timestamptz ORDER BY pod_uid`,
      [east, new Date(w.intervalStart).toISOString()],
    );
    const expected = w.podRows.map((r, i) => ({
      pod_uid: r.podUid,
      total: priced.rowCosts[i]!.totalCost.toString(),
    }));
    for (const idle of priced.idle)
      expected.push({ pod_uid: `__idle__:${idle.capacityType}`, total: idle.cost.totalCost.toString() });
    expect(stored.map((r) => ({ pod_uid: r.pod_uid, total: r.total }))).toEqual(
      expected.sort((a, b) => (a.pod_uid < b.pod_uid ? -1 : 1)),
    );
    expect(priced.idle.length).toBe(2);
    const totals = await t.db.query<Record<string, unknown>>(
      `SELECT management_cost_micros AS m, total_cost_micros AS total, node_cost_micros AS node, basis, currency,
         capacity_known, unpriced_instance_types FROM interval_costs WHERE cluster_id = $1 AND interval_start = $2::timestamptz`,
      [east, new Date(w.intervalStart).toISOString()],
    );
    expect(totals[0]).toMatchObject({
      basis: 'max',
      currency: 'USD',
      capacity_known: true,
      unpriced_instance_types: ['m5.large'],
    });
    expect(num(totals[0]!.m)).toBe(25_000n);
    expect(num(totals[0]!.total)).toBe(priced.totalCost);
    expect(num(totals[0]!.node)).toBe(priced.nodeCost);
    const nodeRows = await t.db.query<{ n: unknown }>(
      'SELECT COUNT(*) AS n FROM node_interval WHERE cluster_id = $1',
      [east],
    );
    expect(Number(nodeRows[0]!.n)).toBe(24);
  });

  it('conserves every interval: rows + __idle__ + management = cluster cost, in the stored tables', async () => {
    const check = await t.db.query<Record<string, unknown>>(
      `SELECT i.interval_start, i.total_cost_micros::text AS total,
         (SELECT SUM(u.total_cost_micros) FROM usage_interval u WHERE u.cluster_id = i.cluster_id
            AND u.interval_start = i.interval_start) + i.management_cost_micros AS sum
       FROM interval_costs i WHERE i.cluster_id = $1 ORDER BY 1`,
      [east],
    );
    expect(check.length).toBe(12);
    for (const r of check) expect(num(r.sum)).toBe(num(r.total));
    // Rollups keep costs equal to the sum of their intervals.
    for (const table of ['usage_hourly', 'usage_daily']) {
      const [a, b] = await Promise.all([
        t.db.query<{ s: unknown }>(`SELECT SUM(total_cost_micros) AS s FROM ${table} WHERE cluster_id = $1`, [
          east,
        ]),
        t.db.query<{ s: unknown }>(
          `SELECT SUM(total_cost_micros) AS s FROM usage_interval WHERE cluster_id = $1`,
          [east],
        ),
      ]);
      expect(num(a[0]!.s)).toBe(num(b[0]!.s));
    }
    const human = await t.db.query<Record<string, unknown>>(
      `SELECT total_cost, total_cost_micros::text AS m FROM usage_daily WHERE cluster_id = $1 LIMIT 1`,
      [east],
    );
    expect(human[0]!.total_cost).toBeCloseTo(Number(human[0]!.m) / 1e6, 9);
  });

  it('queries costs by any grouping and per-cluster totals that add up', async () => {
    const from = T0;
    const to = T0 + 3 * HOUR;
    const byOwner = await store.queryCosts({ from, to, groupBy: ['owner'], step: 'total' });
    expect(byOwner.map((r) => r.group.owner)).toEqual(['__idle__', '__unowned__', 'alice', 'bob']);
    const byDay = await store.queryCosts({ from, to, groupBy: ['cluster', 'computeType'], step: 'day' });
    expect(await store.queryCosts({ from, to, groupBy: ['owner'], step: 'total', maxRows: 4 })).toEqual(
      byOwner,
    );
    await expect(
      store.queryCosts({ from, to, groupBy: ['owner'], step: 'total', maxRows: 3 }),
    ).rejects.toThrow('the answer would hold more than 3 rows');
    const sum = (xs: { cost: { totalCost: bigint } }[]) => xs.reduce((s, r) => s + r.cost.totalCost, 0n);
    expect(sum(byDay)).toBe(sum(byOwner));
    const [totals] = await store.clusterCostTotals({ from, to });
    const expectedTotal = written.reduce((s, w) => s + priceInterval(w, defaultPriceSheet()).totalCost, 0n);
    expect(totals).toMatchObject({
      cluster: 'east',
      intervals: 12,
      currencies: ['USD'],
      totalCost: expectedTotal,
    });
    expect(totals!.allocated.totalCost + totals!.idleCost + totals!.managementCost).toBe(totals!.totalCost);
    expect(totals!.managementCost).toBe(12n * 25_000n);
    expect(totals!.unpricedInstanceTypes).toEqual(['m5.large']);
  });

  it('debits each owner once per interval, in the interval’s transaction; balances add up', async () => {
    const costOf = (owner: string) =>
      written.reduce((s, w) => {
        const p = priceInterval(w, defaultPriceSheet());
        return s + w.podRows.reduce((x, r, i) => x + (r.owner === owner ? p.rowCosts[i]!.totalCost : 0n), 0n);
      }, 0n);
    // Writing the same intervals again (retries, a second collector) debits nothing more.
    for (const w of written) expect(await store.writeInterval(w)).toEqual({ written: false });
    const top = await store.addCredit('default', 'alice', {
      amountMicros: 50_000_000n,
      reason: 'invoice 1',
      idempotencyKey: 'inv-1',
    });
    expect(top.created).toBe(true);
    const retry = await store.addCredit('default', 'alice', {
      amountMicros: 50_000_000n,
      reason: 'invoice 1',
      idempotencyKey: 'inv-1',
    });
    expect(retry).toMatchObject({ created: false, entry: { id: top.entry.id } });
    // The same key for another credit, or one of kubetally's own debit keys: refused, nothing added.
    for (const [owner, amountMicros, conflict] of [
      ['alice', 5_000_000n, /different credit/],
      ['bob', 50_000_000n, /another account/],
    ] as const) {
      await expect(
        store.addCredit('default', owner, { amountMicros, reason: 'invoice 1', idempotencyKey: 'inv-1' }),
      ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringMatching(conflict) });
    }
    // Keys are a tenant's own: another tenant may use the same one, and learns nothing of it.
    await store.createTenant('acme');
    const theirs = await store.addCredit('acme', 'alice', {
      amountMicros: 7_000_000n,
      reason: 'their invoice 1',
      idempotencyKey: 'inv-1',
    });
    expect(theirs.created).toBe(true);
    expect((await store.getAccount('acme', 'alice'))?.balanceMicros).toBe(7_000_000n);
    const [someDebit] = await t.db.query<{ idempotency_key: string }>(
      `SELECT idempotency_key FROM credit_entries WHERE kind = 'debit' LIMIT 1`,
    );
    await expect(
      store.addCredit('default', 'alice', {
        amountMicros: 1_000_000n,
        reason: 'x',
        idempotencyKey: someDebit!.idempotency_key,
      }),
    ).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/"debit:"/) });
    const alice = await store.getAccount('default', 'alice');
    expect(alice?.balanceMicros).toBe(50_000_000n - costOf('alice'));
    expect((await store.getAccount('default', 'bob'))?.balanceMicros).toBe(-costOf('bob'));
    expect(await store.getAccount('default', '__unowned__')).toBeUndefined();
    expect(await store.getAccount('default', '__idle__')).toBeUndefined();
    const history = await store.creditHistory('default', 'alice');
    expect(history.length).toBe(13);
    expect(history[0]).toMatchObject({
      kind: 'top-up',
      reason: 'invoice 1',
      balanceAfterMicros: alice!.balanceMicros,
    });
    expect(
      history.filter((e) => e.kind === 'debit').every((e) => e.clusterId === east && e.amountMicros < 0n),
    ).toBe(true);
    const debits = await t.db.query<{ n: unknown; k: unknown }>(
      `SELECT COUNT(*) AS n, COUNT(DISTINCT idempotency_key) AS k FROM credit_entries WHERE kind = 'debit'`,
    );
    expect(Number(debits[0]!.n)).toBe(24);
    expect(Number(debits[0]!.k)).toBe(24);
  });

  it('accounts: low-balance threshold, external ids (unique), validation', async () => {
    const a = await store.updateAccount('default', 'alice', {
      lowBalanceMicros: 60_000_000n,
      externalId: 'auth0|alice',
    });
    expect(a).toMatchObject({ externalId: 'auth0|alice', lowBalance: true });
    expect((await store.accountByExternalId('default', 'auth0|alice'))?.owner).toBe('alice');
    const err = await store
      .updateAccount('default', 'bob', { externalId: 'auth0|alice' })
      .catch((e: unknown) => e);
    expect(isKubetallyError(err, 'CONFLICT')).toBe(true);
    await expect(store.addCredit('default', 'bob', { amountMicros: -1n, reason: 'x' })).rejects.toThrow(
      /positive/,
    );
    await expect(store.addCredit('default', 'bob', { amountMicros: 1n, reason: ' ' })).rejects.toThrow(
      /reason/,
    );
    const adj = await store.addCredit('default', 'bob', {
      amountMicros: -5n,
      reason: 'rounding',
      kind: 'adjustment',
    });
    expect(adj.entry.kind).toBe('adjustment');
    expect((await store.listAccounts('default')).map((x) => x.owner)).toEqual(['alice', 'bob']);
  });

  it('price sheets: a change takes effect from an unbilled time and never reprices the past', async () => {
    const billed = T0 + 12 * 15 * MIN;
    const err = await store
      .setClusterPriceSheet(east, { effectiveFrom: new Date(T0).toISOString(), cpuCoreHour: 1 })
      .catch((e: unknown) => e);
    expect(isKubetallyError(err, 'CONFLICT')).toBe(true);
    await expect(store.setClusterPriceSheet(east, { cpuCoreHour: -1 })).rejects.toThrow(
      /cpuCoreHour: must not be negative/,
    );
    const set = await store.setClusterPriceSheet(east, {
      cpuCoreHour: '0.05',
      basis: 'request',
      nodes: { 'm5.large': { hour: 0.096 } },
    });
    expect(set.effectiveFrom).toBe(billed);
    const later = write(east, billed, 12);
    await store.writeInterval(later);
    const sheet = parsePriceSheet({
      cpuCoreHour: '0.05',
      basis: 'request',
      nodes: { 'm5.large': { hour: 0.096 } },
    });
    const p = priceInterval(later, sheet);
    const stored = await t.db.query<{ total: unknown; basis: string; sheet: unknown }>(
      `SELECT total_cost_micros AS total, basis, price_sheet_id AS sheet FROM interval_costs
       WHERE cluster_id = $1 ORDER BY interval_start DESC LIMIT 2`,
      [east],
    );
    expect(stored.map((r) => [num(r.total), r.basis, r.sheet === null ? null : Number(r.sheet)])).toEqual([
      [p.totalCost, 'request', set.id],
      [priceInterval(written[11]!, defaultPriceSheet()).totalCost, 'max', null],
    ]);
    // A change of basis alone keeps the prices of the sheet in force.
    const next = await store.setClusterPriceSheet(east, {
      basis: 'usage',
      effectiveFrom: new Date(billed + HOUR).toISOString(),
    });
    expect(next.sheet).toMatchObject({
      basis: 'usage',
      onDemand: { cpu: 50_000_000_000n },
      nodes: { 'm5.large': { hour: 96_000_000_000n } },
    });
    expect((await store.listClusterPriceSheets(east)).map((s) => s.effectiveFrom)).toEqual([
      billed,
      billed + HOUR,
    ]);
    await expect(store.setClusterPriceSheet(east, 'cheap')).rejects.toThrow(/a price sheet is a JSON object/);
    expect((await store.clusterSheetAt(east, billed - 1)).priceSheetId).toBeNull();
  });

  it('a change holds in the sheets set earlier for later times, but for the values they set', async () => {
    const sheets = await store.listClusterPriceSheets(east);
    const atHour = sheets[sheets.length - 1]!.effectiveFrom; // basis usage, set in the test above
    // Scheduled first: from six hours on, CPU at 0.07 and m5.large at 0.2.
    const scheduled = await store.setClusterPriceSheet(east, {
      effectiveFrom: new Date(atHour + 5 * HOUR).toISOString(),
      cpuCoreHour: '0.07',
      nodes: { 'm5.large': { hour: '0.2' } },
    });
    // Then a change from now on (the end of what is billed).
    const now = await store.setClusterPriceSheet(east, {
      memoryGiBHour: '0.01',
      cpuCoreHour: '0.06',
      basis: 'max',
      nodes: { 'm5.large': { hour: '0.1' }, 'c5.large': { hour: '0.085' } },
    });
    expect(now.effectiveFrom).toBeLessThan(atHour);
    const byTime = new Map((await store.listClusterPriceSheets(east)).map((x) => [x.effectiveFrom, x.sheet]));
    // The sheet from the hour set its basis (usage) and kept the rest: the change holds there but
    // for the basis. It used to end there: memory back at 0.004237, CPU at 0.05, no c5.large.
    expect(byTime.get(atHour)).toMatchObject({
      basis: 'usage',
      onDemand: { cpu: 60_000_000_000n, memory: 10_000_000_000n },
      nodes: { 'm5.large': { hour: 100_000_000_000n }, 'c5.large': { hour: 85_000_000_000n } },
    });
    // The scheduled sheet keeps its own CPU and m5.large prices, and takes the new memory price.
    expect(byTime.get(scheduled.effectiveFrom)).toMatchObject({
      basis: 'usage',
      onDemand: { cpu: 70_000_000_000n, memory: 10_000_000_000n },
      nodes: { 'm5.large': { hour: 200_000_000_000n }, 'c5.large': { hour: 85_000_000_000n } },
    });
  });

  it('keeps per-workload daily distributions for savings', async () => {
    const days = await store.workloadDays(east, { from: T0 - 86_400_000, to: T0 + 2 * 86_400_000 });
    const alice = days.filter((d) => d.workloadName === 'alice-nb');
    // 22:00–01:15 crosses midnight: two UTC days, 8 + 5 intervals of 15 minutes.
    expect(alice.map((d) => d.podMillis)).toEqual([8n * 15n * 60_000n, 5n * 15n * 60_000n]);
    // 0.1 core used on average → 100 millicores; requested 1 core.
    expect(alice[0]!.cpuMillicoresHistogram).toEqual({ '100': 8n * 15n * 60_000n });
    expect(alice[0]!.memoryPeakBytes).toBe(GiB);
  });

  describe.runIf(engine === 'postgres')('concurrency on PostgreSQL', () => {
    it('two collectors writing the same intervals at once debit each interval once', async () => {
      const west = (await store.createCluster({ name: 'west', connection: 'in-cluster' })).id;
      const a = createStore(t.connect());
      const b = createStore(t.connect());
      const ws = Array.from({ length: 8 }, (_, i) => write(west, T0 + i * 15 * MIN, i));
      const results = await Promise.all([
        Promise.all(ws.map((w) => a.writeInterval(w))),
        Promise.all(ws.map((w) => b.writeInterval(w))),
      ]);
      const wins = results.flat().filter((r) => r.written).length;
      expect(wins).toBe(8);
      const debits = await t.db.query<{ n: unknown }>(
        `SELECT COUNT(*) AS n FROM credit_entries WHERE cluster_id = $1 AND kind = 'debit'`,
        [west],
      );
      expect(Number(debits[0]!.n)).toBe(16);
    });
  });
});
