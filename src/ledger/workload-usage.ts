/**
 * Per-workload, per-day usage distributions (savings/workload-day.ts), added to in the transaction
 * that writes each interval: one upsert per interval that merges into the day's rows.
 */
import { workloadDaysOf, type WorkloadDay } from '../pricing/savings/workload-day.js';
import { toBigInt, type Db } from './db.js';
import { ts, toJson } from './columns.js';
import type { IntervalWrite } from './types.js';

const DAY_EXPR = `($2::timestamptz AT TIME ZONE 'UTC')::date`;

export async function recordWorkloadUsage(tx: Db, w: IntervalWrite, tenant: string): Promise<void> {
  const days = workloadDaysOf(w.podRows);
  if (days.size === 0) return;
  const rows = [...days.values()].map((d) => ({
    namespace: d.namespace,
    workload_kind: d.workloadKind,
    workload_name: d.workloadName,
    owner: d.owner,
    project: d.project,
    compute_type: d.computeType,
    pod_millis: d.podMillis,
    spot_pod_millis: d.spotPodMillis,
    cpu_core_nanos: d.cpuCoreNanos,
    cpu_request_core_nanos: d.cpuRequestCoreNanos,
    memory_byte_seconds: d.memoryByteSeconds,
    memory_request_byte_seconds: d.memoryRequestByteSeconds,
    memory_peak_bytes: d.memoryPeakBytes,
    cpu_init_core_nanos: d.held.cpuInitCoreNanos,
    cpu_overhead_core_nanos: d.held.cpuOverheadCoreNanos,
    memory_init_byte_seconds: d.held.memoryInitByteSeconds,
    memory_overhead_byte_seconds: d.held.memoryOverheadByteSeconds,
    hist: d.cpuMillicoresHistogram,
  }));
  const sums = [
    'pod_millis',
    'spot_pod_millis',
    'cpu_core_nanos',
    'cpu_request_core_nanos',
    'memory_byte_seconds',
    'memory_request_byte_seconds',
    'cpu_init_core_nanos',
    'cpu_overhead_core_nanos',
    'memory_init_byte_seconds',
    'memory_overhead_byte_seconds',
  ];
  const texts = ['namespace', 'workload_kind', 'workload_name', 'owner', 'project', 'compute_type'];
  const amounts = [...sums, 'memory_peak_bytes'];
  // The merge happens in the database: sums added, the peak the greater, histogram weights added
  // key by key (values are decimal text so that they stay exact beyond 2^53).
  const set = [
    ...texts.slice(3).map((c) => `${c} = EXCLUDED.${c}`),
    ...sums.map((c) => `${c} = t.${c} + EXCLUDED.${c}`),
    'memory_peak_bytes = GREATEST(t.memory_peak_bytes, EXCLUDED.memory_peak_bytes)',
    `cpu_millicores_histogram = (SELECT jsonb_object_agg(k, ((COALESCE(t.cpu_millicores_histogram ->> k, '0'))::numeric
        + (COALESCE(EXCLUDED.cpu_millicores_histogram ->> k, '0'))::numeric)::text)
      FROM jsonb_object_keys(t.cpu_millicores_histogram || EXCLUDED.cpu_millicores_histogram) AS k)`,
  ].join(', ');
  const recordType = [...texts.map((c) => `${c} text`), ...amounts.map((c) => `${c} numeric`), 'hist jsonb'];
  // Ordered by key so that two writers of the same day lock rows in the same order (no deadlock):
  // the chunks in this order, each chunk's rows in the database's.
  rows.sort((a, b) => compareText(keyOf(a), keyOf(b)));
  // In chunks: at 100 000 workloads one statement's JSON was tens of megabytes, twice over (the
  // text, then the driver's copy), at the collector's peak of memory.
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
    await tx.query(
      `INSERT INTO workload_usage_daily AS t (cluster_id, tenant, day, ${texts.join(', ')}, ${amounts.join(', ')}, cpu_millicores_histogram)
       SELECT $1, $3, ${DAY_EXPR}, ${texts.join(', ')}, ${amounts.join(', ')}, hist
       FROM jsonb_to_recordset($4::jsonb) AS r(${recordType.join(', ')})
       ORDER BY namespace, workload_kind, workload_name
       ON CONFLICT (day, cluster_id, namespace, workload_kind, workload_name) DO UPDATE SET ${set}`,
      [w.clusterId, ts(w.intervalStart), tenant, toJson(rows.slice(i, i + ROWS_PER_STATEMENT))],
    );
  }
}

const ROWS_PER_STATEMENT = 5_000;
const keyOf = (r: { namespace: string; workload_kind: string; workload_name: string }) =>
  `${r.namespace}\u0000${r.workload_kind}\u0000${r.workload_name}`;
const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function fromRow(r: Record<string, unknown>): WorkloadDay {
  const hist = (r.cpu_millicores_histogram ?? {}) as Record<string, unknown>;
  return {
    namespace: String(r.namespace),
    workloadKind: String(r.workload_kind),
    workloadName: String(r.workload_name),
    owner: String(r.owner),
    project: String(r.project),
    computeType: String(r.compute_type),
    podMillis: toBigInt(r.pod_millis),
    spotPodMillis: toBigInt(r.spot_pod_millis),
    cpuCoreNanos: toBigInt(r.cpu_core_nanos),
    cpuRequestCoreNanos: toBigInt(r.cpu_request_core_nanos),
    memoryByteSeconds: toBigInt(r.memory_byte_seconds),
    memoryRequestByteSeconds: toBigInt(r.memory_request_byte_seconds),
    memoryPeakBytes: toBigInt(r.memory_peak_bytes),
    held: {
      cpuInitCoreNanos: toBigInt(r.cpu_init_core_nanos),
      cpuOverheadCoreNanos: toBigInt(r.cpu_overhead_core_nanos),
      memoryInitByteSeconds: toBigInt(r.memory_init_byte_seconds),
      memoryOverheadByteSeconds: toBigInt(r.memory_overhead_byte_seconds),
    },
    cpuMillicoresHistogram: Object.fromEntries(Object.entries(hist).map(([k, v]) => [k, toBigInt(v)])),
  };
}
