/**
 * One sample of one cluster: the inventory, then metrics.k8s.io and every node's Summary API, as
 * raw records ready to store. Each source fails on its own: its failure is a scrape record with
 * the reason (the integration turns it into a gap), never zeros.
 */
import type { Millis } from '../domain/duration.js';
import { alignDown } from '../domain/time.js';
import type { InventoryEncoder } from './inventory-delta.js';
import { packReadings } from './reading-columns.js';
import { indexPods } from './pod-index.js';
import { shardKind, splitBy, splitByShard, splitInventory } from './shards.js';
import { isKubetallyError } from '../domain/errors.js';
import type { Connection } from '../k8s/connection.js';
import { serverDateOf } from '../k8s/request.js';
import type { InventorySnapshot, ScrapeRecord } from '../metering/observations.js';
import type { RawSample } from '../ledger/types.js';
import { OPTIONAL_LISTS, readInventory, type ListVersions, type RefusedList } from '../sources/inventory.js';
import type { InventoryWatches } from '../sources/departures.js';
import type { PodReuse } from '../k8s/pod-reuse.js';
import { readPodMetrics } from '../sources/metrics.js';
import { readNodeSummary, type PodUidOf, type SummarySamples } from '../sources/summary.js';
import type { SourceOutcome } from './outcome.js';
import type { CollectionSettings } from './settings.js';

export interface Sample {
  /** Cluster time of the sample: the API server's Date of the pod list. */
  time: Millis;
  /** A failed sample's time came from the API server's refusal (else it is an estimate). */
  timeFromCluster?: boolean;
  records: RawSample[];
  outcomes: SourceOutcome[];
}

/**
 * Kinds of raw records, as stored in `raw_observations.kind`: `scrapes` (what each source said),
 * and per shard (`#n`) `inventory`, `inventory-delta`, `metrics` and `summary`.
 */

export interface SampleState {
  /**
   * Estimates the cluster's time when the API server cannot tell it (it is down): failures are
   * still recorded at a cluster time, so that their gap lands where it happened.
   */
  clusterNow: () => Millis;
  /** One per shard (see shards.ts). */
  encoders: InventoryEncoder[];
  /** The pods, claims and LoadBalancers that left between inventories, when the cluster is watched. */
  departures?: InventoryWatches;
  /** The last pod list, reused where pods did not change. */
  pods?: PodReuse;
}

