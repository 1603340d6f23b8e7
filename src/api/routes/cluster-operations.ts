/** A registered cluster's operations: test its connection, collect now (cron-friendly), its status. */
import type { FastifyInstance } from 'fastify';
import { connectCluster } from '../../app/cluster-connection.js';
import { testClusterConnection } from '../../app/cluster-test.js';
import { collectNow, type CollectOptions } from '../../app/collect.js';
import type { AppContext } from '../../app/context.js';
import { newestScrapes, sampleErrors } from '../../app/newest-scrapes.js';
import { rfc3339 } from '../../domain/time.js';
import { requireAdmin, requireReader } from '../auth.js';
import { collectFailure } from '../collect-failure.js';
import type { ApiMetrics } from '../metrics.js';
import { noBody } from '../params.js';
import { findCluster, NAME_PARAMS, TENANT_QUERY } from './clusters.js';

export async function registerClusterOperationRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  deps: { metrics: ApiMetrics; collect: CollectOptions },
): Promise<void> {
  app.post<{ Params: { name: string }; Querystring: { tenant?: string } }>(
    '/api/v1/clusters/:name/test',
    { schema: { params: NAME_PARAMS, querystring: TENANT_QUERY }, preValidation: noBody },
    async (req) => {
      const c = await findCluster(ctx, req.principal, req.params.name, req.query.tenant);
      requireAdmin(req.principal, c.tenant);
      return testClusterConnection(await connectCluster(ctx.secrets, c));
    },
  );

  app.post<{ Params: { name: string }; Querystring: { tenant?: string } }>(
    '/api/v1/clusters/:name/collect',
    { schema: { params: NAME_PARAMS, querystring: TENANT_QUERY }, preValidation: noBody },
    async (req) => {
      const c = await findCluster(ctx, req.principal, req.params.name, req.query.tenant);
      requireAdmin(req.principal, c.tenant);
      const started = Date.now();
      let outcome;
      try {
        outcome = await collectNow(ctx, c, deps.collect);
      } catch (error) {
        deps.metrics.round(c, { error, ms: Date.now() - started });
        throw error;
      }
      deps.metrics.round(c, { outcome, ms: Date.now() - started });
      // Nothing could be read at all: an error a cron job's `curl -f` sees (the failure is
      // recorded: its time becomes a gap). A source that failed alone is in the answer.
      const inventory = outcome.sources.find((s) => s.source === 'inventory');
      if (inventory !== undefined && !inventory.ok) throw collectFailure(c, inventory);
      return outcome;
    },
  );

  app.get<{ Params: { name: string }; Querystring: { tenant?: string } }>(
    '/api/v1/clusters/:name/status',
    { schema: { params: NAME_PARAMS, querystring: TENANT_QUERY } },
    async (req) => {
      requireReader(req.principal);
      const c = await findCluster(ctx, req.principal, req.params.name, req.query.tenant);
      const runs = await ctx.store.recentRuns(c.id, 96);
      const latest = runs[0]?.intervalEnd ?? Date.now();
      const gaps = await ctx.store.listGaps({
        clusterId: c.id,
        from: latest - 7 * 86_400_000,
        to: latest + 1,
      });
      return {
        cluster: c.name,
        tenant: c.tenant,
        lastInterval:
          runs[0] === undefined
            ? null
            : { start: rfc3339(runs[0].intervalStart), end: rfc3339(runs[0].intervalEnd) },
        lastSample: await lastSample(ctx, c.id),
        runs: runs.map((r) => ({
          start: rfc3339(r.intervalStart),
          end: rfc3339(r.intervalEnd),
          status: r.status,
          coverage: r.coverage,
          samples: r.sampleCount,
          errors: r.errors,
          writtenAt: rfc3339(r.writtenAt),
        })),
        gaps: gaps.map((g) => ({
          cluster: c.name,
          start: rfc3339(g.start),
          end: rfc3339(g.end),
          reason: g.reason,
        })),
      };
    },
  );
}

/**
 * The newest sample of a cluster, from its stored scrape records: a cluster that fails every
 * round closes no interval (its outage becomes a gap only once it answers again), and this says
 * why meanwhile. Raw records are kept for a while only, so a cluster long unsampled has none.
 */
async function lastSample(ctx: AppContext, clusterId: number) {
  const newest = await newestScrapes(ctx.store, clusterId);
  if (newest === undefined) return null;
  const errors = sampleErrors(newest.scrapes);
  return { time: rfc3339(newest.time), ok: errors.length === 0, errors };
}
