/**
 * One collection round of one cluster (`kubetally collect`, `POST /clusters/{name}/collect`, and
 * each tick of the background collector): take the cluster's lease, sample every source, store
 * the raw records at once (a crash loses at most this sample), then close every interval the
 * cluster's time has passed. Rounds of one cluster never overlap within a process; across
 * processes the lease keeps one collector per cluster, and the ledger writes each interval once.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { compileRules, type CompiledRules } from '../attribution/index.js';
import { rfc3339 } from '../domain/time.js';
import type { ClusterRecord } from '../ledger/types.js';
import type { Connection } from '../k8s/connection.js';
import { closeDueIntervals } from '../collector/close-intervals.js';
import { LEAD_PERIODS } from '../metering/integrate-interval.js';
import type { CollectOutcome } from '../collector/outcome.js';
import { takeSample } from '../collector/sample.js';
import { InventoryEncoder } from '../collector/inventory-delta.js';
import { collectionSettings } from '../collector/settings.js';
import { inventoryWatches, type InventoryWatches } from '../sources/departures.js';
import { PodReuse } from '../k8s/pod-reuse.js';
import { connectCluster } from './cluster-connection.js';
import { newestScrapes } from './newest-scrapes.js';
import type { AppContext } from './context.js';

export interface CollectOptions {
  /** Who holds leases for this process (default: host, pid and a random suffix). */
  holder?: string;
}

/** Per process: the lease holder id, the clusters' clock offsets, rounds in flight. */
const processHolder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;

/** What a process remembers of each cluster between rounds, per opened ledger. */
interface ClusterState {
  /** Cluster time minus local time at the last success. */
  skew: number;
  inFlight?: Promise<unknown>;
  lastCleanup: number;
  conn?: { updatedAt: number; conn: Promise<Connection>; departures?: InventoryWatches; pods: PodReuse };
  /** One per shard (see collector/shards.ts). */
  inventories: InventoryEncoder[];
}
const states = new WeakMap<AppContext, Map<number, ClusterState>>();
function stateOf(ctx: AppContext, clusterId: number): ClusterState {
  let m = states.get(ctx);
  if (m === undefined) {
    const clusters = (m = new Map());
    states.set(ctx, clusters);
    // A watch of pods would outlive the context (and keep a process, or a test, from ending).
    ctx.onClose(() => {
      for (const s of clusters.values()) stopWatching(s);
    });
  }
  let s = m.get(clusterId);
  if (s === undefined) m.set(clusterId, (s = { skew: 0, lastCleanup: -Infinity, inventories: [] }));
  return s;
}
const CLEANUP_EVERY_MS = 5 * 60_000;

export function defaultHolder(): string {
  return process.env.KUBETALLY_INSTANCE_ID?.trim() || processHolder;
}

export async function collectNow(
  ctx: AppContext,
  cluster: ClusterRecord,
  options: CollectOptions = {},
): Promise<CollectOutcome> {
  const state = stateOf(ctx, cluster.id);
  const previous = state.inFlight ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => round(ctx, cluster, options, state));
  state.inFlight = run;
  try {
    return await run;
  } finally {
    if (state.inFlight === run) delete state.inFlight;
  }
}

