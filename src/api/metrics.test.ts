import { describe, expect, it } from 'vitest';
import type { AppContext } from '../app/context.js';
import type { ClusterRecord } from '../ledger/types.js';
import { createApiMetrics } from './metrics.js';

describe('kubetally_collection_errors_total', () => {
  it('counts an inventory read without a refused list as an inventory error', async () => {
    // The round counters touch no database: only the gauges read at scrape time do.
    const m = createApiMetrics({} as AppContext, { cardinalityLimit: 100 });
    const cluster = { tenant: 'acme', name: 'sim' } as ClusterRecord;
    const sources = [
      { source: 'inventory', ok: true, error: 'persistentvolumeclaims refused (403 Forbidden): no storage' },
      { source: 'metrics', ok: true },
      { source: 'summary', ok: true, nodes: 1 },
    ];
    m.round(cluster, { outcome: { clusterTime: '2026-05-04T00:00:00Z', sources } as never, ms: 5 });
    const counter = await m.registry.getSingleMetric('kubetally_collection_errors_total')!.get();
    const of = (kind: string) => counter.values.find((v) => v.labels.kind === kind)?.value;
    expect(['inventory', 'metrics', 'summary', 'round'].map(of)).toEqual([1, 0, 0, 0]);
  });
});

describe('kubetally_collection_sample_period_seconds', () => {
  it("is each cluster's sampleEvery, so that staleness can be judged by it", async () => {
    const m = createApiMetrics({} as AppContext, { cardinalityLimit: 100 });
    const outcome = { clusterTime: '2026-05-04T00:00:00Z', sources: [] } as never;
    m.round(
      { tenant: 'acme', name: 'slow', collection: { sampleEvery: '15m' } } as unknown as ClusterRecord,
      {
        outcome,
        ms: 5,
      },
    );
    m.round({ tenant: 'acme', name: 'usual', collection: {} } as unknown as ClusterRecord, {
      error: new Error('x'),
      ms: 5,
    });
    const gauge = await m.registry.getSingleMetric('kubetally_collection_sample_period_seconds')!.get();
    expect(gauge.values.map((v) => [v.labels.cluster, v.value])).toEqual([
      ['slow', 900],
      ['usual', 60],
    ]);
  });
});

describe('a round skipped for another replica', () => {
  it('is no round: it sets no duration and no series of the cluster', async () => {
    const m = createApiMetrics({} as AppContext, { cardinalityLimit: 100 });
    const cluster = { tenant: 'acme', name: 'sim' } as ClusterRecord;
    const skipped = { clusterTime: '2026-05-04T00:00:00Z', sources: [], skipped: true } as never;
    m.round(cluster, { outcome: skipped, ms: 1 });
    for (const name of [
      'kubetally_collection_last_success_timestamp_seconds',
      'kubetally_collection_sample_period_seconds',
      'kubetally_collection_duration_seconds',
      'kubetally_collection_errors_total',
    ]) {
      expect((await m.registry.getSingleMetric(name)!.get()).values, name).toEqual([]);
    }
  });
});
