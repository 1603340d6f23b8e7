/**
 * One live reading of a cluster for `kubetally top` and the live views: PVCs, current usage from
 * metrics.k8s.io and the pods, read at once, each pod turned into a small attributed row as its
 * page arrives (so that 100k pods never sit in memory as full objects). Pods are keyed by UID; metrics, which
 * carry no UID, are matched by namespace and name among the pods listed at the same time.
 */
import type { CompiledRules } from '../attribution/index.js';
import type { KubetallyError } from '../domain/errors.js';
import type { Connection } from '../k8s/connection.js';
import { listAll, unlessForbidden } from '../k8s/lists.js';
import { readPodsUsage } from '../k8s/pod-usage.js';
import {
  joinUsage,
  LiveGroups,
  toLivePod,
  type LiveGroup,
  type LiveGroupBy,
  type LivePod,
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
  /**
   * The cluster's refusal (403) to list PVCs, with the RBAC rule in its hint: storage is then
   * unknown (every capacity reads 0), while the rest of the reading stands.
   */
  storageRefused?: KubetallyError;
}

export interface SnapshotOptions {
  namespace?: string;
  labelSelector?: string;
  /** Sum the pods into these groups: `groups` is then set and `pods` is empty. */
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
  let read = 0;
  // Usage and claims, once both have arrived; pods that come before wait in `waiting`.
  let join: ((pod: LivePod) => void) | undefined;
  let waiting: LivePod[] = [];
  let groups: LiveGroups | undefined;
  let capacities = new Map<string, bigint>();
  let storageRefused: KubetallyError | undefined;
  const take = (pod: LivePod) => {
    if (join === undefined) return void waiting.push(pod);
    join(pod);
    groups?.add(pod);
  };
  const ready = Promise.all([
    readPodsUsage(conn, {
      ...ns,
      ...(options.labelSelector === undefined ? {} : { labelSelector: options.labelSelector }),
    }),
    // Claims only size the storage column: a cluster that refuses them still shows usage.
    unlessForbidden(
      listAll(conn, 'persistentvolumeclaims', ns, (c) => c),
      (err) => (storageRefused = err),
    ),
  ]).then(([usage, pvcs]) => {
    capacities = new Map(pvcs.items.map((c) => [`${c.namespace}/${c.name}`, c.capacityBytes]));
    const bound = new Set(
      pvcs.items.filter((c) => c.phase === 'Bound').map((c) => `${c.namespace}/${c.name}`),
    );
    if (options.groupBy !== undefined) groups = new LiveGroups(options.groupBy, capacities);
    join = (pod) => joinUsage(pod, usage.get(pod.namespace)?.get(pod.name), bound);
    for (const pod of waiting) take(pod);
    waiting = [];
  });
  // Pods are read at the same time and attributed as their pages arrive; with `groupBy`, summed
  // as soon as usage is known, so that 100k pods never need to be held.
  const listing = listAll(
    conn,
    'pods',
    {
      ...ns,
      ...(options.labelSelector === undefined ? {} : { labelSelector: options.labelSelector }),
      leanPods: true,
    },
    (p) => {
      if (++read % PROGRESS_EVERY === 0) options.onPods?.(read);
      if (p.phase !== 'Running' && p.phase !== 'Pending') return undefined;
      const pod = toLivePod(p, rules);
      take(pod);
      return options.groupBy === undefined ? pod : undefined;
    },
    // A list that starts over after a 410 starts its sums over too.
    () => {
      read = 0;
      waiting = [];
      if (options.groupBy !== undefined && join !== undefined)
        groups = new LiveGroups(options.groupBy, capacities);
    },
  );
  // The first failure of either ends the reading.
  const [, pods] = await Promise.all([ready, listing]);
  const time = pods.date ?? Date.now();
  const refused = storageRefused === undefined ? {} : { storageRefused };
  if (groups === undefined) return { time, pods: pods.items, capacities, ...refused };
  return { time, pods: [], capacities, groups: groups.result(), ...refused };
}
