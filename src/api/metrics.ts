/**
 * `/metrics`: process metrics, the collector's health per cluster, and usage and costs per
 * cluster, owner and project read from the ledger's daily rollup at scrape time. Owner × project
 * series are capped (`cardinalityLimit`, the most expensive first, the same ones in every family);
 * the rest are summed into owner="__other__", project="__other__", so totals stay whole.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppContext } from '../app/context.js';
import type { CollectOutcome } from '../collector/outcome.js';
import { collectionSettings } from '../collector/settings.js';
import type { ClusterRecord } from '../ledger/types.js';

export interface ApiMetrics {
  registry: Registry;
  /** Record one collection round (from the loop or the collect endpoint). */
  round(cluster: ClusterRecord, r: { outcome?: CollectOutcome; error?: unknown; ms: number }): void;
  /**
   * Drops the collection series of clusters removed since (a staleness alert on them would fire
   * forever); call it before each scrape.
   */
  forgetRemoved(): Promise<void>;
}

// Base units, as Prometheus asks: core-seconds, byte-seconds, GPU-seconds; money in the currency.
const USAGE = [
  ['cpu_usage_core_seconds', 'CPU used, core-seconds', 'cpu_core_nanos / 1e9'],
  ['memory_usage_byte_seconds', 'memory working set × time, byte-seconds', 'memory_byte_seconds'],
  ['gpu_request_seconds', 'GPUs requested × time, GPU-seconds', 'gpu_millis / 1e3'],
  ['cost', 'cost in the cluster currency', 'total_cost_micros / 1e6'],
] as const;

const ERROR_KINDS = ['round', 'inventory', 'metrics', 'summary'] as const;

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
  /** The clusters that have collection series, by tenant/name. */
  const rounded = new Map<string, { tenant: string; cluster: string }>();
  const lastSuccess = new Gauge({
    name: 'kubetally_collection_last_success_timestamp_seconds',
    help: 'Cluster time of the last collection round whose inventory was read',
    labelNames: labels,
    registers: [registry],
  });
  // What "stale" means for a cluster: one sampled every 15 minutes is not late after 10.
  const period = new Gauge({
    name: 'kubetally_collection_sample_period_seconds',
    help: 'Time between samples of the cluster (its sampleEvery), seconds of cluster time',
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
    help: 'Gaps recorded in the last 24 hours of cluster time (not the time before collection began)',
    labelNames: labels,
    registers: [registry],
    async collect() {
      this.reset();
      // Every cluster has its series, 0 included: an alert on it needs a value to compare. The
      // day is the cluster's last day, by its own time (the end of its last written interval).
      // The time before a cluster's first sample is a gap of the ledger but no failure: left out,
      // or every registration mid-interval set off KubetallyGapsRecorded for a day.
      const rows = await ctx.db.query<{ tenant: string; cluster: string; n: unknown }>(
        `SELECT c.tenant, c.name AS cluster, COUNT(g.cluster_id) AS n
         FROM clusters c
         LEFT JOIN (SELECT cluster_id, MAX(interval_end) AS e FROM collection_runs GROUP BY cluster_id) r
           ON r.cluster_id = c.id
         LEFT JOIN gaps g ON g.cluster_id = c.id AND g.start_at < r.e AND g.end_at > r.e - interval '1 day'
           AND g.reason NOT LIKE 'before collection began%'
         WHERE c.deleted_at IS NULL GROUP BY c.tenant, c.name`,
      );
      for (const r of rows) this.set({ tenant: r.tenant, cluster: r.cluster }, Number(r.n));
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
          // Ranked by cost in every family, names breaking ties: the same owner × project series
          // are kept in each (ranked by the family's own value, an owner's CPU and cost fell
          // apart, and the many equal GPU values swapped places between scrapes).
          `SELECT d.tenant, c.name AS cluster, d.owner, d.project, SUM(${column}) AS v
           FROM usage_daily d JOIN clusters c ON c.id = d.cluster_id
           GROUP BY d.tenant, c.name, d.owner, d.project
           ORDER BY SUM(d.total_cost_micros) DESC, d.tenant, c.name, d.owner, d.project`,
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
    async forgetRemoved() {
      const live = new Set((await ctx.store.listClusters()).map((c) => `${c.tenant}/${c.name}`));
      for (const [key, l] of rounded) {
        if (live.has(key)) continue;
        lastSuccess.remove(l);
        period.remove(l);
        duration.remove(l);
        for (const kind of ERROR_KINDS) errors.remove({ ...l, kind });
        rounded.delete(key);
      }
    },
    round(cluster, r) {
      // Another replica holds the cluster: this one read nothing, and its millisecond "round"
      // would stand beside the holder's as the cluster's round duration.
      if (r.outcome?.skipped === true) return;
      const l = { tenant: cluster.tenant, cluster: cluster.name };
      rounded.set(`${l.tenant}/${l.cluster}`, l);
      period.set(l, collectionSettings(cluster.collection).sampleEvery / 1000);
      duration.set(l, r.ms / 1000);
      // Each kind starts at 0, so that rate() and increase() see the first error.
      for (const kind of ERROR_KINDS) errors.inc({ ...l, kind }, 0);
      if (r.error !== undefined) errors.inc({ ...l, kind: 'round' });
      // An inventory read without a list the cluster refused (PVCs, services) lost what it gives:
      // counted, so that a rate() alert sees it as soon as it starts, not a day of gaps later.
      for (const s of r.outcome?.sources ?? [])
        if (!s.ok || s.error !== undefined) errors.inc({ ...l, kind: s.source });
      const inventory = r.outcome?.sources.find((s) => s.source === 'inventory');
      if (inventory?.ok === true && r.outcome !== undefined)
        lastSuccess.set(l, Date.parse(r.outcome.clusterTime) / 1000);
    },
  };
}

/**
 * The exposition text with only the series of `tenant` (and of `owner`, when given) among those
 * that carry such labels; series without them (the process's own) stay. Label values are quoted
 * and escaped as the format says, so a match on `tenant="…"` is exact.
 */
export function scopeMetrics(text: string, tenant: string, owner?: string): string {
  const quoted = (v: string) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  const mine = `tenant=${quoted(tenant)}`;
  const theirs = owner === undefined ? undefined : `owner=${quoted(owner)}`;
  return text
    .split('\n')
    .filter((line) => {
      if (line.startsWith('#') || !line.includes('{')) return true;
      const labels = line.slice(line.indexOf('{'), line.lastIndexOf('}') + 1);
      if (labels.includes('tenant=') && !labels.includes(`{${mine}`) && !labels.includes(`,${mine}`))
        return false;
      if (
        theirs !== undefined &&
        labels.includes('owner=') &&
        !labels.includes(`,${theirs}`) &&
        !labels.includes(`{${theirs}`)
      )
        return false;
      return true;
    })
    .join('\n');
}
