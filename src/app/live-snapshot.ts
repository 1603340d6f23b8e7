/**
 * One live reading of a cluster for `kubetally top` and the live views: pods, their current
 * usage from metrics.k8s.io, and the PVCs. Pods are keyed by UID; metrics (which carry no UID)
 * are matched by namespace and name among the pods listed at the same time.
 */
import type { Connection } from '../k8s/connection.js';
import { listAll } from '../k8s/lists.js';
import { getAllPodsMetrics, getPodsMetrics, type PodMetricsList } from '../k8s/metrics-api.js';
import { cpuToNanocores, memoryToBytes } from '../k8s/quantity.js';
import type { PodInfo, PvcInfo } from '../k8s/types.js';

export interface PodUsageNow {
  cpuNanoCores: bigint;
  memoryBytes: bigint;
}

export interface LiveSnapshot {
  /** Cluster time of the reading (the API server's Date), epoch ms. */
  time: number;
  pods: PodInfo[];
  /** Usage by pod UID; pods without metrics (too young, not running) are absent. */
  usage: Map<string, PodUsageNow>;
  pvcs: PvcInfo[];
}

export interface SnapshotOptions {
  namespace?: string;
  labelSelector?: string;
  /** Leave PVCs out (a caller that does not show storage). */
  withoutStorage?: boolean;
}

export async function readLiveSnapshot(
  conn: Connection,
  options: SnapshotOptions = {},
): Promise<LiveSnapshot> {
  const sel = options.labelSelector === undefined ? {} : { labelSelector: options.labelSelector };
  const ns = options.namespace === undefined ? {} : { namespace: options.namespace };
  const [pods, metrics, pvcs] = await Promise.all([
    listAll(conn, 'pods', { ...ns, ...sel }),
    options.namespace === undefined
      ? getAllPodsMetrics(conn, options.labelSelector)
      : getPodsMetrics(conn, options.namespace, options.labelSelector),
    options.withoutStorage
      ? Promise.resolve({ items: [] as PvcInfo[], date: undefined })
      : listAll(conn, 'persistentvolumeclaims', ns),
  ]);
  return {
    time: pods.date ?? Date.now(),
    pods: pods.items,
    usage: usageByUid(pods.items, metrics),
    pvcs: pvcs.items,
  };
}

/** Sums container usage per pod and keys it by the UID of the pod listed under that name. */
export function usageByUid(pods: readonly PodInfo[], metrics: PodMetricsList): Map<string, PodUsageNow> {
  const uidByName = new Map(pods.map((p) => [`${p.namespace}/${p.name}`, p.uid]));
  const out = new Map<string, PodUsageNow>();
  for (const item of metrics.items) {
    const uid = uidByName.get(`${item.metadata.namespace ?? ''}/${item.metadata.name}`);
    if (uid === undefined) continue;
    let cpu = 0n;
    let memory = 0n;
    for (const c of item.containers ?? []) {
      cpu += cpuToNanocores(c.usage?.cpu ?? '0');
      memory += memoryToBytes(c.usage?.memory ?? '0');
    }
    out.set(uid, { cpuNanoCores: cpu, memoryBytes: memory });
  }
  return out;
}
