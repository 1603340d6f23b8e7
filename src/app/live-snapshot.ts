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
import {
  LiveGroups,
  toLivePod,
  type LiveGroup,
  type LiveGroupBy,
  type LivePod,
  type PodUsageNow,
} from './live-rows.js';

export interface LiveSnapshot {
  /** Cluster time of the reading (the API server's Date), epoch ms. */
  time: number;
  /** Pods that hold resources now (Running or Pending), attributed. */
  pods: LivePod[];
  /** Capacity of every PVC, by `namespace/name`. */
  capacities: Map<string, bigint>;
  /** The pods summed by `groupBy`, when asked for. */
  groups?: LiveGroup[];
}

export interface SnapshotOptions {
  namespace?: string;
  labelSelector?: string;
  /**
   * Sum pods into these groups as their pages arrive instead of keeping them: `groups` is then
   * set and `pods` is empty, so memory stays bounded by the number of groups.
   */
  groupBy?: LiveGroupBy;
  /** Told how many pods have been read so far, as pages arrive (for a progress display). */
  onPods?: (read: number) => void;
}

const PROGRESS_EVERY = 500;

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
  const capacities = new Map(pvcs.items.map((c) => [`${c.namespace}/${c.name}`, c.capacityBytes]));
  const groupBy = options.groupBy;
  let groups: LiveGroups | undefined;
  let read = 0;
  const bound = new Set(pvcs.items.filter((c) => c.phase === 'Bound').map((c) => `${c.namespace}/${c.name}`));
  const pods = await listAll(
    conn,
    'pods',
    { ...ns, ...(options.labelSelector === undefined ? {} : { labelSelector: options.labelSelector }) },
    (p) => {
      if (++read % PROGRESS_EVERY === 0) options.onPods?.(read);
      if (p.phase !== 'Running' && p.phase !== 'Pending') return undefined;
      const pod = toLivePod(p, usage.get(`${p.namespace}/${p.name}`), bound, rules);
      if (groups === undefined) return pod;
      groups.add(pod);
      return undefined;
    },
    // A list that starts over after a 410 starts its sums over too.
    () => {
      read = 0;
      groups = groupBy === undefined ? undefined : new LiveGroups(groupBy, capacities);
    },
  );
  return {
    time: pods.date ?? Date.now(),
    pods: pods.items,
    capacities,
    ...(groups === undefined ? {} : { groups: groups.result() }),
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
