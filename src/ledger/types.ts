import type { Millis } from '../domain/duration.js';
import type { HeldRequests, UsageAmounts } from '../domain/usage.js';
import type { SealedSecret } from './secret-box.js';
import type { NodeIntervalRow } from '../metering/nodes.js';

export type ClusterId = number;
export type ConnectionKind = 'kubeconfig' | 'in-cluster';
export type Json = Record<string, unknown>;

export interface ClusterRecord {
  id: ClusterId;
  tenant: string;
  name: string;
  connection: ConnectionKind;
  /** The uploaded kubeconfig, sealed; never the plaintext. */
  kubeconfig: SealedSecret | null;
  context: string | null;
  attribution: Json;
  pricing: Json;
  priceSheetId: number | null;
  collection: Json;
  createdAt: Millis;
  updatedAt: Millis;
}

export interface NewCluster {
  /** Default `default`. */
  tenant?: string;
  name: string;
  connection: ConnectionKind;
  kubeconfig?: SealedSecret | null;
  context?: string | null;
  attribution?: Json;
  pricing?: Json;
  priceSheetId?: number | null;
  collection?: Json;
}

export type ClusterPatch = Partial<Omit<NewCluster, 'tenant' | 'name'>>;

/** One raw sample as a source produced it; `payload` is JSON (bigints are stored as strings). */
export interface RawSample {
  time: Millis;
  kind: string;
  payload: unknown;
}

export interface StoredSample extends RawSample {
  id: number;
}

export type RunStatus = 'complete' | 'partial' | 'gap';

export interface GapInput {
  start: Millis;
  end: Millis;
  reason: string;
}

/** Usage of one pod (or of a claim or service not mounted by a pod) over one interval. */
export interface PodUsageRow {
  /** The pod's UID; rows that are not pods use a synthetic key such as `pvc:<ns>/<name>`. */
  podUid: string;
  namespace: string;
  podName: string;
  workloadKind?: string;
  workloadName?: string;
  owner: string;
  project: string;
  projectId?: string;
  computeType: string;
  node?: string;
  capacityType?: string;
  usage: Partial<UsageAmounts>;
  /** `storageByteSeconds` split by the claims' storage class (`''` when a claim has none). */
  storageByClass?: Record<string, bigint>;
  /** What init containers and overhead hold of the pod's request (savings read it). */
  held?: HeldRequests;
}

export type { NodeIntervalRow } from '../metering/nodes.js';

export interface IntervalWrite {
  clusterId: ClusterId;
  intervalStart: Millis;
  intervalEnd: Millis;
  status: RunStatus;
  /** Share of the interval covered by samples, 0…1. */
  coverage: number;
  sampleCount: number;
  podRows: PodUsageRow[];
  /** The cluster's nodes over the interval (for node prices and idle). */
  nodes?: NodeIntervalRow[];
  gaps: GapInput[];
  /** Collection errors, as JSON (kind, message, count…). */
  errors: unknown[];
  /** The cluster's first sample, when it falls inside this interval: the management fee counts from it. */
  managedFrom?: Millis;
}

export interface RunRecord {
  clusterId: ClusterId;
  intervalStart: Millis;
  intervalEnd: Millis;
  status: RunStatus;
  coverage: number;
  sampleCount: number;
  errors: unknown[];
  writtenAt: Millis;
}

export type GroupKey = 'tenant' | 'cluster' | 'owner' | 'project' | 'namespace' | 'computeType';
export type Step = 'interval' | 'hour' | 'day' | 'total';

export interface UsageQuery {
  tenant?: string;
  /** Cluster name (within `tenant` when given). */
  cluster?: string;
  clusterId?: ClusterId;
  owner?: string;
  project?: string;
  namespace?: string;
  /** Intervals whose start lies in [from, to) are counted. */
  from: Millis;
  to: Millis;
  groupBy: GroupKey[];
  step: Step;
  /**
   * An answer of more rows is refused, not read: it would be held whole in memory (a year by
   * interval and namespace is millions of rows). Unbounded when left out.
   */
  maxRows?: number;
}

export interface UsageRow {
  /** The values of the requested group keys (cluster → its name). */
  group: Partial<Record<GroupKey, string>>;
  /** Start of the bucket (UTC hour/day for those steps); absent for step `total`. */
  start?: Millis;
  usage: UsageAmounts;
}

export interface GapQuery {
  tenant?: string;
  cluster?: string;
  clusterId?: ClusterId;
  from: Millis;
  to: Millis;
}

export interface GapRecord {
  clusterId: ClusterId;
  cluster: string;
  /** The cluster's tenant: two tenants may name a cluster alike. */
  tenant: string;
  start: Millis;
  end: Millis;
  reason: string;
}

export interface CleanupOptions {
  clusterId: ClusterId;
  /** The cluster's time. */
  now: Millis;
  /**
   * Samples this long before the end of the last closed interval are kept whatever the retention:
   * the next interval reads them (collector: the interval length, at least its observation window).
   */
  openWindowMs: Millis;
  /** Raw observations are kept this long after their interval closed (default 30 min). */
  rawRetentionMs: Millis;
  /** Pod-level detail is kept this long after its interval started (default 14 days). */
  podDetailRetentionMs: Millis;
  /**
   * A removed cluster's own pod-detail retention, from its stored `collection` settings: removed
   * clusters of the same tenant are cleaned by this cluster's time, each by its own retention.
   */
  podDetailRetentionOf: (collection: Json) => Millis;
}

export interface CleanupResult {
  rawDeleted: number;
  podRowsDeleted: number;
}