async function round(
  ctx: AppContext,
  cluster: ClusterRecord,
  options: CollectOptions,
  state: ClusterState,
): Promise<CollectOutcome> {
  const clusterNow = () => Date.now() + state.skew;
  const settings = collectionSettings(cluster.collection);
  const holder = options.holder ?? defaultHolder();
  const ttl = Math.max(3 * settings.sampleEvery, 30_000);
  const base = { cluster: cluster.name, tenant: cluster.tenant };
  if (!(await ctx.store.acquireLease(cluster.id, holder, ttl, Date.now()))) {
    resetEncoders(state); // another replica writes meanwhile: start again from full ones
    stopWatching(state); // and it watches: what left meanwhile is its to account
    return {
      ...base,
      clusterTime: rfc3339(clusterNow()),
      clusterTimeEstimated: true,
      sources: [],
      observations: 0,
      intervals: [],
      skipped: true,
    };
  }
  const conn = await connectionOf(ctx, cluster, state);
  if (state.inventories.length !== settings.shards) {
    state.inventories = Array.from({ length: settings.shards }, () => new InventoryEncoder());
  }
  const departures = settings.watch ? await departuresOf(ctx, cluster.id, state, conn) : undefined;
  if (!settings.watch) stopWatching(state);
  const sample = await takeSample(conn, settings, {
    clusterNow,
    encoders: state.inventories,
    ...(departures === undefined ? {} : { departures }),
    ...(state.conn === undefined ? {} : { pods: state.conn.pods }),
  });
  // The inventory's Date is the cluster's time; without it the time is a guess from this
  // process's clock, good enough to place a failure but not to close intervals or clean up by.
  const clusterTold = sample.outcomes.some((o) => o.source === 'inventory' && o.ok);
  if (clusterTold || sample.timeFromCluster === true) state.skew = sample.time - Date.now();
  // Samples taken after the cluster's clock went back would land among those stored before (some
  // perhaps integrated already) and be counted twice: none is stored until its time passes them.
  const newest = await ctx.store.lastObservationTime(cluster.id);
  if (newest !== undefined && sample.time < newest) {
    resetEncoders(state); // this sample's inventory was not stored: the next one is full
    return {
      ...base,
      clusterTime: rfc3339(sample.time),
      ...(clusterTold || sample.timeFromCluster === true ? {} : { clusterTimeEstimated: true as const }),
      sources: sample.outcomes,
      observations: 0,
      intervals: [],
      clockBehind: rfc3339(newest),
    };
  }
  try {
    await ctx.store.recordObservations(cluster.id, sample.records);
  } catch (err) {
    resetEncoders(state); // the next delta must not build on a record that was not stored
    throw err;
  }
  const intervals = clusterTold
    ? await closeDueIntervals(
        {
          store: ctx.store,
          cluster,
          settings,
          rules: rulesOf(cluster),
          // Closing reads an interval's samples back: the last pod list's memory goes to them.
          beforeClosing: () => state.conn?.pods.clear(),
        },
        sample.time,
      )
    : [];
  if (clusterTold && sample.time - state.lastCleanup >= CLEANUP_EVERY_MS) {
    await ctx.store.cleanup({
      clusterId: cluster.id,
      now: sample.time,
      // The next interval's window, and the full inventory its first deltas build on.
      openWindowMs: settings.interval + LEAD_PERIODS * settings.sampleEvery,
      rawRetentionMs: settings.rawRetention,
      podDetailRetentionMs: settings.podDetailRetention,
      podDetailRetentionOf: removedPodDetailRetention,
    });
    state.lastCleanup = sample.time;
  }
  return {
    ...base,
    clusterTime: rfc3339(sample.time),
    ...(clusterTold || sample.timeFromCluster === true ? {} : { clusterTimeEstimated: true as const }),
    sources: sample.outcomes,
    observations: sample.records.length,
    intervals,
  };
}

/**
 * A removed cluster's pod-detail retention, from its stored settings (validated when they were
 * set; settings that no longer read keep the default rather than fail the round).
 */
function removedPodDetailRetention(collection: unknown): number {
  try {
    return collectionSettings(collection).podDetailRetention;
  } catch {
    return collectionSettings({}).podDetailRetention;
  }
}

/** Connections are kept per cluster (their sockets stay open) until its registration changes. */
function connectionOf(ctx: AppContext, cluster: ClusterRecord, state: ClusterState): Promise<Connection> {
  if (state.conn !== undefined && state.conn.updatedAt === cluster.updatedAt) return state.conn.conn;
  stopWatching(state);
  const conn = connectCluster(ctx.secrets, cluster);
  // Pods are reused from the last list of the same connection only (resourceVersions are per cluster).
  const entry = { updatedAt: cluster.updatedAt, conn, pods: new PodReuse() };
  state.conn = entry;
  conn.catch(() => {
    if (state.conn === entry) delete state.conn;
  });
  return conn;
}

const compiled = new WeakMap<object, CompiledRules>();
function rulesOf(cluster: ClusterRecord): CompiledRules {
  let rules = compiled.get(cluster.attribution);
  if (rules === undefined) compiled.set(cluster.attribution, (rules = compileRules(cluster.attribution)));
  return rules;
}

/**
 * The cluster's watches of pods, claims and services, on its current connection. New ones resume
 * from the lists of the newest stored sample: what left since, while no process watched (between
 * two `kubetally collect` commands, or before a replica took over), still comes in its final
 * state, as long as the API server keeps that much history (else its 410 ends them).
 */
async function departuresOf(
  ctx: AppContext,
  clusterId: number,
  state: ClusterState,
  conn: Connection,
): Promise<InventoryWatches | undefined> {
  if (state.conn === undefined) return undefined;
  if (state.conn.departures !== undefined) return state.conn.departures;
  const watches = inventoryWatches(conn);
  state.conn.departures = watches;
  const versions = await storedListVersions(ctx, clusterId);
  for (const key of Object.keys(watches) as (keyof InventoryWatches)[]) {
    const version = versions[key];
    if (version !== undefined) watches[key].follow(version);
  }
  return watches;
}

/** The lists' versions of the newest sample, when its inventory was read (after an outage, none). */
async function storedListVersions(ctx: AppContext, clusterId: number): Promise<Record<string, string>> {
  const newest = await newestScrapes(ctx.store, clusterId);
  const inventory = newest?.scrapes.find((s) => s.source === 'inventory' && s.error === undefined);
  return inventory?.versions ?? {};
}

function stopWatching(state: ClusterState): void {
  const watches = state.conn?.departures;
  if (watches !== undefined) for (const w of Object.values(watches)) w.close();
  if (state.conn !== undefined) delete state.conn.departures;
}

function resetEncoders(state: ClusterState): void {
  for (const e of state.inventories) e.reset();
}
