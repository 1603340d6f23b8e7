/**
 * Migration 003: a daily rollup by owner alone. A month of usage by owner is the most common
 * question (dashboards, billing); from `usage_daily` it reads one row per owner, project,
 * namespace and compute type a day, from here one per owner. Filled from `usage_daily` for the
 * days already written, then in the transaction that writes each interval. Frozen once released.
 */

// Frozen copy of the usage columns as of this migration.
const AMOUNTS_V3 = [
  'cpu_core_nanos',
  'cpu_request_core_nanos',
  'cpu_max_core_nanos',
  'memory_byte_seconds',
  'memory_request_byte_seconds',
  'memory_max_byte_seconds',
  'gpu_millis',
  'storage_byte_seconds',
  'storage_used_byte_seconds',
  'network_rx_bytes',
  'network_tx_bytes',
  'pod_millis',
  'load_balancer_millis',
];

export const statements: string[] = [
  `CREATE TABLE usage_daily_owner (
  cluster_id INTEGER NOT NULL,
  tenant TEXT NOT NULL,
  owner TEXT NOT NULL,
  day DATE NOT NULL,
  ${AMOUNTS_V3.map((c) => `${c} NUMERIC(38,0) NOT NULL DEFAULT 0`).join(',\n  ')},
  PRIMARY KEY (day, cluster_id, owner)
)`,
  `CREATE INDEX usage_daily_owner_tenant_time ON usage_daily_owner (tenant, day)`,
  `INSERT INTO usage_daily_owner (cluster_id, tenant, owner, day, ${AMOUNTS_V3.join(', ')})
   SELECT cluster_id, tenant, owner, day, ${AMOUNTS_V3.map((c) => `SUM(${c})`).join(', ')}
   FROM usage_daily GROUP BY cluster_id, tenant, owner, day`,
];
