/**
 * `/metrics`: process metrics, the collector's health per cluster, and usage and costs per
 * cluster, owner and project read from the ledger's daily rollup at scrape time. Owner × project
 * series are capped (`cardinalityLimit`, the most expensive first); the rest are summed into
 * owner="__other__", project="__other__", so totals stay whole.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppContext } from '../app/context.js';
import type { CollectOutcome } from '../collector/outcome.js';
import type { ClusterRecord } from '../ledger/types.js';

export interface ApiMetrics {
  registry: Registry;
  /** Record one collection round (from the loop or the collect endpoint). */
  round(cluster: ClusterRecord, r: { outcome?: CollectOutcome; error?: unknown; ms: number }): void;
}

// Base units, as Prometheus asks: core-seconds, byte-seconds, GPU-seconds; money in the currency.
const USAGE = [
  ['cpu_usage_core_seconds', 'CPU used, core-seconds', 'cpu_core_nanos / 1e9'],
  ['memory_usage_byte_seconds', 'memory working set × time, byte-seconds', 'memory_byte_seconds'],
  ['gpu_request_seconds', 'GPUs requested × time, GPU-seconds', 'gpu_millis / 1e3'],
  ['cost', 'cost in the cluster currency', 'total_cost_micros / 1e6'],
] as const;

export function createApiMetrics(ctx: AppContext, opts: { cardinalityLimit: number }): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  // These three are gauges named like counters, which `promtool check metrics` refuses.
  for (const name of [
    'nodejs_active_handles_total',
    'nodejs_active_requests_total',
    'nodejs_active_resources_total',
  ]) {
    registry.removeSingleMetric(name);
  }
  const labels = ['tenant', 'cluster'] as const;
  const lastSuccess = new Gauge({
    name: 'kubetally_collection_last_success_timestamp_seconds',
    help: 'Cluster time of the last collection round whose inventory was read',
    labelNames: labels,
    registers: [registry],
  });
  const duration = new Gauge({
    name: 'kubetally_collection_duration_seconds',
    help: 'Wall time of the last collection round',
    labelNames: labels,
    registers: [registry],
  });
  const errors = new Counter({
    name: 'kubetally_collection_errors_total',
    help: 'Failed sources and rounds, by kind (inventory, metrics, summary, round)',
    labelNames: [...labels, 'kind'],
    registers: [registry],
  });
  new Gauge({
    name: 'kubetally_gaps_last_day',
    help: 'Gaps recorded in the last 24 hours of cluster time',
    labelNames: labels,
    registers: [registry],
    async collect() {
      this.reset();
      // Every cluster has its series, 0 included: an alert on it needs a value to compare.
      const clusters = new Map((await ctx.store.listClusters()).map((c) => [c.id, c]));
      for (const c of clusters.values()) this.set({ tenant: c.tenant, cluster: c.name }, 0);
      const now = Date.now();
      for (const g of await ctx.store.listGaps({ from: now - 86_400_000, to: now + 3_600_000 })) {
        const c = clusters.get(g.clusterId) ?? (await ctx.store.getClusterById(g.clusterId));
        if (c !== undefined) this.inc({ tenant: c.tenant, cluster: c.name });
      }
    },
  });
  for (const [name, help, column] of USAGE) {
    new Gauge({
      name: `kubetally_${name}`,
      help: `${help}, per cluster, owner and project, since collection began`,
      labelNames: ['tenant', 'cluster', 'owner', 'project'],
      registers: [registry],
      async collect() {
        this.reset();
        const rows = await ctx.db.query<{
          tenant: string;
          cluster: string;
          owner: string;
          project: string;
          v: unknown;
        }>(
          `SELECT d.tenant, c.name AS cluster, d.owner, d.project, SUM(${column}) AS v
           FROM usage_daily d JOIN clusters c ON c.id = d.cluster_id
           GROUP BY d.tenant, c.name, d.owner, d.project ORDER BY v DESC`,
        );
        rows.forEach((r, i) => {
          const other = i >= opts.cardinalityLimit;
          this.inc(
            {
              tenant: r.tenant,
              cluster: r.cluster,
              owner: other ? '__other__' : r.owner,
              project: other ? '__other__' : r.project,
            },
            Number(r.v ?? 0),
          );
        });
      },
    });
  }
  return {
    registry,
    round(cluster, r) {
      const l = { tenant: cluster.tenant, cluster: cluster.name };
      duration.set(l, r.ms / 1000);
      // Each kind starts at 0, so that rate() and increase() see the first error.
      for (const kind of ['round', 'inventory', 'metrics', 'summary']) errors.inc({ ...l, kind }, 0);
      if (r.error !== undefined) errors.inc({ ...l, kind: 'round' });
      for (const s of r.outcome?.sources ?? []) if (!s.ok) errors.inc({ ...l, kind: s.source });
      const inventory = r.outcome?.sources.find((s) => s.source === 'inventory');
      if (inventory?.ok === true && r.outcome !== undefined)
        lastSuccess.set(l, Date.parse(r.outcome.clusterTime) / 1000);
    },
  };
}
