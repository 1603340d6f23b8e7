/**
 * One live reading of a cluster for `kubetally top` and the live views: PVCs, current usage from
 * metrics.k8s.io, then the pods, each turned into a small attributed row as its page arrives
 * (so that 100k pods never sit in memory as full objects). Pods are keyed by UID; metrics, which
 * carry no UID, are matched by namespace and name among the pods listed at the same time.
 */
import type { CompiledRules } from '../attribution/index.js';
import type { Connection } from '../k8s/connection.js';
import { listAll } from '../k8s/lists.js';
import { getAllPodsMetrics, getPodsMetrics, type PodMetricsList } from '../k8s/metrics-api.js';
import { cpuToNanocores, memoryToBytes } from '../k8s/quantity.js';
import { toLivePod, type LivePod, type PodUsageNow } from './live-rows.js';

export interface LiveSnapshot {
  /** Cluster time of the reading (the API server's Date), epoch ms. */
  time: number;
  /** Pods that hold resources now (Running or Pending), attributed. */
  pods: LivePod[];
  /** Capacity of every PVC, by `namespace/name`. */
  capacities: Map<string, bigint>;
}

export interface SnapshotOptions {
  namespace?: string;
  labelSelector?: string;
}

export async function readLiveSnapshot(
  conn: Connection,
  rules: CompiledRules,
  options: SnapshotOptions = {},
): Promise<LiveSnapshot> {
  const ns = options.namespace === undefined ? {} : { namespace: options.namespace };
  const [metrics, pvcs] = await Promise.all([
    options.namespace === undefined
      ? getAllPodsMetrics(conn, options.labelSelector)
      : getPodsMetrics(conn, options.namespace, options.labelSelector),
    listAll(conn, 'persistentvolumeclaims', ns, (c) => c),
  ]);
  const usage = usageByName(metrics);
  const bound = new Set(pvcs.items.filter((c) => c.phase === 'Bound').map((c) => `${c.namespace}/${c.name}`));
  const pods = await listAll(
    conn,
    'pods',
    { ...ns, ...(options.labelSelector === undefined ? {} : { labelSelector: options.labelSelector }) },
    (p) =>
      p.phase === 'Running' || p.phase === 'Pending'
        ? toLivePod(p, usage.get(`${p.namespace}/${p.name}`), bound, rules)
        : undefined,
  );
  return {
    time: pods.date ?? Date.now(),
    pods: pods.items,
    capacities: new Map(pvcs.items.map((c) => [`${c.namespace}/${c.name}`, c.capacityBytes])),
  };
}

/** Sums container usage per pod, keyed by `namespace/name`. */
function usageByName(metrics: PodMetricsList): Map<string, PodUsageNow> {
  const out = new Map<string, PodUsageNow>();
  for (const item of metrics.items) {
    let cpu = 0n;
    let memory = 0n;
    for (const c of item.containers ?? []) {
      cpu += cpuToNanocores(c.usage?.cpu ?? '0');
      memory += memoryToBytes(c.usage?.memory ?? '0');
    }
    out.set(`${item.metadata.namespace ?? ''}/${item.metadata.name}`, {
      cpuNanoCores: cpu,
      memoryBytes: memory,
    });
  }
  return out;
}
