import { KubetallyError, invalidArgument } from '../domain/errors.js';
import { alignDown } from '../domain/time.js';
import { USAGE_FIELDS } from '../domain/usage.js';
import { COST_FIELDS, type CostBreakdown } from '../pricing/costs.js';
import { IDLE, priceInterval, type PricedInterval } from '../pricing/price-interval.js';
import type { Db } from './db.js';
import { AMOUNT_COLUMNS, ts, toJson } from './columns.js';
import { COST_COLUMNS } from './cost-columns.js';
import { writeIntervalCosts } from './interval-costs-writer.js';
import { sheetInForceFor } from './pricing-source.js';
import type { IntervalWrite, PodUsageRow } from './types.js';
import { recordWorkloadUsage } from './workload-usage.js';

const HOUR_MS = 3_600_000;
const POD_ROWS_PER_STATEMENT = 5_000;
const KEYS = 'cluster_id, owner, project, project_id, namespace, compute_type';
const POD_TEXT_COLUMNS = [
  'pod_uid',
  'namespace',
  'pod_name',
  'workload_kind',
  'workload_name',
  'owner',
  'project',
  'project_id',
  'compute_type',
  'node',
  'capacity_type',
];

/**
 * Writes one closed interval of one cluster, all or nothing, exactly once: the collection_runs
 * row is inserted first with ON CONFLICT DO NOTHING; if it already existed (a retry, a restart, a
 * concurrent replica), nothing else is written and `written` is false. Otherwise the pod rows,
 * the grouped interval rows, the hourly and daily rollups (amounts added) and the gaps follow in
 * the same transaction. On PostgreSQL a concurrent writer of the same interval waits on the
 * runs row and then finds it taken.
 *
 * The interval is priced in the same transaction (pricing-source.ts picks the sheet in force at
 * its start): each row's costs sit beside its usage, `__idle__` rows carry the node cost no pod
 * took, the cluster's interval totals and nodes are recorded, each owner's cost is debited once,
 * and the per-workload daily distributions for savings are added to. Callers need not price.
 */
export async function writeInterval(db: Db, w: IntervalWrite): Promise<{ written: boolean }> {
  validate(w);
  return db.transaction(async (tx) => {
    const cluster = await tx.query<{ tenant: string }>('SELECT tenant FROM clusters WHERE id = $1', [
      w.clusterId,
    ]);
    if (cluster[0] === undefined) {
      throw new KubetallyError('NOT_FOUND', `cluster ${w.clusterId} does not exist`, {
        hint: 'the cluster was removed while it was being collected; nothing was written',
      });
    }
    const run = await tx.query(
      `INSERT INTO collection_runs (cluster_id, interval_start, interval_end, status, coverage, sample_count, errors)
       VALUES ($1, $2::timestamptz, $3::timestamptz, $4, $5, $6, $7::jsonb)
       ON CONFLICT (cluster_id, interval_start) DO NOTHING RETURNING cluster_id`,
      [
        w.clusterId,
        ts(w.intervalStart),
        ts(w.intervalEnd),
        w.status,
        w.coverage,
        w.sampleCount,
        toJson(w.errors),
      ],
    );
    if (run.length === 0) return { written: false };
    const tenant = cluster[0].tenant;
    const { sheet, priceSheetId } = await sheetInForceFor(tx, w.clusterId, w.intervalStart);
    const priced = priceInterval(w, sheet);
    const { rows, costs } = withIdleRows(w, priced);
    await insertPodRows(tx, w, rows, costs);
    await rollUp(tx, w, tenant);
    await writeIntervalCosts(tx, { write: w, tenant, priced, priceSheetId });
    await recordWorkloadUsage(tx, w, tenant);
    for (const g of w.gaps) {
      await tx.query(
        `INSERT INTO gaps (cluster_id, interval_start, start_at, end_at, reason)
         VALUES ($1, $2::timestamptz, $3::timestamptz, $4::timestamptz, $5)`,
        [w.clusterId, ts(w.intervalStart), ts(g.start), ts(g.end), g.reason],
      );
    }
    return { written: true };
  });
}

function validate(w: IntervalWrite): void {
  if (!(w.intervalEnd > w.intervalStart)) throw invalidArgument('an interval must end after it starts');
  // Rollups assign an interval to the hour and day of its start; that is exact only when no
  // interval crosses an hour boundary, i.e. interval lengths divide the hour and are aligned.
  if (alignDown(w.intervalStart, HOUR_MS) !== alignDown(w.intervalEnd - 1, HOUR_MS)) {
    throw invalidArgument(
      'an interval may not cross an hour boundary',
      'use an interval length that divides an hour (1, 5, 10, 15, 20, 30 or 60 minutes), aligned to the clock',
    );
  }
  if (!(w.coverage >= 0 && w.coverage <= 1))
    throw invalidArgument(`coverage ${w.coverage} is not between 0 and 1`);
  for (const g of w.gaps) if (!(g.end > g.start)) throw invalidArgument('a gap must end after it starts');
}

