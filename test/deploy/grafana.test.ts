/**
 * The Grafana dashboards in deploy/grafana: every SQL query (with Grafana's macros and variables
 * put in as Grafana would) runs on the real PostgreSQL over a ledger of three collected hours of
 * the `demo` simulator, and its figures equal the API's; every Prometheus query names metrics
 * that kubetally's /metrics really exposes, and promtool evaluates them over two replicas' series.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { clusterCostsView } from '../../src/app/cluster-costs-view.js';
import { costsView } from '../../src/app/costs-view.js';
import { startRig, type Rig } from '../support/collection.js';
import { exposedMetricNames, metricNamesIn } from '../support/metric-names.js';

interface Panel {
  id: number;
  title: string;
  targets: { rawSql?: string; expr?: string }[];
  fieldConfig?: { defaults?: { unit?: string } };
}
interface Dashboard {
  panels: Panel[];
  templating: {
    list: {
      name: string;
      type: string;
      query: string | { query: string };
      multi?: boolean;
      includeAll?: boolean;
    }[];
  };
}

const read = (name: string) =>
  JSON.parse(readFileSync(new URL(`../../deploy/grafana/${name}`, import.meta.url), 'utf8')) as Dashboard;
const ledger = read('kubetally-ledger.json');
const service = read('kubetally-service.json');
/** The variables that query the data source (the `datasource` ones pick it: grafana-provisioning.test.ts). */
const queryVariables = (d: Dashboard) => d.templating.list.filter((v) => v.type === 'query');

const HOUR = 3_600_000;
let rig: Rig;
let from: number;
let to: number;

/** Grafana's PostgreSQL macros and `${var:sqlstring}` variables, as Grafana expands them. */
function expand(sql: string, vars = { tenant: "'default'", cluster: "'sim'" }, range = { from, to }): string {
  const iso = (t: number) => `'${new Date(t).toISOString()}'`;
  const out = sql
    .replace(
      /\$__timeFilter\(([^)]+)\)/g,
      (_m, col: string) => `${col} BETWEEN ${iso(range.from)} AND ${iso(range.to)}`,
    )
    .replaceAll('$__timeFrom()', iso(range.from))
    .replaceAll('$__timeTo()', iso(range.to))
    .replaceAll('${tenant:sqlstring}', vars.tenant)
    .replaceAll('${cluster:sqlstring}', vars.cluster);
  expect(out, 'a macro or variable the test does not know').not.toMatch(/\$/);
  return out;
}

async function panelRows(id: number, range = { from, to }): Promise<Record<string, unknown>[]> {
  const p = ledger.panels.find((x) => x.id === id)!;
  return rig.ctx.db.query(expand(p.targets[0]!.rawSql!, undefined, range));
}

