/**
 * Migration 007: `node_metrics`, seed 004's table of node CPU and memory over time, as a view of
 * the pod detail: per node and closed interval, what its pods used on average (CPU in
 * millicores, working-set memory in MiB) beside the node's allocatable. So the seed's Grafana
 * queries (`SELECT collected_at AS time, cpu_millicores FROM node_metrics WHERE node_name = …`)
 * run as written. It is the pods' usage, not the node's own reading (system daemons and the
 * kubelet are left out), and it lasts as long as `usage_pod_interval` (14 days by default).
 * A view writes nothing: the collector is unchanged. Frozen once released.
 */
export const statements: string[] = [
  `CREATE VIEW node_metrics AS
SELECT p.cluster_id, c.tenant, c.name AS cluster, p.node AS node_name,
  p.interval_start AS collected_at, p.interval_end, p.pods,
  (p.cpu_core_nanos / (p.seconds * 1000000))::DOUBLE PRECISION AS cpu_millicores,
  (p.memory_byte_seconds / (p.seconds * 1048576))::DOUBLE PRECISION AS memory_mb,
  (n.cpu_allocatable_core_nanos / (p.seconds * 1000000))::DOUBLE PRECISION AS cpu_allocatable_millicores,
  (n.memory_allocatable_byte_seconds / (p.seconds * 1048576))::DOUBLE PRECISION AS memory_allocatable_mb
FROM (
  SELECT u.cluster_id, u.node, u.interval_start, r.interval_end,
    EXTRACT(EPOCH FROM (r.interval_end - r.interval_start)) AS seconds,
    COUNT(*) AS pods, SUM(u.cpu_core_nanos) AS cpu_core_nanos, SUM(u.memory_byte_seconds) AS memory_byte_seconds
  FROM usage_pod_interval u
  JOIN collection_runs r ON r.cluster_id = u.cluster_id AND r.interval_start = u.interval_start
  WHERE u.node <> ''
  GROUP BY u.cluster_id, u.node, u.interval_start, r.interval_end, r.interval_start
) p
JOIN clusters c ON c.id = p.cluster_id
LEFT JOIN node_interval n ON n.cluster_id = p.cluster_id AND n.interval_start = p.interval_start AND n.node = p.node`,
];