/** The write's rows with their costs, then one `__idle__` row per capacity type with idle cost. */
function withIdleRows(
  w: IntervalWrite,
  priced: PricedInterval,
): { rows: PodUsageRow[]; costs: CostBreakdown[] } {
  const rows = [...w.podRows];
  const costs = [...priced.rowCosts];
  for (const idle of priced.idle) {
    rows.push({
      podUid: `${IDLE}:${idle.capacityType}`,
      namespace: IDLE,
      podName: IDLE,
      owner: IDLE,
      project: IDLE,
      computeType: IDLE,
      capacityType: idle.capacityType,
      usage: {},
    });
    costs.push(idle.cost);
  }
  return { rows, costs };
}

const AMOUNT_SQL = [...AMOUNT_COLUMNS, ...COST_COLUMNS];
// Rows go as JSON arrays, read by position: an object per row with forty keys set by name cost
// more than the rest of the write (V8 builds such objects slowly).
const POD_ROW_SELECT = [
  ...POD_TEXT_COLUMNS.map((_, i) => `r->>${i}`),
  ...AMOUNT_SQL.map((_, i) => `(r->>${POD_TEXT_COLUMNS.length + i})::numeric`),
].join(', ');

async function insertPodRows(
  tx: Db,
  w: IntervalWrite,
  podRows: readonly PodUsageRow[],
  costs: readonly CostBreakdown[],
): Promise<void> {
  for (let i = 0; i < podRows.length; i += POD_ROWS_PER_STATEMENT) {
    const chunk: string[][] = [];
    for (let j = i; j < Math.min(podRows.length, i + POD_ROWS_PER_STATEMENT); j++) {
      const p = podRows[j]!;
      const cost = costs[j]!;
      const row = [
        p.podUid,
        p.namespace,
        p.podName,
        p.workloadKind ?? '',
        p.workloadName ?? '',
        p.owner,
        p.project,
        p.projectId ?? '',
        p.computeType,
        p.node ?? '',
        p.capacityType ?? '',
      ];
      for (const f of USAGE_FIELDS) row.push((p.usage[f] ?? 0n).toString());
      for (const f of COST_FIELDS) row.push(cost[f].toString());
      chunk.push(row);
    }
    await tx.query(
      `INSERT INTO usage_pod_interval (cluster_id, interval_start, ${POD_TEXT_COLUMNS.join(', ')}, ${AMOUNT_SQL.join(', ')})
       SELECT $1, $2::timestamptz, ${POD_ROW_SELECT} FROM jsonb_array_elements($3::jsonb) AS r`,
      [w.clusterId, ts(w.intervalStart), JSON.stringify(chunk)],
    );
  }
}

async function rollUp(tx: Db, w: IntervalWrite, tenant: string): Promise<void> {
  const all = [...AMOUNT_COLUMNS, ...COST_COLUMNS];
  const amounts = all.join(', ');
  const sums = all.map((c) => `SUM(${c})`).join(', ');
  const params = [w.clusterId, ts(w.intervalStart)];
  await tx.query(
    `INSERT INTO usage_interval (${KEYS}, tenant, interval_start, ${amounts})
     SELECT ${KEYS}, $3, interval_start, ${sums} FROM usage_pod_interval
     WHERE cluster_id = $1 AND interval_start = $2::timestamptz
     GROUP BY ${KEYS}, interval_start`,
    [...params, tenant],
  );
  const add = all.map((c) => `${c} = target.${c} + EXCLUDED.${c}`).join(', ');
  const rollups = [
    ['usage_hourly', 'hour', `date_trunc('hour', interval_start AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`],
    ['usage_daily', 'day', `(interval_start AT TIME ZONE 'UTC')::date`],
  ];
  for (const [table, column, expr] of rollups) {
    // Ordered by key so that two writers of the same hour lock rows in the same order (no deadlock).
    await tx.query(
      `INSERT INTO ${table} AS target (${KEYS}, tenant, ${column}, ${amounts})
       SELECT ${KEYS}, tenant, ${expr}, ${amounts} FROM usage_interval
       WHERE cluster_id = $1 AND interval_start = $2::timestamptz
       ORDER BY ${KEYS}
       ON CONFLICT (${column}, ${KEYS}) DO UPDATE SET ${add}`,
      params,
    );
  }
  // The owner-only daily rollup (migration 003): usage amounts only, for month-by-owner reads.
  const usage = AMOUNT_COLUMNS.join(', ');
  await tx.query(
    `INSERT INTO usage_daily_owner AS target (cluster_id, tenant, owner, day, ${usage})
     SELECT cluster_id, tenant, owner, (interval_start AT TIME ZONE 'UTC')::date, ${AMOUNT_COLUMNS.map((c) => `SUM(${c})`).join(', ')}
     FROM usage_interval WHERE cluster_id = $1 AND interval_start = $2::timestamptz
     GROUP BY cluster_id, tenant, owner, interval_start ORDER BY owner
     ON CONFLICT (day, cluster_id, owner) DO UPDATE SET ${AMOUNT_COLUMNS.map((c) => `${c} = target.${c} + EXCLUDED.${c}`).join(', ')}`,
    params,
  );
}
