/**
 * Usage with its costs, summed per group and bucket, from the same tables as queryUsage (each
 * piece of the range from the coarsest table that answers it exactly), plus the per-cluster
 * interval totals (idle, over-allocation, management fee) that are not rows.
 */
import type { Millis } from '../domain/duration.js';
import { invalidArgument } from '../domain/errors.js';
import { COST_FIELDS, zeroCost, type CostBreakdown } from '../pricing/costs.js';
import { IDLE } from '../pricing/price-interval.js';
import { toBigInt, toMillis, type Db } from './db.js';
import { AMOUNT_COLUMNS, Params, amountsFromRow, ts } from './columns.js';
import { COST_COLUMNS, costColumnOf, costsFromRow } from './cost-columns.js';
import { groupSql } from './group-sql.js';
import { checkRowCap, rowLimitSql } from './row-cap.js';
import { planPieces } from './usage-query.js';
import type { ClusterId, GroupKey, UsageQuery, UsageRow } from './types.js';

export type CostQuery = UsageQuery;

export interface CostRow extends UsageRow {
  cost: CostBreakdown;
}

const COLUMNS = [...AMOUNT_COLUMNS, ...COST_COLUMNS];

/** The tenant/cluster filter as cluster ids; undefined when the named cluster does not exist. */
export async function clusterIds(
  db: Db,
  q: { tenant?: string; cluster?: string; clusterId?: ClusterId },
): Promise<ClusterId[] | undefined> {
  // Removed clusters are included: their history stays queryable.
  const rows = await db.query<{ id: unknown }>(
    `SELECT id FROM clusters WHERE ($1::int IS NULL OR id = $1) AND ($2::text IS NULL OR name = $2)
       AND ($3::text IS NULL OR tenant = $3) ORDER BY id`,
    [q.clusterId ?? null, q.cluster ?? null, q.tenant ?? null],
  );
  return rows.length === 0 ? undefined : rows.map((r) => Number(r.id));
}

export async function queryCosts(db: Db, q: CostQuery): Promise<CostRow[]> {
  if (!(q.to > q.from))
    throw invalidArgument('"to" must be after "from"', 'give a range whose end comes after its start');
  const ids = await clusterIds(db, q);
  if (ids === undefined) return [];
  const p = new Params();
  const filters = [`cluster_id IN (${ids.map((id) => p.p(id)).join(', ')})`];
  if (q.owner !== undefined) filters.push(`owner = ${p.p(q.owner)}`);
  if (q.project !== undefined) filters.push(`project = ${p.p(q.project)}`);
  if (q.namespace !== undefined) filters.push(`namespace = ${p.p(q.namespace)}`);
  const pieces = planPieces(q.from, q.to, q.step).map((piece) => {
    const time =
      piece.table === 'usage_daily'
        ? `(day::timestamp AT TIME ZONE 'UTC')`
        : piece.table === 'usage_hourly'
          ? 'hour'
          : 'interval_start';
    const range =
      piece.table === 'usage_daily'
        ? `day >= ${p.p(ts(piece.from).slice(0, 10))}::date AND day < ${p.p(ts(piece.to).slice(0, 10))}::date`
        : `${time} >= ${p.p(ts(piece.from))}::timestamptz AND ${time} < ${p.p(ts(piece.to))}::timestamptz`;
    return `SELECT cluster_id, tenant, owner, project, namespace, compute_type, ${time} AS t, ${COLUMNS.join(', ')}
      FROM ${piece.table} WHERE ${[range, ...filters].join(' AND ')}`;
  });
  const groupBy = [...new Set(q.groupBy)];
  const { keys, groups, order, join, bucketed } = groupSql(groupBy, q.step);
  const sums = COLUMNS.map((c) => `SUM(u.${c}) AS ${c}`);
  const rows = await db.query<Record<string, unknown>>(
    `SELECT ${[...keys, ...sums].join(', ')}
     FROM (${pieces.join('\n UNION ALL \n')}) u
     ${join}
     ${groups.length > 0 ? `GROUP BY ${groups.join(', ')} ORDER BY ${order.join(', ')}` : ''}
     ${rowLimitSql(q.maxRows)}`,
    p.values,
  );
  checkRowCap(rows.length, q.maxRows);
  return rows
    .filter((r) => groups.length > 0 || r[costColumnOf(COST_FIELDS[0])] !== null)
    .map((r) => {
      const group: Partial<Record<GroupKey, string>> = {};
      for (const k of groupBy) group[k] = String(r[k]);
      const row: CostRow = { group, usage: amountsFromRow(r), cost: costsFromRow(r) };
      if (bucketed) row.start = toMillis(r.start_ms);
      return row;
    });
}

