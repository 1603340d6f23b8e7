/**
 * The ledger store's contract, run on PGlite and on the machine's real PostgreSQL (each in a
 * fresh schema). Concurrency tests run on PostgreSQL only: PGlite has one connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKubetallyError } from '../../src/domain/errors.js';
import { USAGE_FIELDS, addUsage, zeroUsage, type UsageAmounts } from '../../src/domain/usage.js';
import { columnOf } from '../../src/ledger/columns.js';
import { migrate } from '../../src/ledger/migrate.js';
import { MIGRATIONS } from '../../src/ledger/migrations/index.js';
import { createStore, type LedgerStore } from '../../src/ledger/store.js';
import type { ClusterId, GroupKey, PodUsageRow, Step, UsageQuery } from '../../src/ledger/types.js';
import { ENGINES, freshDatabase, type TestDatabase } from '../support/databases.js';
import { collectionSettings } from '../../src/collector/settings.js';

/** A removed cluster's own pod-detail retention, as the collector reads it. */
const podDetailRetentionOf = (collection: unknown) => collectionSettings(collection).podDetailRetention;

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-03-01T22:00:00Z'); // intervals run from here across midnight UTC
const BIG = 10n ** 25n; // beyond 2^64: NUMERIC(38,0) must keep it exact

/** Deterministic, distinct, non-zero amounts for every field. */
function amounts(seed: number): UsageAmounts {
  const u = zeroUsage();
  USAGE_FIELDS.forEach((f, i) => {
    u[f] = BigInt(seed) * 1_000_003n + BigInt(i + 1) * 7_919n;
  });
  u.memoryByteSeconds += BIG;
  return u;
}

const PEOPLE = [
  { owner: 'alice', project: 'fraud', namespace: 'fraud-alice', computeType: 'notebook' },
  { owner: 'alice', project: 'fraud', namespace: 'fraud-alice', computeType: 'job' },
  { owner: 'bob', project: 'fraud', namespace: 'fraud-bob', computeType: 'serving' },
  { owner: 'carol', project: 'churn', namespace: 'churn-carol', computeType: 'job' },
];

function podRows(seed: number): PodUsageRow[] {
  // Two pods per person, so that grouping really sums.
  return PEOPLE.flatMap((p, i) =>
    [0, 1].map((k) => ({
      ...p,
      podUid: `uid-${seed}-${i}-${k}`,
      podName: `${p.owner}-${p.computeType}-${k}`,
      projectId: p.project === 'fraud' ? '17' : '',
      workloadKind: 'Job',
      workloadName: `${p.owner}-${p.computeType}`,
      node: `node-${k}`,
      capacityType: k === 0 ? 'on-demand' : 'spot',
      usage: amounts(seed * 100 + i * 10 + k),
    })),
  );
}

interface Written {
  cluster: string;
  intervalStart: number;
  rows: PodUsageRow[];
}

/** What queryUsage must answer, computed independently from what the test wrote. */
function expected(written: Written[], q: UsageQuery): Map<string, UsageAmounts> {
  const out = new Map<string, UsageAmounts>();
  for (const w of written) {
    if (w.intervalStart < q.from || w.intervalStart >= q.to) continue;
    if (q.cluster !== undefined && w.cluster !== q.cluster) continue;
    for (const r of w.rows) {
      if (q.owner !== undefined && r.owner !== q.owner) continue;
      if (q.project !== undefined && r.project !== q.project) continue;
      const unit = { interval: 1, hour: HOUR, day: DAY, total: 0 }[q.step];
      const start = unit === 0 ? undefined : Math.floor(w.intervalStart / unit) * unit;
      const key = keyOf(groupOf({ cluster: w.cluster, ...r }, q.groupBy), start);
      addUsage(out.get(key) ?? out.set(key, zeroUsage()).get(key)!, r.usage);
    }
  }
  return out;
}

