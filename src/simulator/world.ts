/**
 * The port between the simulator's model (scenario, usage models, lifecycles, truth) and its
 * HTTP server (routing, paging, selectors, Tables, faults, auth). The model knows everything
 * about the cluster at any instant; the server only asks it questions at the clock's time.
 *
 * All times are epoch milliseconds (integers). The model is deterministic: the same scenario,
 * seed and time give the same answers, whatever was asked before.
 */
import type { Millis } from '../domain/duration.js';

/** The kinds the simulated API serves as core v1 lists. */
export const LIST_KINDS = [
  'pods',
  'nodes',
  'namespaces',
  'persistentvolumeclaims',
  'persistentvolumes',
  'services',
] as const;
export type ListKind = (typeof LIST_KINDS)[number];

/** The kinds the simulator serves watches of: every kind it lists, as discovery says (verb watch). */
export const WATCH_KINDS = LIST_KINDS;
export type WatchKind = ListKind;

/**
 * A cheap reference to one object, enough for sorting, selectors and paging without rendering
 * the whole object (so that 100k pods can be paged with bounded memory).
 */
export interface SimHandle {
  readonly kind: ListKind;
  readonly name: string;
  /** Empty for cluster-scoped kinds (nodes, namespaces, persistentvolumes). */
  readonly namespace: string;
  readonly uid: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** `/sim/truth` grouping: `pod`, `namespace` or `label:KEY`. */
export type TruthGroupBy = 'pod' | 'namespace' | `label:${string}`;

/** One group of exact integrals over [from, to). Units are in the field names. */
export interface TruthGroup {
  key: string;
  cpuCoreSeconds: number;
  cpuRequestCoreSeconds: number;
  memoryByteSeconds: number;
  memoryRequestByteSeconds: number;
  gpuSeconds: number;
  storageByteSeconds: number;
  networkTxBytes: number;
  networkRxBytes: number;
  podSeconds: number;
}

export interface TruthReply {
  from: string;
  to: string;
  groupBy: TruthGroupBy;
  groups: TruthGroup[];
}

export interface World {
  readonly scenario: { readonly name: string; readonly seed: number; readonly start: Millis };

  /**
   * Objects of `kind` that exist (are listed by the API server) at `t`, sorted by namespace,
   * then name, as the real API server returns them.
   */
  list(kind: ListKind, t: Millis): readonly SimHandle[];

  /** Looks one object up by namespace ('' for cluster-scoped) and name at `t`. */
  get(kind: ListKind, namespace: string, name: string, t: Millis): SimHandle | undefined;

  /** The full v1 object (Pod, Node, Namespace, PersistentVolumeClaim, ...) as JSON at `t`. */
  render(handle: SimHandle, t: Millis): Record<string, unknown>;

  /** `render` as a protobuf message (no envelope), for pods; undefined for other kinds. */
  renderBytes(handle: SimHandle, t: Millis): Uint8Array | undefined;

  /**
   * The value of a field-selector field (`status.phase`, `spec.nodeName`, `metadata.name`, ...)
   * at `t`, or `undefined` when the kind does not support that field (the server answers 400).
   */
  fieldValue(handle: SimHandle, field: string, t: Millis): string | undefined;

  /**
   * metrics.k8s.io v1beta1 `PodMetrics` as metrics-server would serve it at `t`, or `undefined`
   * when metrics-server would leave the pod out (not running, or too young for two scrapes).
   */
  podMetrics(handle: SimHandle, t: Millis): Record<string, unknown> | undefined;

  /** metrics.k8s.io v1beta1 `NodeMetrics` at `t`, or `undefined` when it has none. */
  nodeMetrics(handle: SimHandle, t: Millis): Record<string, unknown> | undefined;

  /** The kubelet Summary API (`/stats/summary`) of one node at `t`. */
  nodeSummary(nodeName: string, t: Millis): Record<string, unknown> | undefined;

  /** Exact integrals over [from, to) grouped as asked. */
  truth(from: Millis, to: Millis, groupBy: TruthGroupBy): TruthReply;

  /** A resourceVersion for lists at `t` (monotonic in `t`). */
  resourceVersion(t: Millis): string;

  /**
   * Every change in (from, to], oldest first, for watches. Pods: ADDED at creation, MODIFIED at
   * each change of state, DELETED when it stops being listed. Claims, their volumes and services:
   * ADDED at creation, DELETED at their end. Namespaces: ADDED at creation. Nodes: none (they
   * exist from before the scenario's start to its end). Render each at its `time`.
   */
  events(
    kind: WatchKind,
    from: Millis,
    to: Millis,
  ): { type: 'ADDED' | 'MODIFIED' | 'DELETED'; time: Millis; handle: SimHandle }[];
}
