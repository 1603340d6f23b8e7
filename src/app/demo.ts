/**
 * `serve --demo` (SPEC §4): the simulator's `demo` scenario in this process, registered as the
 * cluster `demo`, with a week of history filled by driving the simulator's clock (sampling every
 * 15 minutes of cluster time, so that it takes seconds), then following real time with the
 * normal one-minute sampling. This is the only product code that uses the simulator.
 */
import type { Logger } from 'pino';
import { alignDown } from '../domain/time.js';
import type { ClusterRecord } from '../ledger/types.js';
import { loadScenario } from '../simulator/model/index.js';
import { startSimulator, type SimulatorHandle } from '../simulator/index.js';
import { sealKubeconfig } from './cluster-connection.js';
import { collectNow, type CollectOptions } from './collect.js';
import type { AppContext } from './context.js';

const DAY = 86_400_000;
const BACKFILL_STEP = 15 * 60_000;
const LIVE_STEP = 60_000;
const DEMO = { tenant: 'default', name: 'demo' } as const;

export interface DemoOptions extends CollectOptions {
  logger?: Logger;
  /** Days of history to fill (default 7). */
  days?: number;
  /** Current time (default Date.now), for tests. */
  now?: () => number;
}

export interface Demo {
  sim: SimulatorHandle;
  cluster: ClusterRecord;
  /** Resolves when the history is filled and the demo follows real time. */
  ready: Promise<void>;
  /** Where the fill starts (ms): a week ago, or the end of what an earlier run left in the ledger. */
  fillFrom: number;
  stop(): Promise<void>;
}

/**
 * The demo cluster's ~50 pods need no shards (they bound the memory of clusters of 100k pods);
 * one shard makes each round's reads and writes fewer, and the week's fill quicker.
 */
const FILL = { shards: 1 };

export async function startDemo(ctx: AppContext, options: DemoOptions = {}): Promise<Demo> {
  const now = options.now ?? Date.now;
  const days = options.days ?? 7;
  const scenario = await loadScenario('demo');
  // The scenario begins `days` ago, on an interval boundary.
  const start = alignDown(now() - days * DAY, BACKFILL_STEP);
  const sim = await startSimulator({ scenario: { ...scenario, start }, clock: 'manual' });
  const sealed = sealKubeconfig(ctx.secrets, DEMO.tenant, DEMO.name, sim.kubeconfig);
  const existing = await ctx.store.getCluster(DEMO.tenant, DEMO.name);
  // Each start has a new simulator (new port, token and CA): the stored kubeconfig is replaced.
  let cluster =
    existing === undefined
      ? await ctx.store.createCluster({
          ...DEMO,
          connection: 'kubeconfig',
          kubeconfig: sealed,
          collection: { ...FILL, sampleEvery: '15m' },
        })
      : await ctx.store.updateCluster(existing.id, {
          kubeconfig: sealed,
          collection: { ...FILL, sampleEvery: '15m' },
        });
  // A data directory kept from an earlier run already holds part of the history.
  const last = await ctx.store.lastClosedInterval(cluster.id);
  const resumed = last !== undefined && last.intervalEnd > start;
  if (resumed) sim.clock.set(Math.min(now(), last.intervalEnd - 3 * BACKFILL_STEP));
  const fillFrom = resumed ? last.intervalEnd : start;

  let stopped = false;
  let follow: NodeJS.Timeout | undefined;
  const ready = (async () => {
    let lastLog = sim.clock.now();
    // Whole intervals at one sample each, up to the current interval's start...
    const current = () => alignDown(now(), BACKFILL_STEP);
    while (!stopped && sim.clock.now() <= current()) {
      await collectNow(ctx, cluster, options);
      if (sim.clock.now() === current()) break;
      sim.clock.set(Math.min(current(), sim.clock.now() + BACKFILL_STEP));
      if (sim.clock.now() - lastLog >= DAY) {
        lastLog = sim.clock.now();
        options.logger?.info({ clusterTime: new Date(lastLog).toISOString() }, 'demo history filled up to');
      }
    }
    if (stopped) return;
    // ...then the current interval at the live period, so that it joins real time without a gap
    // (gaps are judged by the period the cluster is sampled at when its interval closes).
    cluster = await ctx.store.updateCluster(cluster.id, { collection: { ...FILL, sampleEvery: '60s' } });
    // Up to the time this started from (chasing now() itself would never end: it moves on).
    const until = now();
    while (!stopped && sim.clock.now() < until) {
      sim.clock.set(Math.min(until, sim.clock.now() + LIVE_STEP));
      await collectNow(ctx, cluster, options);
    }
    if (stopped) return;
    // From now on the simulator follows the wall clock, and the collector samples it as any cluster.
    sim.clock.set(now());
    follow = setInterval(() => sim.clock.set(now()), 1_000);
    follow.unref();
  })();
  ready.catch((err: unknown) =>
    options.logger?.error({ err: (err as Error).message }, 'demo history failed'),
  );
  return {
    sim,
    get cluster() {
      return cluster;
    },
    ready,
    fillFrom,
    async stop() {
      stopped = true;
      if (follow !== undefined) clearInterval(follow);
      await ready.catch(() => undefined);
      await sim.close();
    },
  };
}
