import type { Millis } from '../domain/duration.js';
import { toMillis, type Db } from './db.js';
import * as clusters from './clusters.js';
import { writeInterval } from './interval-writer.js';
import { acquireLease, releaseLease, renewLease } from './leases.js';
import {
  firstObservationTime,
  lastObservationTime,
  latestObservationTime,
  nextInventoryTime,
  observationKinds,
  readObservations,
  recordObservations,
} from './observations.js';
import { cleanup } from './retention.js';
import { listGaps, queryUsage } from './usage-query.js';
import * as accounts from './accounts.js';
import * as tokens from './tokens.js';
import {
  clusterCostTotals,
  queryCosts,
  type ClusterCostTotals,
  type CostQuery,
  type CostRow,
} from './cost-query.js';
import {
  billedCurrencies,
  clusterSheetAt,
  listClusterPriceSheets,
  setClusterPriceSheet,
  type StoredSheet,
} from './price-sheets.js';
import type { SheetInForce } from './pricing-source.js';
import type { SealedSecret } from './secret-box.js';
import * as savings from './savings-data.js';
import type { ClaimWindow, LoadBalancerWindow, NotebookWindow } from '../pricing/savings/recommend.js';
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
  /** Registered clusters; with `removed`, those removed too (their ledger history stays). */
  listClusters(tenant?: string, options?: { removed?: boolean }): Promise<ClusterRecord[]>;
  updateCluster(id: ClusterId, patch: ClusterPatch): Promise<ClusterRecord>;
  /** Replaces the sealed kubeconfig `from` (while it is still stored) with `to`: a key rotation. */
  resealKubeconfig(id: ClusterId, from: SealedSecret, to: SealedSecret): Promise<boolean>;
  removeCluster(id: ClusterId): Promise<void>;
}

