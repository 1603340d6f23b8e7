/**
 * The background collector of `kubetally serve`: every registered cluster on its own schedule
 * (its `sampleEvery` of the cluster's time), each round independent, so one cluster's trouble
 * never delays another.
 * A failing cluster backs off exponentially (up to 5 minutes of its time) and is retried; `stop()` lets the
 * rounds in flight finish (their writes are transactions) and releases each cluster's lease as
 * soon as its own round is over.
 */
import type { Logger } from 'pino';
import { collectionSettings } from '../collector/settings.js';
import type { CollectOutcome } from '../collector/outcome.js';
import type { ClusterRecord } from '../ledger/types.js';
import { collectNow, defaultHolder, type CollectOptions } from './collect.js';
import type { AppContext } from './context.js';
import { ClockPace } from './clock-pace.js';

export interface CollectorLoopOptions extends CollectOptions {
  logger?: Logger;
  /** How often the list of clusters is re-read (default 5 s). */
  refreshMs?: number;
  /** Clusters to leave alone for now (the demo fills its own history first). */
  skip?: (cluster: ClusterRecord) => boolean;
  /** Called after every round, e.g. to update /metrics. */
  onRound?: (
    cluster: ClusterRecord,
    result: { outcome?: CollectOutcome; error?: unknown; ms: number },
  ) => void;
}

export interface CollectorLoop {
  stop(): Promise<void>;
}

const MAX_BACKOFF_MS = 5 * 60_000;
export function startCollectorLoop(ctx: AppContext, options: CollectorLoopOptions = {}): CollectorLoop {
  const holder = options.holder ?? defaultHolder();
  const due = new Map<number, number>();
  const failures = new Map<number, number>();
  const running = new Map<number, Promise<void>>();
  const lastStart = new Map<number, number>();
  const pace = new ClockPace();
  let clusters: ClusterRecord[] = [];
  let lastRefresh = -Infinity;
  let stopped = false;

  const runOne = async (cluster: ClusterRecord): Promise<void> => {
    const started = Date.now();
    let every = 60_000;
    try {
      every = collectionSettings(cluster.collection).sampleEvery;
      const outcome = await collectNow(ctx, cluster, { ...options, holder });
      // The round recorded the failure (a gap); an unreachable cluster is still retried slower.
      const down = outcome.sources.find((x) => x.source === 'inventory' && !x.ok);
      if (down !== undefined) throw new Error(`cluster unreachable: ${down.error ?? 'unknown error'}`);
      failures.delete(cluster.id);
      due.delete(cluster.id);
      if (outcome.clockBehind !== undefined)
        options.logger?.warn(
          {
            cluster: cluster.name,
            tenant: cluster.tenant,
            clusterTime: outcome.clusterTime,
            newestSample: outcome.clockBehind,
          },
          'the cluster clock went back: nothing is stored until it passes the newest sample',
        );
      // The next round is due `sampleEvery` after this one started, read from the cluster's
      // settings as they are then (a changed period applies at once).
      lastStart.set(cluster.id, started);
      pace.record(cluster.id, started, outcome);
      options.onRound?.(cluster, { outcome, ms: Date.now() - started });
    } catch (error) {
      const n = (failures.get(cluster.id) ?? 0) + 1;
      failures.set(cluster.id, n);
      // Counted in the cluster's time, as its rounds are: a simulator at speed:60 is retried
      // after a second of ours, not a minute (an hour of its time, all of it a gap).
      const pacing = pace.period(cluster.id, every) / every;
      const backoff = Math.round(Math.min(MAX_BACKOFF_MS, every * 2 ** Math.min(n - 1, 10)) * pacing);
      due.set(cluster.id, Date.now() + backoff);
      options.logger?.warn(
        {
          cluster: cluster.name,
          tenant: cluster.tenant,
          err: error instanceof Error ? error.message : String(error),
          retryInMs: backoff,
        },
        'collection failed',
      );
      options.onRound?.(cluster, { error, ms: Date.now() - started });
    }
  };

  const nextDue = (cluster: ClusterRecord): number => {
    const backoff = due.get(cluster.id);
    if (backoff !== undefined) return backoff;
    const last = lastStart.get(cluster.id);
    if (last === undefined) return 0;
    try {
      return last + pace.period(cluster.id, collectionSettings(cluster.collection).sampleEvery);
    } catch {
      return 0; // bad settings: the round says why
    }
  };

  const tick = async () => {
    if (stopped) return;
    const now = Date.now();
    if (now - lastRefresh >= (options.refreshMs ?? 5_000)) {
      try {
        clusters = await ctx.store.listClusters();
        lastRefresh = now;
      } catch (err) {
        options.logger?.error({ err: (err as Error).message }, 'cannot list clusters');
      }
    }
    for (const cluster of clusters) {
      if (stopped || running.has(cluster.id) || nextDue(cluster) > now) continue;
      if (options.skip?.(cluster) === true) continue;
      const p = runOne(cluster).finally(() => running.delete(cluster.id));
      running.set(cluster.id, p);
    }
  };

  const timer = setInterval(() => void tick(), 200);
  void tick();
  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      // Each cluster's lease goes as soon as its own round is over: a round that hangs on a slow
      // cluster must not keep the others from a replica that would take them over.
      await Promise.allSettled(
        clusters.map(async (c) => {
          await running.get(c.id)?.catch(() => undefined); // a failed round gives its lease back too
          await ctx.store.releaseLease(c.id, holder).catch(() => undefined);
        }),
      );
      await Promise.allSettled([...running.values()]);
    },
  };
}
