import type { Millis } from '../domain/duration.js';
import { invalidArgument } from '../domain/errors.js';
import { USAGE_FIELDS } from '../domain/usage.js';
import { toMillis, type Db } from './db.js';
import { AMOUNT_COLUMNS, Params, amountsFromRow, columnOf, ts } from './columns.js';
import { groupSql } from './group-sql.js';
import { checkRowCap, rowLimitSql } from './row-cap.js';
import type { GapQuery, GapRecord, GroupKey, Step, UsageQuery, UsageRow } from './types.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;

type Table = 'usage_interval' | 'usage_hourly' | 'usage_daily' | 'usage_daily_owner';
interface Piece {
  table: Table;
  from: Millis;
  to: Millis;
}

/**
 * Splits [from, to) into pieces each read from the coarsest table that can answer it exactly:
 * whole UTC days from usage_daily, whole hours from usage_hourly, the rest from usage_interval.
 * The step limits the choice (an hourly answer cannot come from days).
 */
export function planPieces(from: Millis, to: Millis, step: Step): Piece[] {
  const finest: Table[] = ['usage_interval'];
  if (step !== 'interval') finest.unshift('usage_hourly');
  if (step === 'day' || step === 'total') finest.unshift('usage_daily');
  return split(from, to, finest);
}

function split(from: Millis, to: Millis, tables: Table[]): Piece[] {
  const [table, ...finer] = tables;
  if (table === undefined || from >= to) return [];
  if (finer.length === 0) return [{ table, from, to }];
  const unit = table === 'usage_daily' ? DAY : HOUR;
  const a = Math.ceil(from / unit) * unit;
  const b = Math.floor(to / unit) * unit;
  if (a >= b) return split(from, to, finer);
  return [...split(from, a, finer), { table, from: a, to: b }, ...split(b, to, finer)];
}

function pieceSql(piece: Piece, filters: string[], p: Params): string {
  const daily = piece.table === 'usage_daily' || piece.table === 'usage_daily_owner';
  const time = daily
    ? `(day::timestamp AT TIME ZONE 'UTC')`
    : piece.table === 'usage_hourly'
      ? 'hour'
      : 'interval_start';
  const range = daily
    ? `day >= ${p.p(ts(piece.from).slice(0, 10))}::date AND day < ${p.p(ts(piece.to).slice(0, 10))}::date`
    : `${time} >= ${p.p(ts(piece.from))}::timestamptz AND ${time} < ${p.p(ts(piece.to))}::timestamptz`;
  // The owner rollup has no finer keys; the outer query never groups by them when it is used.
  const keys =
    piece.table === 'usage_daily_owner'
      ? `cluster_id, tenant, owner, '' AS project, '' AS namespace, '' AS compute_type`
      : 'cluster_id, tenant, owner, project, namespace, compute_type';
  return `SELECT ${keys}, ${time} AS t, ${AMOUNT_COLUMNS.join(', ')}
    FROM ${piece.table} WHERE ${[range, ...filters].join(' AND ')}`;
}

