import type { Millis } from '../domain/duration.js';
import { toMillis, type Db } from './db.js';
import * as clusters from './clusters.js';
import { writeInterval } from './interval-writer.js';
import { acquireLease, releaseLease, renewLease } from './leases.js';
import { firstObservationTime, readObservations, recordObservations } from './observations.js';
import { cleanup } from './retention.js';
import { listGaps, queryUsage } from './usage-query.js';
import type {
  CleanupOptions,
  CleanupResult,
  ClusterId,
  ClusterPatch,
  ClusterRecord,
  GapQuery,
  GapRecord,
  IntervalWrite,
  NewCluster,
  RawSample,
  RunRecord,
  RunStatus,
  StoredSample,
  UsageQuery,
  UsageRow,
} from './types.js';

/** The cluster registry (encrypted kubeconfigs are sealed by the caller; see secret-box.ts). */
export interface ClusterRegistry {
  createTenant(name: string): Promise<boolean>;
  listTenants(): Promise<string[]>;
  createCluster(cluster: NewCluster): Promise<ClusterRecord>;
  getCluster(tenant: string, name: string): Promise<ClusterRecord | undefined>;
  getClusterById(id: ClusterId): Promise<ClusterRecord | undefined>;
  listClusters(tenant?: string): Promise<ClusterRecord[]>;
  updateCluster(id: ClusterId, patch: ClusterPatch): Promise<ClusterRecord>;
  removeCluster(id: ClusterId): Promise<void>;
}

/** What the collector needs: raw samples in, closed intervals out, exactly once, under a lease. */
export interface CollectionLedger {
  recordObservations(clusterId: ClusterId, samples: RawSample[]): Promise<void>;
  readObservations(clusterId: ClusterId, from: Millis, to: Millis): Promise<StoredSample[]>;
  /** The oldest stored sample's time, or undefined when none is stored. */
  firstObservationTime(clusterId: ClusterId): Promise<Millis | undefined>;
  writeInterval(write: IntervalWrite): Promise<{ written: boolean }>;
  /** The newest written interval of the cluster, or undefined before the first. */
  lastClosedInterval(clusterId: ClusterId): Promise<RunRecord | undefined>;
  recentRuns(clusterId: ClusterId, limit: number): Promise<RunRecord[]>;
  acquireLease(clusterId: ClusterId, holder: string, ttlMs: Millis, now: Millis): Promise<boolean>;
  renewLease(clusterId: ClusterId, holder: string, ttlMs: Millis, now: Millis): Promise<boolean>;
  releaseLease(clusterId: ClusterId, holder: string): Promise<void>;
  cleanup(options: CleanupOptions): Promise<CleanupResult>;
}

/** What the API, CLI and pricing read. */
export interface UsageReader {
  queryUsage(query: UsageQuery): Promise<UsageRow[]>;
  listGaps(query: GapQuery): Promise<GapRecord[]>;
}

export type LedgerStore = ClusterRegistry & CollectionLedger & UsageReader;

/** The one implementation of the ledger ports, over either database adapter. */
export function createStore(db: Db): LedgerStore {
  return {
    createTenant: (name) => clusters.createTenant(db, name),
    listTenants: () => clusters.listTenants(db),
    createCluster: (c) => clusters.createCluster(db, c),
    getCluster: (tenant, name) => clusters.getCluster(db, tenant, name),
    getClusterById: (id) => clusters.getClusterById(db, id),
    listClusters: (tenant) => clusters.listClusters(db, tenant),
    updateCluster: (id, patch) => clusters.updateCluster(db, id, patch),
    removeCluster: (id) => clusters.removeCluster(db, id),
    recordObservations: (id, samples) => recordObservations(db, id, samples),
    readObservations: (id, from, to) => readObservations(db, id, from, to),
    firstObservationTime: (id) => firstObservationTime(db, id),
    writeInterval: (w) => writeInterval(db, w),
    lastClosedInterval: async (id) => (await recentRuns(db, id, 1))[0],
    recentRuns: (id, limit) => recentRuns(db, id, limit),
    acquireLease: (id, holder, ttl, now) => acquireLease(db, id, holder, ttl, now),
    renewLease: (id, holder, ttl, now) => renewLease(db, id, holder, ttl, now),
    releaseLease: (id, holder) => releaseLease(db, id, holder),
    cleanup: (o) => cleanup(db, o),
    queryUsage: (q) => queryUsage(db, q),
    listGaps: (q) => listGaps(db, q),
  };
}

async function recentRuns(db: Db, clusterId: ClusterId, limit: number): Promise<RunRecord[]> {
  const rows = await db.query<{
    interval_start: unknown;
    interval_end: unknown;
    status: RunStatus;
    coverage: unknown;
    sample_count: unknown;
    errors: unknown[];
    written_at: unknown;
  }>(
    `SELECT interval_start, interval_end, status, coverage, sample_count, errors, written_at FROM collection_runs
     WHERE cluster_id = $1 ORDER BY interval_start DESC LIMIT $2`,
    [clusterId, limit],
  );
  return rows.map((r) => ({
    clusterId,
    intervalStart: toMillis(r.interval_start),
    intervalEnd: toMillis(r.interval_end),
    status: r.status,
    coverage: Number(r.coverage),
    sampleCount: Number(r.sample_count),
    errors: r.errors,
    writtenAt: toMillis(r.written_at),
  }));
}
