/**
 * What savings recommendations read from the ledger for one cluster: per-workload daily
 * distributions, and from the pod detail (kept 14 days) notebooks, unmounted claims (`pvc:` rows)
 * and LoadBalancers (`svc:` rows) over a window.
 */
import type { Millis } from '../domain/duration.js';
import type { ClaimWindow, LoadBalancerWindow, NotebookWindow } from '../pricing/savings/recommend.js';
import type { WorkloadDay } from '../pricing/savings/workload-day.js';
import { toBigInt, toMillis, type Db } from './db.js';
import { ts } from './columns.js';
import type { ClusterId } from './types.js';
import { fromRow } from './workload-usage.js';

export interface Window {
  from: Millis;
  to: Millis;
}

export type DatedWorkloadDay = WorkloadDay & { /** Start of the UTC day. */ day: Millis };

/** Workload days of the cluster with day in [from, to) (UTC days). */
export async function workloadDays(db: Db, clusterId: ClusterId, w: Window): Promise<DatedWorkloadDay[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT *, (EXTRACT(EPOCH FROM day::timestamp AT TIME ZONE 'UTC') * 1000)::float8 AS day_ms
     FROM workload_usage_daily WHERE cluster_id = $1
       AND day >= ($2::timestamptz AT TIME ZONE 'UTC')::date AND day < ($3::timestamptz AT TIME ZONE 'UTC')::date
     ORDER BY namespace, workload_kind, workload_name, day`,
    [clusterId, ts(w.from), ts(w.to)],
  );
  return rows.map((r) => ({ ...fromRow(r), day: Number(r.day_ms) }));
}

const WORKLOAD = `COALESCE(NULLIF(workload_kind, ''), 'Pod') AS workload_kind, COALESCE(NULLIF(workload_name, ''), pod_name) AS workload_name`;
const RANGE = `cluster_id = $1 AND interval_start >= $2::timestamptz AND interval_start < $3::timestamptz`;

/** The start of the cluster's first written interval, or undefined before any. */
export async function firstIntervalStart(db: Db, clusterId: ClusterId): Promise<Millis | undefined> {
  const rows = await db.query<{ t: unknown }>(
    'SELECT MIN(interval_start) AS t FROM collection_runs WHERE cluster_id = $1',
    [clusterId],
  );
  return rows[0]?.t === null || rows[0]?.t === undefined ? undefined : toMillis(rows[0].t);
}

export async function notebookWindows(db: Db, clusterId: ClusterId, w: Window): Promise<NotebookWindow[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT namespace, workload_kind, workload_name, MAX(owner) AS owner, MAX(project) AS project,
       SUM(pod_millis) AS pod_millis, SUM(cpu_cost_micros + memory_cost_micros + gpu_cost_micros) AS cost,
       MAX(CEIL(cpu_core_nanos / (pod_millis * 1000))) AS max_millicores
     FROM (SELECT namespace, ${WORKLOAD}, owner, project, pod_millis, cpu_cost_micros, memory_cost_micros, gpu_cost_micros, cpu_core_nanos
           FROM usage_pod_interval WHERE ${RANGE} AND compute_type = 'notebook' AND pod_millis > 0
             AND pod_uid NOT LIKE 'pvc:%' AND pod_uid NOT LIKE 'svc:%') p
     GROUP BY namespace, workload_kind, workload_name ORDER BY namespace, workload_name`,
    [clusterId, ts(w.from), ts(w.to)],
  );
  return rows.map((r) => ({
    namespace: String(r.namespace),
    workloadKind: String(r.workload_kind),
    workloadName: String(r.workload_name),
    owner: String(r.owner),
    project: String(r.project),
    podMillis: toBigInt(r.pod_millis),
    maxMillicores: toBigInt(r.max_millicores),
    costMicros: toBigInt(r.cost),
  }));
}

export async function claimWindows(
  db: Db,
  clusterId: ClusterId,
  w: Window,
): Promise<{ claims: ClaimWindow[]; writtenIntervals: number }> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT namespace, pod_name AS claim, MAX(owner) AS owner, MAX(project) AS project,
       COUNT(DISTINCT interval_start) AS intervals, SUM(storage_byte_seconds) AS storage, SUM(total_cost_micros) AS cost
     FROM usage_pod_interval WHERE ${RANGE} AND pod_uid LIKE 'pvc:%'
     GROUP BY namespace, pod_name ORDER BY namespace, pod_name`,
    [clusterId, ts(w.from), ts(w.to)],
  );
  const runs = await db.query<{ n: unknown }>(
    `SELECT COUNT(*) AS n FROM collection_runs WHERE ${RANGE} AND status <> 'gap'`,
    [clusterId, ts(w.from), ts(w.to)],
  );
  return {
    writtenIntervals: Number(runs[0]?.n ?? 0),
    claims: rows.map((r) => ({
      namespace: String(r.namespace),
      claim: String(r.claim),
      owner: String(r.owner),
      project: String(r.project),
      unmountedIntervals: Number(r.intervals),
      storageByteSeconds: toBigInt(r.storage),
      costMicros: toBigInt(r.cost),
    })),
  };
}

export async function loadBalancerWindows(
  db: Db,
  clusterId: ClusterId,
  w: Window,
): Promise<LoadBalancerWindow[]> {
  const rows = await db.query<Record<string, unknown>>(
    `SELECT s.namespace, s.pod_name AS service, MAX(s.owner) AS owner, MAX(s.project) AS project,
       SUM(s.total_cost_micros) AS cost,
       COALESCE((SELECT SUM(p.pod_millis) FROM usage_pod_interval p WHERE p.cluster_id = $1
         AND p.interval_start >= $2::timestamptz AND p.interval_start < $3::timestamptz AND p.namespace = s.namespace
         AND p.pod_uid NOT LIKE 'pvc:%' AND p.pod_uid NOT LIKE 'svc:%'), 0) AS pod_millis
     FROM usage_pod_interval s WHERE s.cluster_id = $1 AND s.interval_start >= $2::timestamptz
       AND s.interval_start < $3::timestamptz AND s.pod_uid LIKE 'svc:%' AND s.load_balancer_millis > 0
     GROUP BY s.namespace, s.pod_name ORDER BY s.namespace, s.pod_name`,
    [clusterId, ts(w.from), ts(w.to)],
  );
  return rows.map((r) => ({
    namespace: String(r.namespace),
    service: String(r.service),
    owner: String(r.owner),
    project: String(r.project),
    costMicros: toBigInt(r.cost),
    namespacePodMillis: toBigInt(r.pod_millis),
  }));
}
