/**
 * Migration 002: costs beside usage, node rows, per-cluster interval costs (management fee, node
 * cost, idle, over-allocation), per-cluster price sheet history, and per-workload daily usage
 * distributions for savings. Frozen once released, like 001.
 */

// Frozen copy of the cost columns as of this migration (src/ledger/cost-columns.ts).
const COSTS_V2 = ['cpu', 'memory', 'gpu', 'storage', 'network', 'load_balancer', 'total'];

const exact = COSTS_V2.map((c) => `ADD COLUMN ${c}_cost_micros NUMERIC(38,0) NOT NULL DEFAULT 0`);
// Money in the cluster's currency for Grafana, computed by the database from the exact columns.
const human = COSTS_V2.map(
  (c) =>
    `ADD COLUMN ${c}_cost DOUBLE PRECISION GENERATED ALWAYS AS ((${c}_cost_micros / 1000000.0)::double precision) STORED`,
);

const money = (name: string) =>
  `${name}_micros NUMERIC(38,0) NOT NULL DEFAULT 0,
  ${name} DOUBLE PRECISION GENERATED ALWAYS AS ((${name}_micros / 1000000.0)::double precision) STORED`;

export const statements: string[] = [
  `ALTER TABLE usage_pod_interval ${exact.join(', ')}`,
  ...['usage_interval', 'usage_hourly', 'usage_daily'].map(
    (t) => `ALTER TABLE ${t} ${[...exact, ...human].join(', ')}`,
  ),

  // One row per cluster and written interval: what pricing computed beyond the rows.
  `CREATE TABLE interval_costs (
  cluster_id INTEGER NOT NULL REFERENCES clusters (id),
  tenant TEXT NOT NULL,
  interval_start TIMESTAMPTZ NOT NULL,
  interval_end TIMESTAMPTZ NOT NULL,
  currency TEXT NOT NULL,
  basis TEXT NOT NULL CHECK (basis IN ('usage', 'request', 'max')),
  price_sheet_id INTEGER REFERENCES price_sheets (id),
  capacity_known BOOLEAN NOT NULL,
  ${money('node_cost')},
  ${money('idle_cost')},
  ${money('over_allocation_cost')},
  ${money('unmatched_compute_cost')},
  ${money('management_cost')},
  ${money('total_cost')},
  unpriced_instance_types JSONB NOT NULL DEFAULT '[]',
  PRIMARY KEY (cluster_id, interval_start)
)`,
  `CREATE INDEX interval_costs_tenant_time ON interval_costs (tenant, interval_start)`,

  `CREATE TABLE node_interval (
  cluster_id INTEGER NOT NULL REFERENCES clusters (id),
  interval_start TIMESTAMPTZ NOT NULL,
  node TEXT NOT NULL,
  instance_type TEXT NOT NULL DEFAULT '',
  capacity_type TEXT NOT NULL CHECK (capacity_type IN ('on-demand', 'spot')),
  millis NUMERIC(38,0) NOT NULL,
  cpu_allocatable_core_nanos NUMERIC(38,0) NOT NULL,
  memory_allocatable_byte_seconds NUMERIC(38,0) NOT NULL,
  gpu_allocatable_millis NUMERIC(38,0) NOT NULL,
  price_source TEXT NOT NULL DEFAULT '' CHECK (price_source IN ('', 'instance-type', 'resources')),
  node_cost_micros NUMERIC(38,0) NOT NULL DEFAULT 0,
  allocated_cost_micros NUMERIC(38,0) NOT NULL DEFAULT 0,
  idle_cost_micros NUMERIC(38,0) NOT NULL DEFAULT 0,
  over_allocation_cost_micros NUMERIC(38,0) NOT NULL DEFAULT 0,
  PRIMARY KEY (cluster_id, interval_start, node)
)`,

  // A cluster's own sheet history: rows with cluster_id set. NULL keeps the tenant-wide sheets of 001.
  `ALTER TABLE price_sheets ADD COLUMN cluster_id INTEGER REFERENCES clusters (id)`,
  `CREATE UNIQUE INDEX price_sheets_cluster_from ON price_sheets (cluster_id, effective_from) WHERE cluster_id IS NOT NULL`,

  // Compact per-workload, per-day usage for right-sizing: CPU as a time-weighted histogram of
  // per-pod interval averages (millicores → pod-milliseconds), memory as the day's peak of
  // per-pod interval averages. Never raw samples.
  `CREATE TABLE workload_usage_daily (
  cluster_id INTEGER NOT NULL REFERENCES clusters (id),
  tenant TEXT NOT NULL,
  day DATE NOT NULL,
  namespace TEXT NOT NULL,
  workload_kind TEXT NOT NULL,
  workload_name TEXT NOT NULL,
  owner TEXT NOT NULL,
  project TEXT NOT NULL,
  compute_type TEXT NOT NULL,
  pod_millis NUMERIC(38,0) NOT NULL DEFAULT 0,
  cpu_core_nanos NUMERIC(38,0) NOT NULL DEFAULT 0,
  cpu_request_core_nanos NUMERIC(38,0) NOT NULL DEFAULT 0,
  memory_byte_seconds NUMERIC(38,0) NOT NULL DEFAULT 0,
  memory_request_byte_seconds NUMERIC(38,0) NOT NULL DEFAULT 0,
  memory_peak_bytes NUMERIC(38,0) NOT NULL DEFAULT 0,
  cpu_millicores_histogram JSONB NOT NULL DEFAULT '{}',
  PRIMARY KEY (day, cluster_id, namespace, workload_kind, workload_name)
)`,
  `CREATE INDEX workload_usage_daily_cluster_day ON workload_usage_daily (cluster_id, day)`,

  `CREATE INDEX credit_entries_account_id ON credit_entries (tenant, owner, id)`,
];
