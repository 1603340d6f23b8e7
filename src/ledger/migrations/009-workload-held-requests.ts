/**
 * Migration 009: what a workload's init containers and overhead hold of its requests, so that
 * right-sizing never recommends below what the scheduler reserves whatever the app containers
 * ask. Days written before it hold 0 there (their recommendations stay as they were). Frozen once
 * released.
 */
export const statements: string[] = [
  `ALTER TABLE workload_usage_daily
     ADD COLUMN cpu_init_core_nanos NUMERIC(38,0) NOT NULL DEFAULT 0,
     ADD COLUMN cpu_overhead_core_nanos NUMERIC(38,0) NOT NULL DEFAULT 0,
     ADD COLUMN memory_init_byte_seconds NUMERIC(38,0) NOT NULL DEFAULT 0,
     ADD COLUMN memory_overhead_byte_seconds NUMERIC(38,0) NOT NULL DEFAULT 0`,
];