export async function takeSample(
  conn: Connection,
  settings: CollectionSettings,
  state: SampleState,
): Promise<Sample> {
  const { clusterNow, encoders } = state;
  const scrapes: ScrapeRecord[] = [];
  const records: RawSample[] = [];
  const outcomes: SourceOutcome[] = [];
  let inventory: InventorySnapshot;
  let refused: RefusedList[];
  let versions: ListVersions;
  try {
    ({ refused, versions, ...inventory } = await readInventory(conn, clusterNow, {
      pageSize: settings.pageSize,
      skip: { persistentvolumeclaims: !settings.storage, services: !settings.loadBalancers },
      ...(state.departures === undefined ? {} : { departures: state.departures }),
      ...(state.pods === undefined ? {} : { reuse: state.pods }),
    }));
  } catch (err) {
    // An API server that refused still told its time; one that did not answer leaves an estimate.
    const told = serverDateOf(err);
    const time = told ?? clusterNow();
    const error = reason(err);
    for (const source of expectedSources(settings)) {
      scrapes.push({
        source,
        time,
        error: source === 'inventory' ? error : `not read: inventory failed (${error})`,
      });
      outcomes.push(
        source === 'inventory'
          ? { source, ok: false, error, ...fix(err) }
          : { source, ok: false, error: 'not read: the inventory failed' },
      );
    }
    return {
      time,
      ...(told === undefined ? {} : { timeFromCluster: true }),
      records: [{ time, kind: 'scrapes', payload: scrapes }],
      outcomes,
    };
  }
  const time = inventory.time;
  const k = settings.shards;
  // A full inventory at least once per interval bounds how far back a reader must look.
  const bucket = alignDown(time - 3 * settings.sampleEvery, settings.interval);
  splitInventory(inventory, k).forEach((part, shard) => {
    const { kind, record } = (encoders[shard] as InventoryEncoder).encode(part, bucket);
    records.push({ time, kind: shardKind(kind, shard, k), payload: record });
  });
  scrapes.push({
    source: 'inventory',
    time,
    ...(Object.keys(versions).length === 0 ? {} : { versions }),
    ...(refused.length === 0 ? {} : { refused: refused.map((r) => ({ list: r.list, error: r.message })) }),
  });
  const hint = refused.find((r) => r.hint !== undefined)?.hint;
  outcomes.push(
    refused.length === 0
      ? { source: 'inventory', ok: true }
      : {
          source: 'inventory',
          ok: true,
          error: refused
            .map((r) => `${r.list} refused (403 Forbidden): no ${OPTIONAL_LISTS[r.list]}`)
            .join('; '),
          ...(hint === undefined ? {} : { hint }),
        },
  );

  const { uidOf, shardOfUid, hostNetwork, mirrors } = indexPods(inventory.pods, k);
  const apiUid =
    (node: string): PodUidOf =>
    (ref) =>
      shardOfUid.has(ref.uid) ? ref.uid : (mirrors.get(`${node}/${ref.namespace}/${ref.name}`) ?? ref.uid);
  const byPod = (x: { podUid: string }) => shardOfUid.get(x.podUid);
  /** The containers of each pod whose memory metrics.k8s.io gave. */
  const fromMetrics = new Map<string, string | string[]>();
  if (settings.metrics) {
    try {
      const m = await readPodMetrics(conn, uidOf);
      const rates = splitByShard(m.cpuRates, k, byPod);
      const memory = splitByShard(m.memory, k, byPod);
      for (let shard = 0; shard < k; shard++) {
        const payload = packReadings({ cpuRates: rates[shard]!, memory: memory[shard]! });
        records.push({ time, kind: shardKind('metrics', shard, k), payload });
      }
      scrapes.push({ source: 'metrics', time });
      outcomes.push({ source: 'metrics', ok: true });
      for (const x of m.memory) {
        // An array only for pods of several containers: most have one.
        const known = fromMetrics.get(x.podUid);
        if (known === undefined) fromMetrics.set(x.podUid, x.container);
        else if (typeof known === 'string') fromMetrics.set(x.podUid, [known, x.container]);
        else known.push(x.container);
      }
    } catch (err) {
      scrapes.push({ source: 'metrics', time, error: reason(err) });
      outcomes.push({ source: 'metrics', ok: false, error: reason(err), ...fix(err) });
    }
  }
  if (settings.summary) {
    const nodes = (inventory.nodes ?? []).map((n) => n.name);
    type NodeResult = { node: string; samples?: SummarySamples; error?: string; hint?: string };
    const results = await mapLimit(nodes, settings.summaryConcurrency, async (node): Promise<NodeResult> => {
      try {
        return {
          node,
          samples: await readNodeSummary(conn, node, mirrors.size > 0 ? apiUid(node) : undefined),
        };
      } catch (err) {
        return { node, error: reason(err), ...fix(err) };
      }
    });
    const failed = results.filter((r) => r.error !== undefined);
    const all: SummarySamples = { cpuCounters: [], memory: [], network: [], volumes: [] };
    for (const r of results) {
      if (r.samples === undefined) {
        scrapes.push({ source: 'summary', node: r.node, time, error: r.error });
        continue;
      }
      scrapes.push({ source: 'summary', node: r.node, time });
      all.cpuCounters.push(...r.samples.cpuCounters);
      // A container's memory comes from one source: metrics.k8s.io when it has the container,
      // else the kubelet (metrics-server leaves out containers too young for its window).
      for (const m of r.samples.memory) {
        const known = fromMetrics.get(m.podUid);
        if (known !== m.container && (typeof known !== 'object' || !known.includes(m.container)))
          all.memory.push(m);
      }
      for (const n of r.samples.network) if (!hostNetwork.has(n.podUid)) all.network.push(n);
      all.volumes.push(...r.samples.volumes);
    }
    const counters = splitByShard(all.cpuCounters, k, byPod);
    const memory = splitByShard(all.memory, k, byPod);
    const network = splitByShard(all.network, k, byPod);
    const volumes = splitBy(all.volumes, k, (v) => v.namespace);
    if (results.length > failed.length) {
      for (let shard = 0; shard < k; shard++) {
        const payload = packReadings({
          cpuCounters: counters[shard]!,
          memory: memory[shard]!,
          network: network[shard]!,
          volumes: volumes[shard]!,
        });
        records.push({ time, kind: shardKind('summary', shard, k), payload });
      }
    }
    const outcome: SourceOutcome = { source: 'summary', ok: failed.length === 0, nodes: nodes.length };
    if (failed.length > 0) {
      outcome.error = `${failed.length} of ${nodes.length} nodes failed: ${failed[0]?.error}`;
      if (failed[0]?.hint !== undefined) outcome.hint = failed[0].hint;
    }
    outcomes.push(outcome);
  }
  records.push({ time, kind: 'scrapes', payload: scrapes });
  return { time, records, outcomes };
}

export function expectedSources(settings: CollectionSettings): ('inventory' | 'metrics' | 'summary')[] {
  return [
    'inventory',
    ...(settings.metrics ? (['metrics'] as const) : []),
    ...(settings.summary ? (['summary'] as const) : []),
  ];
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The error's code and hint (the same fix `top` and `cluster test` give), for the source's outcome. */
function fix(err: unknown): { code?: string; hint?: string } {
  if (!isKubetallyError(err)) return {};
  return { code: err.code, ...(err.hint === undefined ? {} : { hint: err.hint }) };
}

async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