describe('Grafana dashboards', () => {
  beforeAll(async () => {
    rig = await startRig({ scenario: 'demo', engine: 'postgres' });
    await rig.collectUntil(rig.t0 + 3 * HOUR, 60_000);
    // Whole UTC days around the collected hours.
    from = Math.floor(rig.t0 / (24 * HOUR)) * 24 * HOUR;
    to = from + 2 * 24 * HOUR - 1;
  }, 240_000);

  afterAll(async () => {
    await rig?.close();
  });

  it('runs every SQL query and variable of the ledger dashboard on PostgreSQL', async () => {
    for (const v of queryVariables(ledger)) {
      const rows = await rig.ctx.db.query<{ name: string }>(expand(v.query as string));
      expect(rows.length, v.name).toBeGreaterThan(0);
    }
    for (const p of ledger.panels) {
      const rows = await rig.ctx.db.query(expand(p.targets[0]!.rawSql!));
      if (p.title !== 'Gaps') expect(rows.length, p.title).toBeGreaterThan(0);
    }
  });

  // A tenant without clusters gives the cluster variable no value, which Grafana expands to
  // nothing: every query must still run (and find nothing), not fail on `IN ()`.
  it('runs every query with a variable that has no value', async () => {
    // Nothing found: no row, or an aggregate's one row of null (SUM) or 0 (COUNT).
    const empty = (rows: Record<string, unknown>[]) =>
      rows.flatMap((r) => Object.values(r)).filter((v) => v !== null && Number(v) !== 0);
    for (const sql of [
      ...queryVariables(ledger).map((v) => v.query as string),
      ...ledger.panels.map((p) => p.targets[0]!.rawSql!),
    ]) {
      const rows = await rig.ctx.db.query<Record<string, unknown>>(
        expand(sql, { tenant: "'default'", cluster: '' }),
      );
      if (sql.includes('${cluster:sqlstring}')) expect(empty(rows), sql).toEqual([]);
      if (sql.includes(':sqlstring}'))
        expect(empty(await rig.ctx.db.query(expand(sql, { tenant: '', cluster: '' }))), sql).toEqual([]);
    }
  });

  it('shows the cluster cost, idle cost and costs per owner that the API answers', async () => {
    const view = await clusterCostsView(rig.ctx.store, { from, to });
    const [cost] = await panelRows(1);
    const [idle] = await panelRows(2);
    expect(Number(cost!.cost)).toBeCloseTo(view.clusters[0]!.totalCost, 6);
    expect(Number(idle!.idle)).toBeCloseTo(view.clusters[0]!.idleCost, 6);
    const owners = await costsView(rig.ctx.store, { from, to: to + 1, groupBy: ['owner'], step: 'total' });
    const perDay = await panelRows(5);
    for (const row of owners.rows) {
      const sum = perDay.filter((r) => r.metric === row.owner).reduce((s, r) => s + Number(r.cost), 0);
      expect(sum, String(row.owner)).toBeCloseTo(row.totalCost, 5);
    }
    const table = await panelRows(8);
    expect(table.map((r) => r.owner).sort()).toEqual(owners.rows.map((r) => r.owner).sort());
  });

  // Grafana's usual ranges (the last 24 hours, the last 7 days) start and end inside a day and an
  // interval. The owners' panels summed whole UTC days of usage_daily, so over the last 24 hours
  // they counted up to two days while the cluster cost beside them counted one: every panel now
  // counts the intervals whose start lies in [from, to), as the API does.
  it('counts, for a range that cuts days and intervals, the intervals the API counts', async () => {
    const range = { from: rig.t0 + 37 * 60_000, to: rig.t0 + 2 * HOUR + 10 * 60_000 };
    const view = await clusterCostsView(rig.ctx.store, range);
    const owners = await costsView(rig.ctx.store, { ...range, groupBy: ['owner'], step: 'total' });
    // The intervals starting at 0:45, 1:00, 1:15, 1:30, 1:45 and 2:00 after t0 (on the hour).
    expect(view.clusters[0]!.intervals).toBe(6);
    const [cost] = await panelRows(1, range);
    const [idle] = await panelRows(2, range);
    const [gpu] = await panelRows(4, range);
    expect(Number(cost!.cost)).toBeCloseTo(view.clusters[0]!.totalCost, 6);
    expect(Number(idle!.idle)).toBeCloseTo(view.clusters[0]!.idleCost, 6);
    expect(Number(gpu!.gpu_hours)).toBeCloseTo(
      owners.rows.reduce((s, r) => s + r.gpuHours, 0),
      6,
    );
    const table = await panelRows(8, range);
    const perDay = await panelRows(5, range);
    expect(table.map((r) => r.owner).sort()).toEqual(owners.rows.map((r) => r.owner).sort());
    for (const row of owners.rows) {
      const mine = table.find((r) => r.owner === row.owner)!;
      expect(Number(mine.cost), String(row.owner)).toBeCloseTo(row.totalCost, 6);
      expect(Number(mine.cpu_core_hours), String(row.owner)).toBeCloseTo(row.cpuCoreHours, 6);
      expect(Number(mine.memory_gib_hours), String(row.owner)).toBeCloseTo(row.memoryGiBHours, 6);
      const days = perDay.filter((r) => r.metric === row.owner);
      expect(
        days.reduce((s, r) => s + Number(r.cost), 0),
        String(row.owner),
      ).toBeCloseTo(row.totalCost, 6);
    }
  });

  // A range of whole hours or days ends on an hour and an interval: the hourly and per-node panels
  // filtered with $__timeFilter (BETWEEN, `to` included) drew the hour and the interval starting at
  // `to` as well, 25 hours for a day, where the API and the other panels count [from, to).
  it('draws the hours and intervals that start in [from, to), none at to', async () => {
    const byTitle = (title: string) => ledger.panels.find((p) => p.title === title)!.id;
    const range = { from: Math.ceil(rig.t0 / HOUR) * HOUR, to: Math.ceil(rig.t0 / HOUR) * HOUR + HOUR };
    const owners = await costsView(rig.ctx.store, { ...range, groupBy: ['owner'], step: 'total' });
    const coreHours = owners.rows.reduce((s, r) => s + r.cpuCoreHours, 0);
    const hours = await panelRows(6, range);
    const cpu = await panelRows(byTitle('CPU millicores used per node'), range);
    const memory = await panelRows(byTitle('Memory MiB used per node'), range);
    const times = (rows: Record<string, unknown>[]) =>
      [...new Set(rows.map((r) => (r.time as Date).getTime()))].sort();
    expect(times(hours)).toEqual([range.from]);
    const quarters = [0, 1, 2, 3].map((q) => range.from + q * 15 * 60_000);
    expect(times(cpu)).toEqual(quarters);
    expect(times(memory)).toEqual(quarters);
    expect(hours.reduce((s, r) => s + Number(r.cores), 0)).toBeCloseTo(coreHours, 6);
    expect(cpu.reduce((s, r) => s + Number(r.cpu_millicores), 0) * 0.25e-3).toBeCloseTo(coreHours, 6);
  });

  // Seed 004's per-node panels (node_metrics): each interval's mean over its 15 minutes, so
  // summed over nodes and intervals they give the cluster's core-hours and GiB-hours.
  it('shows CPU and memory per node that add up to the cluster per hour', async () => {
    const byTitle = (title: string) => ledger.panels.find((p) => p.title === title)!.id;
    const cpu = await panelRows(byTitle('CPU millicores used per node'));
    const memory = await panelRows(byTitle('Memory MiB used per node'));
    expect(new Set(cpu.map((r) => r.metric))).toEqual(
      new Set(['sim/cpu-1', 'sim/cpu-2', 'sim/gpu-0', 'sim/spot-0']),
    );
    const sum = (rows: Record<string, unknown>[], col: string) =>
      rows.reduce((s, r) => s + Number(r[col]), 0);
    expect((sum(cpu, 'cpu_millicores') * 0.25) / 1000).toBeCloseTo(sum(await panelRows(6), 'cores'), 6);
    expect((sum(memory, 'memory_mb') * 0.25) / 1024).toBeCloseTo(sum(await panelRows(7), 'gib'), 6);
  });

  // The ledger's costs are in each tenant's currency (a tenant's clusters share one; tenants may
  // differ), and two tenants may each have an owner `alice`: the API refuses to add currencies and
  // keeps tenants apart. The panels sum by owner and over clusters, so they read one tenant at a
  // time, and name no currency of their own.
  it('reads one tenant at a time and assumes no currency', () => {
    const tenant = ledger.templating.list.find((v) => v.name === 'tenant')!;
    expect({ multi: tenant.multi, includeAll: tenant.includeAll }).toEqual({
      multi: false,
      includeAll: false,
    });
    const units = ledger.panels.map((p) => p.fieldConfig?.defaults?.unit ?? '');
    expect(units.filter((u) => u.startsWith('currency'))).toEqual([]);
  });

  // kubetally_cost is in its tenant's currency, and owners and clusters are names within a tenant
  // (api.md: sum it by tenant): a sum of the service dashboard keeps tenants apart.
  it('sums Prometheus series by tenant as well as by owner or cluster', () => {
    const sums = service.panels.flatMap((p) =>
      p.targets.flatMap((t) => t.expr!.match(/sum by \(([^)]*)\)/g) ?? []),
    );
    expect(sums.length).toBeGreaterThan(2);
    for (const s of sums) expect(s).toMatch(/\btenant\b/);
  });

  it('gives every service panel a unit, and none a currency', () => {
    const units = service.panels.map((p) => [p.title, p.fieldConfig?.defaults?.unit ?? ''] as const);
    expect(units.filter(([, u]) => u === '' || u.startsWith('currency'))).toEqual([]);
  });

  // Replicas on one database each expose the ledger's series (the same values, read from it) under
  // their own instance label, and a replica that lost a cluster's lease keeps its last success:
  // the panels summed every replica (two replicas, twice the cost) and drew the old success too.
  it("counts each ledger series once over two replicas' scrapes (promtool)", (context) => {
    if (spawnSync('promtool', ['--version']).status !== 0) {
      context.skip('promtool is not installed (Debian package prometheus); .ci/run installs it');
    }
    const expr = (id: number) =>
      service.panels
        .find((p) => p.id === id)!
        .targets[0]!.expr!.replaceAll('$tenant', '.*')
        .replaceAll('$cluster', '.*');
    const twice = (series: string, values: string) =>
      ['r1', 'r2'].map((r) => ({ series: series.replace('{', `{instance="${r}",`), values }));
    const cluster = '{tenant="t",cluster="a"}';
    const owner = '{tenant="t",cluster="a",owner="alice",project="p"}';
    const tests = {
      rule_files: [],
      evaluation_interval: '1m',
      tests: [
        {
          interval: '15m',
          input_series: [
            // r1 read the cluster at 0 only; r2 every 15 minutes since.
            {
              series: `kubetally_collection_last_success_timestamp_seconds{instance="r1",tenant="t",cluster="a"}`,
              values: '0x8',
            },
            {
              series: `kubetally_collection_last_success_timestamp_seconds{instance="r2",tenant="t",cluster="a"}`,
              values: '0+900x8',
            },
            ...twice(`kubetally_gaps_last_day${cluster}`, '2x8'),
            // 2 an hour, and 900 core-seconds each 15 minutes: one core.
            ...twice(`kubetally_cost${owner}`, '0+0.5x8'),
            ...twice(`kubetally_cpu_usage_core_seconds${owner}`, '0+900x8'),
          ],
          promql_expr_test: [
            [1, cluster, 0],
            [2, cluster, 2],
            [5, '{tenant="t",owner="alice"}', 2],
            [6, '{tenant="t",owner="alice"}', 1],
          ].map(([id, labels, value]) => ({
            expr: expr(id as number),
            eval_time: '2h',
            exp_samples: [{ labels, value }],
          })),
        },
      ],
    };
    const dir = mkdtempSync(path.join(tmpdir(), 'kubetally-panels-'));
    try {
      writeFileSync(path.join(dir, 'panels.test.yaml'), toYaml(tests));
      const run = spawnSync('promtool', ['test', 'rules', 'panels.test.yaml'], {
        cwd: dir,
        encoding: 'utf8',
      });
      expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('asks Prometheus only for metrics kubetally exposes', async () => {
    const exposed = await exposedMetricNames(rig.ctx);
    const exprs = [
      ...service.panels.flatMap((p) => p.targets.map((t) => t.expr!)),
      ...queryVariables(service).map((v) => (v.query as { query: string }).query),
    ];
    const names = new Set(exprs.flatMap(metricNamesIn));
    expect(names.size).toBeGreaterThan(5);
    for (const n of names) expect(exposed, n).toContain(n);
  });
});