/** Usage summed per group and bucket; intervals count when their start lies in [from, to). */
export async function queryUsage(db: Db, q: UsageQuery): Promise<UsageRow[]> {
  if (!(q.to > q.from))
    throw invalidArgument('"to" must be after "from"', 'give a range whose end comes after its start');
  const groupBy = [...new Set(q.groupBy)];
  const p = new Params();
  const filters = await usageFilters(db, q, p);
  if (filters === undefined) return [];
  // Grouped by owner (and cluster) at most, and filtered by nothing finer: the owner rollup answers.
  const ownerOnly =
    groupBy.every((k) => k === 'owner' || k === 'cluster' || k === 'tenant') &&
    q.project === undefined &&
    q.namespace === undefined;
  const pieces = planPieces(q.from, q.to, q.step)
    .map((piece) =>
      ownerOnly && piece.table === 'usage_daily' ? { ...piece, table: 'usage_daily_owner' as const } : piece,
    )
    .map((piece) => pieceSql(piece, filters, p));
  const { keys, groups, order, join, bucketed } = groupSql(groupBy, q.step);
  const sums = AMOUNT_COLUMNS.map((c) => `SUM(u.${c}) AS ${c}`);
  const sql = `SELECT ${[...keys, ...sums].join(', ')}
    FROM (${pieces.join('\n UNION ALL \n')}) u
    ${join}
    ${groups.length > 0 ? `GROUP BY ${groups.join(', ')} ORDER BY ${order.join(', ')}` : ''}
    ${rowLimitSql(q.maxRows)}`;
  const rows = await db.query<Record<string, unknown>>(sql, p.values);
  checkRowCap(rows.length, q.maxRows);
  return rows
    .filter((r) => bucketed || groupBy.length > 0 || r[columnOf(USAGE_FIELDS[0])] !== null)
    .map((r) => {
      const group: Partial<Record<GroupKey, string>> = {};
      for (const k of groupBy) group[k] = String(r[k]);
      const row: UsageRow = { group, usage: amountsFromRow(r) };
      if (bucketed) row.start = toMillis(r.start_ms);
      return row;
    });
}

/**
 * The cluster/tenant filter; undefined when the named cluster does not exist (no rows). Tables
 * with a tenant column filter on it; others (gaps) go through the tenant's cluster ids.
 */
async function clusterFilter(
  db: Db,
  q: UsageQuery | GapQuery,
  p: Params,
  hasTenantColumn: boolean,
): Promise<string[] | undefined> {
  if (q.clusterId === undefined && q.cluster === undefined) {
    if (q.tenant === undefined) return [];
    if (hasTenantColumn) return [`tenant = ${p.p(q.tenant)}`];
  }
  // Removed clusters are included: their history stays queryable.
  const rows = await db.query<{ id: unknown }>(
    `SELECT id FROM clusters WHERE ($1::int IS NULL OR id = $1) AND ($2::text IS NULL OR name = $2)
       AND ($3::text IS NULL OR tenant = $3)`,
    [q.clusterId ?? null, q.cluster ?? null, q.tenant ?? null],
  );
  if (rows.length === 0) return undefined;
  return [`cluster_id IN (${rows.map((r) => p.p(Number(r.id))).join(', ')})`];
}

async function usageFilters(db: Db, q: UsageQuery, p: Params): Promise<string[] | undefined> {
  const filters = await clusterFilter(db, q, p, true);
  if (filters === undefined) return undefined;
  if (q.owner !== undefined) filters.push(`owner = ${p.p(q.owner)}`);
  if (q.project !== undefined) filters.push(`project = ${p.p(q.project)}`);
  if (q.namespace !== undefined) filters.push(`namespace = ${p.p(q.namespace)}`);
  return filters;
}

/** Gaps overlapping [from, to), oldest first. */
export async function listGaps(db: Db, q: GapQuery): Promise<GapRecord[]> {
  if (!(q.to > q.from))
    throw invalidArgument('"to" must be after "from"', 'give a range whose end comes after its start');
  const p = new Params();
  const filters = await clusterFilter(db, q, p, false);
  if (filters === undefined) return [];
  const where = [
    `g.start_at < ${p.p(ts(q.to))}::timestamptz`,
    `g.end_at > ${p.p(ts(q.from))}::timestamptz`,
    ...filters.map((f) => `g.${f}`),
  ];
  const rows = await db.query<{
    cluster_id: unknown;
    name: string;
    tenant: string;
    start_at: unknown;
    end_at: unknown;
    reason: string;
  }>(
    `SELECT g.cluster_id, c.name, c.tenant, g.start_at, g.end_at, g.reason FROM gaps g JOIN clusters c ON c.id = g.cluster_id
     WHERE ${where.join(' AND ')} ORDER BY g.start_at, c.name, g.id`,
    p.values,
  );
  return rows.map((r) => ({
    clusterId: Number(r.cluster_id),
    cluster: r.name,
    tenant: r.tenant,
    start: toMillis(r.start_at),
    end: toMillis(r.end_at),
    reason: r.reason,
  }));
}
