/**
 * Raw observations: what the collector saw of a cluster at one cluster time, as it must hand them
 * to the integration (`integrateInterval`). They are stored as they arrive, so they are small
 * plain records. Units: every time is epoch milliseconds (cluster time: the metrics' timestamps
 * and the API server's `Date`), every counter and quantity is an exact `bigint` with its unit in
 * the field name. `observation-json.ts` turns them into JSON and back.
 */
import type { Millis } from '../domain/duration.js';

/** The sources a cluster may provide (SPEC §7). */
export type SourceName = 'inventory' | 'metrics' | 'summary';

/**
 * One scrape of one source (and, for the Summary API, one node), successful or not. The
 * integration derives gaps from these: a source whose successful scrapes are more than ~2.5
 * sample periods apart, or that recorded an error, has a gap there.
 */
export interface ScrapeRecord {
  source: SourceName;
  /** The node, for per-node sources (the Summary API); absent for cluster-wide ones. */
  node?: string;
  time: Millis;
  /** Absent when the scrape succeeded; otherwise why it failed (`503 from metrics.k8s.io`, ...). */
  error?: string;
  /** The inventory's lists' resourceVersions (pods, claims, services), where watches resume. */
  versions?: Record<string, string>;
  /**
   * Optional lists (PVCs, services) the cluster refused in an inventory that succeeded: what they
   * give (storage, LoadBalancer hours) is a gap of its own while they are refused.
   */
  refused?: { list: string; error: string }[];
}

/** What each optional list gives, for messages and gaps when the cluster refuses it. */
export const OPTIONAL_LISTS = {
  persistentvolumeclaims: 'storage',
  services: 'LoadBalancer hours',
} as const;

export type OptionalList = keyof typeof OPTIONAL_LISTS;

/** What a scrape failed to read: its error, or the optional lists refused in a read inventory. */
export function scrapeErrors(s: ScrapeRecord): string[] {
  if (s.error !== undefined) return [s.error];
  return (s.refused ?? []).map((r) => r.error);
}

/** One reading of a container's cumulative CPU counter (kubelet Summary API `containers[].cpu`). */
export interface CpuCounterSample {
  podUid: string;
  container: string;
  /** When the counter was read (`cpu.time`). */
  time: Millis;
  /** The container's start (`containers[].startTime`); a new value means a restart. */
  containerStart: Millis;
  /** `usageCoreNanoSeconds`: CPU time since `containerStart`, core-nanoseconds. */
  coreNanos: bigint;
}

/** A metrics.k8s.io container CPU reading: the mean rate over [time − windowMs, time]. */
export interface CpuRateSample {
  podUid: string;
  container: string;
  /** The PodMetrics `timestamp`. */
  time: Millis;
  /** The PodMetrics `window`, milliseconds. */
  windowMs: Millis;
  /** Mean rate over the window, nanocores (1e9 = one core). */
  nanoCores: bigint;
}

/** A container's memory working set at `time` (metrics.k8s.io or Summary `workingSetBytes`). */
export interface MemorySample {
  podUid: string;
  container: string;
  time: Millis;
  workingSetBytes: bigint;
}

/** Cumulative network bytes of a pod's network namespace (Summary API `pods[].network`). */
export interface NetworkSample {
  podUid: string;
  time: Millis;
  /** The pod's `startTime` in the summary; counters restart from zero with a new value. */
  podStart: Millis;
  rxBytes: bigint;
  txBytes: bigint;
}

/** Filesystem stats of a PVC-backed volume (Summary API `pods[].volume[]` with `pvcRef`). */
export interface VolumeSample {
  namespace: string;
  claim: string;
  time: Millis;
  usedBytes: bigint;
}

/** Requested or limited amounts of one container (or a pod's overhead), exact units. */
export interface ResourceAmounts {
  /** CPU, nanocores (`100m` = 100_000_000n). */
  cpuNanoCores: bigint;
  memoryBytes: bigint;
  /** `nvidia.com/gpu`, whole devices. */
  gpus: bigint;
}

/** A terminated run of a container (`state.terminated` or `lastState.terminated`). */
export interface TerminatedRun {
  startedAt: Millis;
  finishedAt: Millis;
}

