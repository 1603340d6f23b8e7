/**
 * One sample of one cluster: the inventory, then metrics.k8s.io and every node's Summary API, as
 * raw records ready to store. Each source fails on its own: its failure is a scrape record with
 * the reason (the integration turns it into a gap), never zeros.
 */
import type { Millis } from '../domain/duration.js';
import { alignDown } from '../domain/time.js';
import type { InventoryEncoder } from './inventory-delta.js';
import type { Connection } from '../k8s/connection.js';
import type { InventorySnapshot, ScrapeRecord } from '../metering/observations.js';
import type { RawSample } from '../ledger/types.js';
import { readInventory } from '../sources/inventory.js';
import { readPodMetrics } from '../sources/metrics.js';
import { readNodeSummary, type SummarySamples } from '../sources/summary.js';
import type { SourceOutcome } from './outcome.js';
import type { CollectionSettings } from './settings.js';

export interface Sample {
  /** Cluster time of the sample: the API server's Date of the pod list. */
  time: Millis;
  records: RawSample[];
  outcomes: SourceOutcome[];
}

/** Kinds of raw records, as stored in `raw_observations.kind`. */
export const RECORD_KINDS = ['scrapes', 'inventory', 'inventory-delta', 'metrics', 'summary'] as const;

/**
 * `clusterNow` estimates the cluster's time when the API server cannot tell it (it is down):
 * failures are still recorded at a cluster time, so that their gap lands where it happened.
 */
export async function takeSample(
  conn: Connection,
  settings: CollectionSettings,
  clusterNow: () => Millis,
  encoder: InventoryEncoder,
): Promise<Sample> {
  const scrapes: ScrapeRecord[] = [];
  const records: RawSample[] = [];
  const outcomes: SourceOutcome[] = [];
  let inventory: InventorySnapshot;
  try {
    inventory = await readInventory(conn, clusterNow, settings.pageSize);
  } catch (err) {
    const time = clusterNow();
    const error = reason(err);
    for (const source of expectedSources(settings)) {
      scrapes.push({
        source,
        time,
        error: source === 'inventory' ? error : `not read: inventory failed (${error})`,
      });
      outcomes.push({
        source,
        ok: false,
        error: source === 'inventory' ? error : 'not read: the inventory failed',
      });
    }
    return { time, records: [{ time, kind: 'scrapes', payload: scrapes }], outcomes };
  }
  const time = inventory.time;
  // A full inventory at least once per interval bounds how far back a reader must look.
  const bucket = alignDown(time - 3 * settings.sampleEvery, settings.interval);
  const { kind, record } = encoder.encode(inventory, bucket);
  records.push({ time, kind, payload: record });
  scrapes.push({ source: 'inventory', time });
  outcomes.push({ source: 'inventory', ok: true });

  const uidOf = new Map(inventory.pods.map((p) => [`${p.namespace}/${p.name}`, p.uid]));
  let metricsOk = false;
  if (settings.metrics) {
    try {
      const m = await readPodMetrics(conn, uidOf);
      records.push({ time, kind: 'metrics', payload: m });
      scrapes.push({ source: 'metrics', time });
      outcomes.push({ source: 'metrics', ok: true });
      metricsOk = true;
    } catch (err) {
      scrapes.push({ source: 'metrics', time, error: reason(err) });
      outcomes.push({ source: 'metrics', ok: false, error: reason(err) });
    }
  }
  if (settings.summary) {
    const nodes = (inventory.nodes ?? []).map((n) => n.name);
    const results = await mapLimit(nodes, settings.summaryConcurrency, async (node) => {
      try {
        return { node, samples: await readNodeSummary(conn, node) };
      } catch (err) {
        return { node, error: reason(err) };
      }
    });
    const failed = results.filter((r) => r.error !== undefined);
    for (const r of results) {
      if (r.samples === undefined) {
        scrapes.push({ source: 'summary', node: r.node, time, error: r.error });
        continue;
      }
      scrapes.push({ source: 'summary', node: r.node, time });
      // Memory comes from one source only: metrics.k8s.io when it answered, else the kubelet.
      const payload: SummarySamples & { node: string } = { node: r.node, ...r.samples };
      if (metricsOk) payload.memory = [];
      records.push({ time, kind: 'summary', payload });
    }
    const outcome: SourceOutcome = { source: 'summary', ok: failed.length === 0, nodes: nodes.length };
    if (failed.length > 0)
      outcome.error = `${failed.length} of ${nodes.length} nodes failed: ${failed[0]?.error}`;
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