export interface ClusterCostTotals {
  clusterId: ClusterId;
  cluster: string;
  tenant: string;
  /** The currencies of the intervals summed (one, unless a sheet changed currency). */
  currencies: string[];
  /** The currency of the cluster's latest price sheet: what it prices in when no interval is summed. */
  sheetCurrency: string;
  intervals: number;
  /** Allocated to owners and `__unowned__` (without `__idle__`). */
  allocated: CostBreakdown;
  idleCost: bigint;
  overAllocationCost: bigint;
  nodeCost: bigint;
  managementCost: bigint;
  totalCost: bigint;
  unpricedInstanceTypes: string[];
  /** Intervals priced without node data (no idle could be computed). */
  capacityUnknownIntervals: number;
  /** When the cluster was removed (its history stays); absent while it is registered. */
  removedAt?: Millis;
}

/** Per-cluster totals over intervals starting in [from, to). */
export async function clusterCostTotals(
  db: Db,
  q: { tenant?: string; cluster?: string; clusterId?: ClusterId; from: Millis; to: Millis },
): Promise<ClusterCostTotals[]> {
  if (!(q.to > q.from))
    throw invalidArgument('"to" must be after "from"', 'give a range whose end comes after its start');
  const ids = await clusterIds(db, q);
  if (ids === undefined) return [];
  const per = await db.query<Record<string, unknown>>(
    `SELECT c.id, c.name, c.tenant, c.deleted_at, COUNT(i.cluster_id) AS intervals,
       COALESCE(jsonb_agg(DISTINCT i.currency) FILTER (WHERE i.currency IS NOT NULL), '[]') AS currencies,
       COALESCE((SELECT s.currency FROM price_sheets s WHERE s.cluster_id = c.id
         ORDER BY s.effective_from DESC LIMIT 1), c.pricing->>'currency', 'USD') AS sheet_currency,
       COALESCE(SUM(i.idle_cost_micros), 0) AS idle, COALESCE(SUM(i.over_allocation_cost_micros), 0) AS over,
       COALESCE(SUM(i.node_cost_micros), 0) AS node, COALESCE(SUM(i.management_cost_micros), 0) AS management,
       COALESCE(SUM(i.total_cost_micros), 0) AS total,
       COUNT(i.cluster_id) FILTER (WHERE NOT i.capacity_known) AS unknown,
       COALESCE((SELECT jsonb_agg(DISTINCT t) FROM interval_costs j, jsonb_array_elements_text(j.unpriced_instance_types) t
         WHERE j.cluster_id = c.id AND j.interval_start >= $2::timestamptz AND j.interval_start < $3::timestamptz), '[]') AS unpriced
     FROM clusters c LEFT JOIN interval_costs i
       ON i.cluster_id = c.id AND i.interval_start >= $2::timestamptz AND i.interval_start < $3::timestamptz
     WHERE c.id = ANY($1::int[]) GROUP BY c.id, c.name, c.tenant, c.deleted_at ORDER BY c.tenant, c.name, c.id`,
    [ids, ts(q.from), ts(q.to)],
  );
  const out: ClusterCostTotals[] = [];
  for (const r of per) {
    const id = Number(r.id);
    const byOwner = await queryCosts(db, {
      clusterId: id,
      from: q.from,
      to: q.to,
      groupBy: ['owner'],
      step: 'total',
    });
    const alloc = zeroCost();
    for (const row of byOwner)
      if (row.group.owner !== IDLE) for (const f of COST_FIELDS) alloc[f] += row.cost[f];
    out.push({
      clusterId: id,
      cluster: String(r.name),
      tenant: String(r.tenant),
      currencies: (r.currencies as string[]) ?? [],
      sheetCurrency: String(r.sheet_currency),
      intervals: Number(r.intervals),
      allocated: alloc,
      idleCost: toBigInt(r.idle),
      overAllocationCost: toBigInt(r.over),
      nodeCost: toBigInt(r.node),
      managementCost: toBigInt(r.management),
      totalCost: toBigInt(r.total),
      unpricedInstanceTypes: ((r.unpriced as string[]) ?? []).sort(),
      capacityUnknownIntervals: Number(r.unknown),
      ...(r.deleted_at === null || r.deleted_at === undefined ? {} : { removedAt: toMillis(r.deleted_at) }),
    });
  }
  return out;
}
