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
import { closeDueIntervals, type PriceHook } from '../collector/close-intervals.js';
import type { CollectOutcome } from '../collector/outcome.js';
import { takeSample } from '../collector/sample.js';
import { collectionSettings } from '../collector/settings.js';
import { connectCluster } from './cluster-connection.js';
import type { AppContext } from './context.js';

export interface CollectOptions {
  /** Who holds leases for this process (default: host, pid and a random suffix). */
  holder?: string;
  /** Prices each interval before it is written. */
  price?: PriceHook;
}

/** Per process: the lease holder id, the clusters' clock offsets, rounds in flight. */
const processHolder = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
const skews = new Map<number, number>();
const inFlight = new Map<number, Promise<unknown>>();
const lastCleanup = new Map<number, number>();
const CLEANUP_EVERY_MS = 5 * 60_000;

export function defaultHolder(): string {
  return process.env.KUBETALLY_INSTANCE_ID?.trim() || processHolder;
}

export async function collectNow(
  ctx: AppContext,
  cluster: ClusterRecord,
  options: CollectOptions = {},
): Promise<CollectOutcome> {
  const previous = inFlight.get(cluster.id) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => round(ctx, cluster, options));
  inFlight.set(cluster.id, run);
  try {
    return await run;
  } finally {
    if (inFlight.get(cluster.id) === run) inFlight.delete(cluster.id);
  }
}

async function round(
  ctx: AppContext,
  cluster: ClusterRecord,
  options: CollectOptions,
): Promise<CollectOutcome> {
  const settings = collectionSettings(cluster.collection);
  const holder = options.holder ?? defaultHolder();
  const ttl = Math.max(3 * settings.sampleEvery, 30_000);
  const base = { cluster: cluster.name, tenant: cluster.tenant };
  if (!(await ctx.store.acquireLease(cluster.id, holder, ttl, Date.now()))) {
    return {
      ...base,
      clusterTime: rfc3339(clusterNow(cluster.id)),
      sources: [],
      observations: 0,
      intervals: [],
      skipped: true,
    };
  }
  const conn = await connectCluster(ctx.secrets, cluster);
  const sample = await takeSample(conn, settings, () => clusterNow(cluster.id));
  if (sample.outcomes.some((o) => o.source === 'inventory' && o.ok))
    skews.set(cluster.id, sample.time - Date.now());
  await ctx.store.recordObservations(cluster.id, sample.records);
  const intervals = await closeDueIntervals(
    {
      store: ctx.store,
      cluster,
      settings,
      rules: rulesOf(cluster),
      ...(options.price ? { price: options.price } : {}),
    },
    sample.time,
  );
  if (sample.time - (lastCleanup.get(cluster.id) ?? -Infinity) >= CLEANUP_EVERY_MS) {
    await ctx.store.cleanup({
      now: sample.time,
      rawRetentionMs: settings.rawRetention,
      podDetailRetentionMs: settings.podDetailRetention,
    });
    lastCleanup.set(cluster.id, sample.time);
  }
  return {
    ...base,
    clusterTime: rfc3339(sample.time),
    sources: sample.outcomes,
    observations: sample.records.length,
    intervals,
  };
}

function clusterNow(clusterId: number): number {
  return Date.now() + (skews.get(clusterId) ?? 0);
}

const compiled = new WeakMap<object, CompiledRules>();
function rulesOf(cluster: ClusterRecord): CompiledRules {
  let rules = compiled.get(cluster.attribution);
  if (rules === undefined) compiled.set(cluster.attribution, (rules = compileRules(cluster.attribution)));
  return rules;
}