function groupOf(r: Record<string, unknown>, groupBy: GroupKey[]): Partial<Record<GroupKey, string>> {
  return Object.fromEntries(groupBy.map((k) => [k, String(r[k])]));
}

function keyOf(group: Partial<Record<GroupKey, string>>, start: number | undefined): string {
  return JSON.stringify([Object.entries(group).sort(), start ?? null]);
}

async function actual(store: LedgerStore, q: UsageQuery): Promise<Map<string, UsageAmounts>> {
  const rows = await store.queryUsage(q);
  const out = new Map(rows.map((r) => [keyOf(r.group, r.start), r.usage]));
  expect(out.size).toBe(rows.length); // no duplicate groups
  return out;
}

describe.each(ENGINES)('ledger store on %s', (engine) => {
  let t: TestDatabase;
  let store: LedgerStore;
  let east: ClusterId;
  let west: ClusterId;
  const written: Written[] = [];
  /** The cluster's pod detail rows, as stored. */
  const podCount = async (cluster: number) =>
    Number(
      (
        await t.db.query<{ n: unknown }>(
          'SELECT COUNT(*) AS n FROM usage_pod_interval WHERE cluster_id = $1',
          [cluster],
        )
      )[0]?.n,
    );

  beforeAll(async () => {
    t = await freshDatabase(engine);
    store = createStore(t.db);
  });
  afterAll(async () => {
    await t?.dispose();
  });

  it('migrates an empty database, and a second run is a no-op', async () => {
    const latest = MIGRATIONS[MIGRATIONS.length - 1]!.version;
    expect(await migrate(t.db)).toEqual({ applied: MIGRATIONS.map((m) => m.version), version: latest });
    expect(await migrate(t.db)).toEqual({ applied: [], version: latest });
    const rows = await t.db.query<{ n: unknown }>('SELECT COUNT(*) AS n FROM schema_migrations');
    expect(Number(rows[0]?.n)).toBe(MIGRATIONS.length);
  });

  it('has a NUMERIC(38,0) column for every usage field in every usage table', async () => {
    const rows = await t.db.query<{ table_name: string; column_name: string; numeric_precision: unknown }>(
      `SELECT table_name, column_name, numeric_precision FROM information_schema.columns
       WHERE table_schema = current_schema() AND data_type = 'numeric' AND numeric_scale = 0`,
    );
    for (const table of ['usage_pod_interval', 'usage_interval', 'usage_hourly', 'usage_daily']) {
      // Costs (`*_cost_micros`, migration 002) sit beside the usage amounts.
      const columns = rows.filter((r) => r.table_name === table && !r.column_name.endsWith('_cost_micros'));
      expect(columns.map((c) => c.column_name).sort()).toEqual(USAGE_FIELDS.map(columnOf).sort());
      expect(columns.every((c) => Number(c.numeric_precision) === 38)).toBe(true);
    }
  });

  it('registers clusters: create, conflict, get, list, update, remove', async () => {
    const sealed = { keyId: 'k1', nonce: Buffer.alloc(12, 7), ciphertext: Buffer.from([1, 2, 3, 250]) };
    const e = await store.createCluster({
      name: 'east',
      connection: 'kubeconfig',
      kubeconfig: sealed,
      context: 'ctx',
    });
    east = e.id;
    expect(e).toMatchObject({ tenant: 'default', name: 'east', connection: 'kubeconfig', context: 'ctx' });
    expect(e.kubeconfig?.ciphertext.equals(sealed.ciphertext)).toBe(true);
    expect(e.kubeconfig?.nonce.equals(sealed.nonce)).toBe(true);

    await expect(store.createCluster({ name: 'east', connection: 'in-cluster' })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    await expect(
      store.createCluster({ tenant: 'nope', name: 'x', connection: 'in-cluster' }),
    ).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await store.createTenant('acme')).toBe(true);
    expect(await store.createTenant('acme')).toBe(false);
    west = (await store.createCluster({ tenant: 'acme', name: 'west', connection: 'in-cluster' })).id;
    expect(await store.listTenants()).toEqual(['acme', 'default']);
    expect((await store.listClusters()).map((c) => `${c.tenant}/${c.name}`)).toEqual([
      'acme/west',
      'default/east',
    ]);
    expect((await store.listClusters('acme')).map((c) => c.name)).toEqual(['west']);

    const updated = await store.updateCluster(west, { attribution: { owner: ['label:team'] }, context: 'w' });
    expect(updated).toMatchObject({
      attribution: { owner: ['label:team'] },
      context: 'w',
      connection: 'in-cluster',
    });
    expect((await store.getCluster('acme', 'west'))?.attribution).toEqual({ owner: ['label:team'] });
    expect(await store.getCluster('default', 'west')).toBeUndefined();

    const temp = await store.createCluster({ name: 'temp', connection: 'in-cluster' });
    await store.removeCluster(temp.id);
    expect(await store.getClusterById(temp.id)).toBeUndefined();
    await expect(store.removeCluster(temp.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await store.createCluster({ name: 'temp', connection: 'in-cluster' })).id).not.toBe(temp.id);
  });

  it('appends raw observations and reads them back in time order, bigints as strings', async () => {
    await store.recordObservations(east, [
      { time: T0 + 2 * MIN, kind: 'metrics', payload: { cpu: 5n, pods: ['b'] } },
      { time: T0 + MIN, kind: 'summary', payload: { cpu: 123456789012345678901234567n } },
    ]);
    await store.recordObservations(east, [{ time: T0 + 20 * MIN, kind: 'metrics', payload: { late: true } }]);
    const got = await store.readObservations(east, T0, T0 + 15 * MIN);
    expect(got.map(({ time, kind, payload }) => ({ time, kind, payload }))).toEqual([
      { time: T0 + MIN, kind: 'summary', payload: { cpu: '123456789012345678901234567' } },
      { time: T0 + 2 * MIN, kind: 'metrics', payload: { cpu: '5', pods: ['b'] } },
    ]);
    expect(await store.readObservations(west, T0, T0 + HOUR)).toEqual([]);
    // A payload that is bytes already is stored and read back as those bytes.
    const bytes = Buffer.from([0x4b, 0x54, 0x52, 0x31, 0, 255, 7]);
    await store.recordObservations(west, [{ time: T0, kind: 'metrics', payload: bytes }]);
    const [back] = await store.readObservations(west, T0, T0 + MIN);
    expect(Buffer.isBuffer(back?.payload)).toBe(true);
    expect(back?.payload).toEqual(bytes);
    await t.db.query('DELETE FROM raw_observations WHERE cluster_id = $1', [west]);
  });

  it('writes an interval exactly once: the second write changes nothing', async () => {
    const first = {
      clusterId: east,
      intervalStart: T0,
      intervalEnd: T0 + 15 * MIN,
      status: 'complete' as const,
    };
    const rows = podRows(1);
    const w = { ...first, coverage: 1, sampleCount: 15, podRows: rows, gaps: [], errors: [] };
    expect(await store.writeInterval(w)).toEqual({ written: true });
    written.push({ cluster: 'east', intervalStart: T0, rows });
    const q: UsageQuery = { from: T0, to: T0 + DAY, groupBy: ['owner'], step: 'total' };
    const before = await store.queryUsage(q);
    const again = { ...w, podRows: podRows(99), status: 'partial' as const, coverage: 0.5 };
    expect(await store.writeInterval(again)).toEqual({ written: false });
    expect(await store.queryUsage(q)).toEqual(before);
    const run = await store.lastClosedInterval(east);
    expect(run).toMatchObject({
      intervalStart: T0,
      intervalEnd: T0 + 15 * MIN,
      status: 'complete',
      coverage: 1,
    });
    expect(run?.sampleCount).toBe(15);
    // Exact: alice's notebook pods 0 and 1 of seed 1 (amounts 100 and 101).
    const alice = before.find((r) => r.group.owner === 'alice');
    const sum = addUsage(
      addUsage(addUsage(addUsage(zeroUsage(), amounts(100)), amounts(101)), amounts(110)),
      amounts(111),
    );
    expect(alice?.usage).toEqual(sum);
    expect(alice?.usage.memoryByteSeconds).toBe(
      4n * BIG + (100n + 101n + 110n + 111n) * 1_000_003n + 4n * 4n * 7_919n,
    );
  });

  it('refuses intervals that cross an hour and coverage outside 0…1', async () => {
    const base = {
      clusterId: east,
      status: 'complete' as const,
      sampleCount: 0,
      podRows: [],
      gaps: [],
      errors: [],
    };
    const cross = store.writeInterval({
      ...base,
      intervalStart: T0 + 50 * MIN,
      intervalEnd: T0 + 65 * MIN,
      coverage: 1,
    });
    await expect(cross).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    const cov = store.writeInterval({
      ...base,
      intervalStart: T0 + HOUR,
      intervalEnd: T0 + HOUR + 1,
      coverage: 1.5,
    });
    await expect(cov).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('writes many intervals of two clusters across midnight, with gaps', async () => {
    // east: 22:15 … 01:45 every 15 min except 23:30, recorded as a gap; west: 23:00 … 00:45.
    for (let s = T0 + 15 * MIN, i = 2; s < T0 + 4 * HOUR; s += 15 * MIN, i++) {
      const gap = s === T0 + 90 * MIN;
      const rows = gap ? [] : podRows(i);
      const result = await store.writeInterval({
        clusterId: east,
        intervalStart: s,
        intervalEnd: s + 15 * MIN,
        status: gap ? 'gap' : 'complete',
        coverage: gap ? 0 : 1,
        sampleCount: gap ? 0 : 15,
        podRows: rows,
        gaps: gap ? [{ start: s, end: s + 15 * MIN, reason: 'metrics API unavailable (503)' }] : [],
        errors: gap ? [{ kind: 'METRICS_API_UNAVAILABLE', count: 15 }] : [],
      });
      expect(result.written).toBe(true);
      written.push({ cluster: 'east', intervalStart: s, rows });
    }
    for (let s = T0 + HOUR, i = 50; s < T0 + 3 * HOUR; s += 15 * MIN, i++) {
      const rows = podRows(i).slice(0, 3);
      const partial = s === T0 + 2 * HOUR;
      await store.writeInterval({
        clusterId: west,
        intervalStart: s,
        intervalEnd: s + 15 * MIN,
        status: partial ? 'partial' : 'complete',
        coverage: partial ? 0.8 : 1,
        sampleCount: 12,
        podRows: rows,
        gaps: partial ? [{ start: s + 12 * MIN, end: s + 15 * MIN, reason: 'collector down' }] : [],
        errors: [],
      });
      written.push({ cluster: 'west', intervalStart: s, rows });
    }
    expect((await store.lastClosedInterval(west))?.intervalStart).toBe(T0 + 2 * HOUR + 45 * MIN);
    expect((await store.recentRuns(east, 3)).map((r) => r.intervalStart)).toEqual([
      T0 + 3 * HOUR + 45 * MIN,
      T0 + 3 * HOUR + 30 * MIN,
      T0 + 3 * HOUR + 15 * MIN,
    ]);
  });

  it('keeps hourly and daily rollups equal to the sums of their intervals', async () => {
    const sums = USAGE_FIELDS.map((f) => `SUM(${columnOf(f)})::text AS ${columnOf(f)}`).join(', ');
    const keys = 'cluster_id, owner, project, project_id, namespace, compute_type';
    for (const [table, bucket] of [
      ['usage_hourly', `date_trunc('hour', interval_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`],
      ['usage_daily', `(interval_start AT TIME ZONE 'UTC')::date`],
    ] as const) {
      const time = table === 'usage_hourly' ? 'hour' : 'day';
      const fromIntervals = await t.db.query(
        `SELECT ${keys}, ${bucket} AS b, ${sums} FROM usage_interval GROUP BY ${keys}, b ORDER BY ${keys}, b`,
      );
      const rolled = await t.db.query(
        `SELECT ${keys}, ${time} AS b, ${sums} FROM ${table} GROUP BY ${keys}, b ORDER BY ${keys}, b`,
      );
      expect(rolled.length).toBeGreaterThan(3);
      expect(rolled).toEqual(fromIntervals);
    }
    const days = await t.db.query<{ day: unknown }>(
      'SELECT DISTINCT day::text AS day FROM usage_daily ORDER BY 1',
    );
    expect(days.map((d) => d.day)).toEqual(['2026-03-01', '2026-03-02']);
  });

  it('offers human units for Grafana, computed from the exact columns', async () => {
    const rows = await t.db.query<Record<string, unknown>>(
      `SELECT cpu_core_nanos::text AS n, cpu_core_hours, memory_byte_seconds::text AS m, memory_gib_hours,
              pod_millis::text AS p, pod_hours, network_tx_bytes::text AS tx, network_tx_gib
       FROM usage_daily ORDER BY day, owner, namespace, compute_type, cluster_id LIMIT 1`,
    );
    const r = rows[0]!;
    expect(r.cpu_core_hours).toBeCloseTo(Number(r.n) / 3.6e12, 12);
    expect(r.memory_gib_hours).toBeCloseTo(Number(r.m) / (2 ** 30 * 3600), 3);
    expect(r.pod_hours).toBeCloseTo(Number(r.p) / 3.6e6, 12);
    expect(r.network_tx_gib).toBeCloseTo(Number(r.tx) / 2 ** 30, 12);
  });

  const steps: Step[] = ['interval', 'hour', 'day', 'total'];
  const groupings: GroupKey[][] = [
    [],
    ['cluster'],
    ['owner'],
    ['project'],
    ['namespace'],
    ['computeType'],
    ['cluster', 'owner', 'computeType'],
  ];
  const ranges = [
    { name: 'everything', from: T0 - DAY, to: T0 + 2 * DAY },
    { name: 'aligned to hours', from: T0 + HOUR, to: T0 + 3 * HOUR },
    { name: 'unaligned across midnight', from: T0 + 45 * MIN, to: T0 + 2 * HOUR + 15 * MIN },
    { name: 'a whole day and a bit', from: Date.parse('2026-03-01T00:00:00Z'), to: T0 + 3 * HOUR + 30 * MIN },
  ];
  for (const step of steps) {
    for (const range of ranges) {
      it(`queryUsage step=${step} over ${range.name}, every grouping`, async () => {
        for (const groupBy of groupings) {
          const q: UsageQuery = { from: range.from, to: range.to, step, groupBy };
          expect(await actual(store, q)).toEqual(expected(written, q));
        }
      });
    }
  }

  it('queryUsage filters by tenant, cluster, owner and project, and orders by start', async () => {
    const base = { from: T0, to: T0 + DAY, groupBy: ['owner'] as GroupKey[] };
    for (const q of [
      { ...base, step: 'hour' as const, cluster: 'west' },
      { ...base, step: 'total' as const, owner: 'alice' },
      { ...base, step: 'day' as const, project: 'churn', cluster: 'east' },
    ]) {
      expect(await actual(store, q)).toEqual(expected(written, q));
    }
    const acme = await actual(store, { ...base, step: 'total', tenant: 'acme' });
    expect(acme).toEqual(expected(written, { ...base, step: 'total', cluster: 'west' }));
    expect(await store.queryUsage({ ...base, step: 'total', tenant: 'acme', cluster: 'east' })).toEqual([]);
    expect(await store.queryUsage({ ...base, step: 'total', cluster: 'nowhere' })).toEqual([]);
    expect(
      await store.queryUsage({ from: T0 + 10 * DAY, to: T0 + 11 * DAY, step: 'total', groupBy: [] }),
    ).toEqual([]);
    const starts = (await store.queryUsage({ ...base, step: 'interval' })).map((r) => r.start!);
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    expect(new Set(starts).size).toBe(
      written
        .filter((w) => w.rows.length > 0 && w.intervalStart < T0 + DAY)
        .map((w) => w.intervalStart)
        .filter((s, i, a) => a.indexOf(s) === i).length,
    );
  });

  it('refuses an answer of more rows than maxRows, and answers one of as many', async () => {
    const q = { from: T0, to: T0 + DAY, groupBy: ['owner'] as GroupKey[], step: 'interval' as const };
    const all = await store.queryUsage(q);
    expect(all.length).toBeGreaterThan(2);
    expect(await store.queryUsage({ ...q, maxRows: all.length })).toEqual(all);
    await expect(store.queryUsage({ ...q, maxRows: all.length - 1 })).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: `the answer would hold more than ${all.length - 1} rows`,
      hint: expect.stringContaining('coarser step'),
    });
  });

  it('lists the gaps overlapping a range', async () => {
    const all = await store.listGaps({ from: T0, to: T0 + DAY });
    expect(all).toEqual([
      {
        clusterId: east,
        cluster: 'east',
        tenant: 'default',
        start: T0 + 90 * MIN,
        end: T0 + 105 * MIN,
        reason: 'metrics API unavailable (503)',
      },
      {
        clusterId: west,
        cluster: 'west',
        tenant: 'acme',
        start: T0 + 132 * MIN,
        end: T0 + 135 * MIN,
        reason: 'collector down',
      },
    ]);
    expect(await store.listGaps({ from: T0 + 105 * MIN, to: T0 + 132 * MIN })).toEqual([]);
    expect(await store.listGaps({ from: T0 + 104 * MIN, to: T0 + 133 * MIN, cluster: 'west' })).toEqual([
      all[1],
    ]);
    expect(await store.listGaps({ from: T0, to: T0 + DAY, tenant: 'default' })).toEqual([all[0]]);
  });

  it('cleans up raw samples of closed intervals and old pod detail per cluster, keeping the ledger', async () => {
    // east is closed up to 02:00; samples at 01:59 and later than the last closed interval stay.
    const last = T0 + 4 * HOUR;
    await store.recordObservations(east, [
      { time: last - MIN, kind: 'metrics', payload: {} },
      { time: last + MIN, kind: 'metrics', payload: {} },
    ]);
    // A cluster removed since: nothing of its own cleans up after it any more.
    const gone = (await store.createCluster({ name: 'gone', connection: 'in-cluster' })).id;
    const goneRows = podRows(99).slice(0, 2);
    await store.writeInterval({
      clusterId: gone,
      intervalStart: T0,
      intervalEnd: T0 + 15 * MIN,
      status: 'complete',
      coverage: 1,
      sampleCount: 15,
      podRows: goneRows,
      gaps: [],
      errors: [],
    });
    await store.removeCluster(gone);
    const totals = await store.queryUsage({
      from: T0 - DAY,
      to: T0 + 2 * DAY,
      step: 'total',
      groupBy: ['cluster'],
    });
    const options = {
      clusterId: east,
      rawRetentionMs: 30 * MIN,
      podDetailRetentionMs: 14 * DAY,
      openWindowMs: 18 * MIN,
      podDetailRetentionOf,
    };
    // 29 minutes after the close: nothing may go yet.
    const early = await store.cleanup({ ...options, now: last + 29 * MIN });
    // The samples of 22:00–22:20, closed long ago, but for the newest counter sample (22:01), kept
    // for a day to bridge an outage.
    expect(early).toEqual({ rawDeleted: 2, podRowsDeleted: 0 });
    // 30 minutes after: 01:59 is past the retention, but the interval from 02:00 is still open and
    // its window reaches back to it.
    expect(await store.cleanup({ ...options, now: last + 30 * MIN })).toEqual({
      rawDeleted: 0,
      podRowsDeleted: 0,
    });
    const onTime = await store.cleanup({ ...options, now: last + 30 * MIN, openWindowMs: MIN / 2 });
    expect(onTime).toEqual({ rawDeleted: 1, podRowsDeleted: 0 });
    expect((await store.readObservations(east, T0, T0 + DAY)).map((s) => s.time)).toEqual([
      T0 + MIN,
      last + MIN,
    ]);

    const rowsOf = (cluster: string, from: number) =>
      written
        .filter((w) => w.cluster === cluster && w.intervalStart >= from)
        .reduce((n, w) => n + w.rows.length, 0);
    const westBefore = await podCount(west);
    expect(westBefore).toBe(rowsOf('west', 0));
    const cut = await store.cleanup({ ...options, now: T0 + 14 * DAY + HOUR });
    expect(cut).toEqual({
      rawDeleted: 1, // the counter sample, a day old
      // east's old detail, and the removed cluster's.
      podRowsDeleted: rowsOf('east', 0) - rowsOf('east', T0 + HOUR) + goneRows.length,
    });
    expect((await store.readObservations(east, T0, T0 + DAY)).map((s) => s.time)).toEqual([last + MIN]);
    expect(await podCount(east)).toBe(rowsOf('east', T0 + HOUR));
    // Each cluster by its own time: east's cleanup left west's rows (from 23:00) alone, and a
    // west whose clock is a month ahead deletes its own rows only.
    expect(await podCount(west)).toBe(westBefore);
    const westCut = await store.cleanup({ ...options, clusterId: west, now: T0 + 30 * DAY });
    expect(westCut.podRowsDeleted).toBe(westBefore);
    expect(await podCount(east)).toBe(rowsOf('east', T0 + HOUR));
    expect(
      await store.queryUsage({ from: T0 - DAY, to: T0 + 2 * DAY, step: 'total', groupBy: ['cluster'] }),
    ).toEqual(totals);
  });

  it("keeps a removed cluster's pod detail by its own retention, whatever another tenant's cluster keeps", async () => {
    const removedWith = async (tenant: string, name: string, collection: Record<string, unknown>) => {
      const id = (await store.createCluster({ tenant, name, connection: 'in-cluster', collection })).id;
      await store.writeInterval({
        clusterId: id,
        intervalStart: T0,
        intervalEnd: T0 + 15 * MIN,
        status: 'complete',
        coverage: 1,
        sampleCount: 15,
        podRows: podRows(77).slice(0, 2),
        gaps: [],
        errors: [],
      });
      await store.removeCluster(id);
      return id;
    };
    await store.createTenant('acme');
    const acmes = await removedWith('acme', 'gone-acme', {}); // 14 days, acme's own
    const month = await removedWith('default', 'gone-month', { podDetailRetention: '30d' });
    // east keeps one hour of detail and its clock is 20 days on: neither may go yet.
    const options = {
      clusterId: east,
      rawRetentionMs: 30 * MIN,
      podDetailRetentionMs: HOUR,
      openWindowMs: 18 * MIN,
      podDetailRetentionOf,
    };
    await store.cleanup({ ...options, now: T0 + 20 * DAY });
    expect([await podCount(acmes), await podCount(month)]).toEqual([2, 2]);
    // 30 days on, the default tenant's removed cluster's own month is over; acme's detail is
    // acme's clusters' to clean, never the default tenant's.
    expect(await store.cleanup({ ...options, now: T0 + 30 * DAY + HOUR })).toMatchObject({
      podRowsDeleted: 2,
    });
    expect([await podCount(acmes), await podCount(month)]).toEqual([2, 0]);
  });

  it('leases: one holder at a time, renewal, expiry hands over, release', async () => {
    const now = T0;
    expect(await store.acquireLease(east, 'a', 30_000, now)).toBe(true);
    expect(await store.acquireLease(east, 'b', 30_000, now + 1_000)).toBe(false);
    expect(await store.acquireLease(east, 'a', 30_000, now + 1_000)).toBe(true); // re-entrant, extends
    expect(await store.renewLease(east, 'a', 30_000, now + 20_000)).toBe(true); // now until +50 s
    expect(await store.acquireLease(east, 'b', 30_000, now + 49_999)).toBe(false);
    expect(await store.acquireLease(east, 'b', 30_000, now + 50_000)).toBe(true); // expired: b takes it
    expect(await store.renewLease(east, 'a', 30_000, now + 50_001)).toBe(false);
    await store.releaseLease(east, 'a'); // not a's: no effect
    expect(await store.acquireLease(east, 'c', 30_000, now + 50_002)).toBe(false);
    await store.releaseLease(east, 'b');
    expect(await store.acquireLease(east, 'c', 30_000, now + 50_003)).toBe(true);
    expect(await store.acquireLease(west, 'b', 30_000, now + 50_003)).toBe(true); // per cluster
    await expect(store.acquireLease(west, 'b', 0, now)).rejects.toSatisfy((e) =>
      isKubetallyError(e, 'INVALID_ARGUMENT'),
    );
  });

  describe.runIf(engine === 'postgres')('concurrency on PostgreSQL', () => {
    it('two connections race for a lease: exactly one wins; expiry hands it over', async () => {
      const [one, two] = [createStore(t.connect()), createStore(t.connect())];
      const at = T0 + DAY;
      const cluster = (await store.createCluster({ name: 'race', connection: 'in-cluster' })).id;
      for (let round = 0; round < 5; round++) {
        const now = at + round * 60_000;
        const tries = Array.from({ length: 8 }, (_, i) =>
          (i % 2 === 0 ? one : two).acquireLease(cluster, `r${round}-h${i}`, 60_000, now),
        );
        const won = (await Promise.all(tries)).filter(Boolean).length;
        expect(won).toBe(1);
      }
    });

    it('concurrent writes of the same interval from two connections are written once', async () => {
      const [one, two] = [createStore(t.connect()), createStore(t.connect())];
      const cluster = (await store.createCluster({ name: 'twins', connection: 'in-cluster' })).id;
      const at = Date.parse('2026-04-01T00:00:00Z');
      for (let k = 0; k < 6; k++) {
        const s = at + k * 15 * MIN;
        const w = (seed: number) => ({
          clusterId: cluster,
          intervalStart: s,
          intervalEnd: s + 15 * MIN,
          status: 'complete' as const,
          coverage: 1,
          sampleCount: 15,
          podRows: podRows(seed),
          gaps: [],
          errors: [],
        });
        const results = await Promise.all([
          one.writeInterval(w(k)),
          two.writeInterval(w(k)),
          one.writeInterval(w(k)),
        ]);
        expect(results.filter((r) => r.written).length).toBe(1);
      }
      const q: UsageQuery = { from: at, to: at + DAY, step: 'day', groupBy: ['owner'], cluster: 'twins' };
      const once = [0, 1, 2, 3, 4, 5].map((k) => ({
        cluster: 'twins',
        intervalStart: at + k * 15 * MIN,
        rows: podRows(k),
      }));
      expect(await actual(store, q)).toEqual(expected(once, q));
    });

    it('two processes migrating the same fresh schema at once both succeed, once', async () => {
      const other = await freshDatabase('postgres');
      try {
        const results = await Promise.all([
          migrate(other.db),
          migrate(other.connect()),
          migrate(other.connect()),
        ]);
        // Each migration is applied once, by whichever process got to it first.
        expect(results.flatMap((r) => r.applied).sort()).toEqual(MIGRATIONS.map((m) => m.version));
        expect(results.every((r) => r.version === MIGRATIONS[MIGRATIONS.length - 1]!.version)).toBe(true);
      } finally {
        await other.dispose();
      }
    });
  });
});