/** What the collector needs: raw samples in, closed intervals out, exactly once, under a lease. */
export interface CollectionLedger {
  recordObservations(clusterId: ClusterId, samples: RawSample[]): Promise<void>;
  /** Samples taken in [from, to), oldest first; only those of `kinds` when given. */
  readObservations(
    clusterId: ClusterId,
    from: Millis,
    to: Millis,
    kinds?: readonly string[],
  ): Promise<StoredSample[]>;
  observationKinds(clusterId: ClusterId, from: Millis, to: Millis): Promise<string[]>;
  /** The oldest stored sample's time, or undefined when none is stored. */
  firstObservationTime(clusterId: ClusterId): Promise<Millis | undefined>;
  /** The newest stored sample's time that read the inventory, or undefined when none is stored. */
  lastObservationTime(clusterId: ClusterId): Promise<Millis | undefined>;
  /** The newest sample of `kind` at or before `t`. */
  latestObservationTime(clusterId: ClusterId, kind: string, t: Millis): Promise<Millis | undefined>;
  /** The first sample at or after `t` with a successful inventory. */
  nextInventoryTime(clusterId: ClusterId, t: Millis): Promise<Millis | undefined>;
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

/** Usage with costs, and the per-cluster totals (idle, over-allocation, management) beside the rows. */
export interface CostReader {
  queryCosts(query: CostQuery): Promise<CostRow[]>;
  clusterCostTotals(query: Omit<CostQuery, 'groupBy' | 'step'>): Promise<ClusterCostTotals[]>;
}

/** What savings recommendations read of one cluster over a window. */
export interface SavingsReader {
  workloadDays(clusterId: ClusterId, window: savings.Window): Promise<savings.DatedWorkloadDay[]>;
  notebookWindows(clusterId: ClusterId, window: savings.Window): Promise<NotebookWindow[]>;
  claimWindows(
    clusterId: ClusterId,
    window: savings.Window,
  ): Promise<{ claims: ClaimWindow[]; writtenIntervals: number }>;
  loadBalancerWindows(clusterId: ClusterId, window: savings.Window): Promise<LoadBalancerWindow[]>;
  /** The start of the cluster's first written interval: how much history there is. */
  firstIntervalStart(clusterId: ClusterId): Promise<Millis | undefined>;
}

/** A cluster's price sheet history; a new sheet never reprices what is billed. */
export interface PriceSheetStore {
  /** Validates the sheet (JSON form, with `basis` and optional `effectiveFrom`) and records it. */
  setClusterPriceSheet(clusterId: ClusterId, sheet: unknown): Promise<StoredSheet>;
  listClusterPriceSheets(clusterId: ClusterId): Promise<StoredSheet[]>;
  /** The sheet that prices the cluster's interval starting at `at`. */
  clusterSheetAt(clusterId: ClusterId, at: Millis): Promise<SheetInForce>;
  /** The currencies the tenant's intervals were billed in, any cluster's (removed ones too). */
  billedCurrencies(tenant: string): Promise<string[]>;
}

/** Credit accounts: balances, top-ups, history, external ids. Debits come with each interval. */
export interface AccountStore {
  getAccount(tenant: string, owner: string): Promise<accounts.Account | undefined>;
  accountByExternalId(tenant: string, externalId: string): Promise<accounts.Account | undefined>;
  listAccounts(tenant?: string): Promise<accounts.Account[]>;
  updateAccount(tenant: string, owner: string, patch: accounts.AccountPatch): Promise<accounts.Account>;
  addCredit(
    tenant: string,
    owner: string,
    credit: accounts.NewCredit,
  ): Promise<{ entry: accounts.CreditEntry; created: boolean }>;
  creditHistory(
    tenant: string,
    owner: string,
    options?: accounts.HistoryOptions,
  ): Promise<accounts.CreditEntry[]>;
}

/** API tokens: only hashes are stored; the plaintext is returned once, at creation. */
export interface TokenStore {
  createToken(
    token: tokens.NewToken,
    plaintext?: string,
  ): Promise<{ token: string; record: tokens.TokenRecord }>;
  /** The live (not revoked) token with this plaintext. */
  findToken(plaintext: string): Promise<tokens.TokenRecord | undefined>;
  listTokens(tenant?: string): Promise<(tokens.TokenRecord & { revoked: boolean })[]>;
  revokeToken(id: string, tenant?: string): Promise<tokens.Revocation | undefined>;
  revokedTokenId(plaintext: string): Promise<string | undefined>;
  countAdminTokens(): Promise<number>;
}

export type LedgerStore = ClusterRegistry &
  CollectionLedger &
  UsageReader &
  CostReader &
  SavingsReader &
  PriceSheetStore &
  AccountStore &
  TokenStore;

/** The one implementation of the ledger ports, over either database adapter. */
export function createStore(db: Db): LedgerStore {
  return {
    createTenant: (name) => clusters.createTenant(db, name),
    listTenants: () => clusters.listTenants(db),
    createCluster: (c) => clusters.createCluster(db, c),
    getCluster: (tenant, name) => clusters.getCluster(db, tenant, name),
    getClusterById: (id) => clusters.getClusterById(db, id),
    listClusters: (tenant, options) => clusters.listClusters(db, tenant, options),
    updateCluster: (id, patch) => clusters.updateCluster(db, id, patch),
    resealKubeconfig: (id, from, to) => clusters.resealKubeconfig(db, id, from, to),
    removeCluster: (id) => clusters.removeCluster(db, id),
    recordObservations: (id, samples) => recordObservations(db, id, samples),
    readObservations: (id, from, to, kinds) => readObservations(db, id, from, to, kinds),
    observationKinds: (id, from, to) => observationKinds(db, id, from, to),
    firstObservationTime: (id) => firstObservationTime(db, id),
    lastObservationTime: (id) => lastObservationTime(db, id),
    latestObservationTime: (id, kind, t) => latestObservationTime(db, id, kind, t),
    nextInventoryTime: (id, t) => nextInventoryTime(db, id, t),
    writeInterval: (w) => writeInterval(db, w),
    lastClosedInterval: async (id) => (await recentRuns(db, id, 1))[0],
    recentRuns: (id, limit) => recentRuns(db, id, limit),
    acquireLease: (id, holder, ttl, now) => acquireLease(db, id, holder, ttl, now),
    renewLease: (id, holder, ttl, now) => renewLease(db, id, holder, ttl, now),
    releaseLease: (id, holder) => releaseLease(db, id, holder),
    cleanup: (o) => cleanup(db, o),
    queryUsage: (q) => queryUsage(db, q),
    listGaps: (q) => listGaps(db, q),
    queryCosts: (q) => queryCosts(db, q),
    clusterCostTotals: (q) => clusterCostTotals(db, q),
    workloadDays: (id, w) => savings.workloadDays(db, id, w),
    notebookWindows: (id, w) => savings.notebookWindows(db, id, w),
    claimWindows: (id, w) => savings.claimWindows(db, id, w),
    loadBalancerWindows: (id, w) => savings.loadBalancerWindows(db, id, w),
    firstIntervalStart: (id) => savings.firstIntervalStart(db, id),
    setClusterPriceSheet: (id, sheet) => setClusterPriceSheet(db, id, sheet),
    listClusterPriceSheets: (id) => listClusterPriceSheets(db, id),
    clusterSheetAt: (id, at) => clusterSheetAt(db, id, at),
    billedCurrencies: (tenant) => billedCurrencies(db, tenant),
    getAccount: (tenant, owner) => accounts.getAccount(db, tenant, owner),
    accountByExternalId: (tenant, id) => accounts.accountByExternalId(db, tenant, id),
    listAccounts: (tenant) => accounts.listAccounts(db, tenant),
    updateAccount: (tenant, owner, patch) => accounts.updateAccount(db, tenant, owner, patch),
    addCredit: (tenant, owner, credit) => accounts.addCredit(db, tenant, owner, credit),
    creditHistory: (tenant, owner, o) => accounts.creditHistory(db, tenant, owner, o),
    createToken: (t, plaintext) => tokens.createToken(db, t, plaintext),
    findToken: (plaintext) => tokens.findToken(db, plaintext),
    listTokens: (tenant) => tokens.listTokens(db, tenant),
    revokeToken: (id, tenant) => tokens.revokeToken(db, id, tenant),
    revokedTokenId: (plaintext) => tokens.revokedTokenId(db, plaintext),
    countAdminTokens: () => tokens.countAdminTokens(db),
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
