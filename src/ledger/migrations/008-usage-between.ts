/**
 * Migration 008: `usage_between(from, to)`, the usage of the intervals that start in [from, to),
 * read from the coarsest table that answers it exactly: whole UTC days from `usage_daily`, the
 * partial days at either end from `usage_interval`. The API plans its reads the same way
 * (ledger/usage-query.ts); this gives Grafana and users' own queries that plan in SQL, so that a
 * panel over a year reads ~365 rows per key instead of ~35,000. A plain SQL function, STABLE and
 * a single SELECT, which PostgreSQL inlines into the calling query: filters on tenant, cluster or
 * owner reach the tables' indexes. Frozen once released.
 */
/** The first midnight at or after `from` (UTC, as a timestamp). */
const nextMidnight = `date_trunc('day', (range_from AT TIME ZONE 'UTC') - interval '1 microsecond') + interval '1 day'`;
/** That midnight, or `to` if sooner. */
const firstMidnight = `LEAST(range_to AT TIME ZONE 'UTC', ${nextMidnight})`;
/** The last midnight at or before `to`, no earlier than the first: [first, last) are whole days. */
const lastMidnight = `GREATEST(${firstMidnight}, date_trunc('day', range_to AT TIME ZONE 'UTC'))`;
const keys = 'u.cluster_id, u.tenant, u.owner, u.project, u.project_id, u.namespace, u.compute_type';
const amounts = `u.cpu_core_nanos, u.cpu_request_core_nanos, u.cpu_max_core_nanos, u.memory_byte_seconds,
    u.memory_request_byte_seconds, u.memory_max_byte_seconds, u.gpu_millis,
    u.storage_byte_seconds, u.storage_used_byte_seconds, u.network_rx_bytes, u.network_tx_bytes,
    u.pod_millis, u.load_balancer_millis, u.cpu_cost_micros, u.memory_cost_micros,
    u.gpu_cost_micros, u.storage_cost_micros, u.network_cost_micros,
    u.load_balancer_cost_micros, u.total_cost_micros`;

export const statements: string[] = [
  `CREATE FUNCTION usage_between(range_from TIMESTAMPTZ, range_to TIMESTAMPTZ)
RETURNS TABLE (
  cluster_id INTEGER, tenant TEXT, owner TEXT, project TEXT, project_id TEXT, namespace TEXT,
  compute_type TEXT, start_at TIMESTAMPTZ, grain TEXT,
  cpu_core_nanos NUMERIC, cpu_request_core_nanos NUMERIC, cpu_max_core_nanos NUMERIC,
  memory_byte_seconds NUMERIC, memory_request_byte_seconds NUMERIC, memory_max_byte_seconds NUMERIC,
  gpu_millis NUMERIC, storage_byte_seconds NUMERIC, storage_used_byte_seconds NUMERIC,
  network_rx_bytes NUMERIC, network_tx_bytes NUMERIC, pod_millis NUMERIC, load_balancer_millis NUMERIC,
  cpu_cost_micros NUMERIC, memory_cost_micros NUMERIC, gpu_cost_micros NUMERIC, storage_cost_micros NUMERIC,
  network_cost_micros NUMERIC, load_balancer_cost_micros NUMERIC, total_cost_micros NUMERIC
)
LANGUAGE sql STABLE AS $body$
  SELECT ${keys}, u.day::timestamp AT TIME ZONE 'UTC', 'day',
    ${amounts}
  FROM usage_daily u
  WHERE u.day >= (${firstMidnight})::date AND u.day < (${lastMidnight})::date
  UNION ALL
  SELECT ${keys}, u.interval_start, 'interval',
    ${amounts}
  FROM usage_interval u
  WHERE u.interval_start >= range_from AND u.interval_start < (${firstMidnight}) AT TIME ZONE 'UTC'
  UNION ALL
  SELECT ${keys}, u.interval_start, 'interval',
    ${amounts}
  FROM usage_interval u
  WHERE u.interval_start >= (${lastMidnight}) AT TIME ZONE 'UTC' AND u.interval_start < range_to
$body$`,
];