/** A container as listed in a pod at one inventory time. */
export interface ContainerObservation {
  name: string;
  /** `app` (spec.containers), `init`, or `sidecar` (an init container with restartPolicy Always). */
  kind: 'app' | 'init' | 'sidecar';
  requests: ResourceAmounts;
  limits: ResourceAmounts;
  /** `state.running.startedAt`, when running. */
  runningSince?: Millis;
  /** `state.terminated`, when terminated. */
  terminated?: TerminatedRun;
  /** `lastState.terminated`, when it has restarted. */
  lastTerminated?: TerminatedRun;
  restartCount: number;
}

/** A pod's workload controller: the `controller: true` ownerReference (a ReplicaSet's Deployment when known). */
export interface WorkloadRef {
  kind: string;
  name: string;
}

/** A pod as listed at one inventory time. Containers keep their declared order (init order matters). */
export interface PodObservation {
  uid: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** `spec.nodeName`; empty when not scheduled. */
  node: string;
  workload?: WorkloadRef;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  createdAt: Millis;
  /** When deletion was requested (`deletionTimestamp` less the grace period), if it was. */
  deletingAt?: Millis;
  /** `spec.overhead` (RuntimeClass), zero when none. */
  overhead: ResourceAmounts;
  containers: ContainerObservation[];
  /** Names of the PersistentVolumeClaims the pod mounts (its own namespace). */
  claims: string[];
  /** `spec.hostNetwork`: the kubelet reports the node's traffic as this pod's, which is not its own. */
  hostNetwork?: true;
  /** The pod had left when the inventory was taken: it is in its final state, from the watch. */
  departed?: true;
}

/** A PersistentVolumeClaim as listed at one inventory time. */
export interface ClaimObservation {
  namespace: string;
  name: string;
  storageClass?: string;
  /** The claim's labels: who pays for it while no pod mounts it. */
  labels?: Record<string, string>;
  /** `status.capacity.storage` (else the request), bytes. */
  capacityBytes: bigint;
  createdAt: Millis;
  deletingAt?: Millis;
  /** Gone when the inventory was taken: its final state, from the watch (not listed then). */
  departed?: true;
}

/** A Service of type LoadBalancer as listed at one inventory time. */
export interface LoadBalancerObservation {
  namespace: string;
  name: string;
  /** The service's labels: who pays for it. */
  labels?: Record<string, string>;
  /** `spec.selector`, when it has one: whose pods it serves (who pays when its labels say nothing). */
  selector?: Record<string, string>;
  createdAt: Millis;
  deletingAt?: Millis;
  /** Gone when the inventory was taken: its final state, from the watch (not listed then). */
  departed?: true;
}

/** A node as listed at one inventory time (cluster-scoped: `namespace` is always `''`). */
export interface NodeObservation {
  namespace: '';
  name: string;
  /** `node.kubernetes.io/instance-type` (or its beta label), `''` when absent. */
  instanceType: string;
  /** Spot or on-demand, from the cloud's node labels. */
  capacityType: 'on-demand' | 'spot';
  allocatable: ResourceAmounts;
  createdAt: Millis;
  deletingAt?: Millis;
}

/** One complete inventory (every pod, claim, LoadBalancer service and node) seen at `time`. */
export interface InventorySnapshot {
  time: Millis;
  pods: PodObservation[];
  claims: ClaimObservation[];
  loadBalancers: LoadBalancerObservation[];
  /** Absent in inventories that did not list nodes. */
  nodes?: NodeObservation[];
}

/** Everything observed of one cluster in a window of time. */
export interface ObservationBatch {
  scrapes: ScrapeRecord[];
  inventories: InventorySnapshot[];
  cpuCounters: CpuCounterSample[];
  cpuRates: CpuRateSample[];
  memory: MemorySample[];
  network: NetworkSample[];
  volumes: VolumeSample[];
}

export function emptyBatch(): ObservationBatch {
  return {
    scrapes: [],
    inventories: [],
    cpuCounters: [],
    cpuRates: [],
    memory: [],
    network: [],
    volumes: [],
  };
}
