/**
 * Migration 006: a workload's pod time on spot nodes, so that right-sizing prices what a workload
 * would save at the prices it pays (spot or on-demand), not always on-demand. Frozen once released.
 */
export const statements: string[] = [
  `ALTER TABLE workload_usage_daily ADD COLUMN spot_pod_millis NUMERIC(38,0) NOT NULL DEFAULT 0`,
];
