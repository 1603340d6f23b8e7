import { checkNotBlank, checkReadScope } from '../read-scope.js';
import { KubetallyError, isKubetallyError } from '../../domain/errors.js';
import { collectNow, defaultHolder } from '../../app/collect.js';
import { openApp } from '../../app/context.js';
import type { CollectOutcome } from '../../collector/outcome.js';
import { exitCodeOf } from '../exit-codes.js';
import { table } from '../format.js';
import type { CliIo } from '../io.js';
import { startProgress } from '../progress.js';
import { releaseOnSignal } from '../release-on-signal.js';

/** A cluster whose round could not run at all (e.g. its kubeconfig cannot be used). */
interface RoundFailure {
  cluster: string;
  tenant: string;
  error: string;
  code?: string;
  hint?: string;
}

export interface CollectCommandOptions {
  cluster?: string;
  tenant?: string;
  database?: string;
  output: 'table' | 'json';
}

export async function runCollect(opts: CollectCommandOptions, io: CliIo): Promise<void> {
  checkNotBlank(opts);
  const ctx = await openApp({
    ...(opts.database === undefined ? {} : { database: opts.database }),
    env: io.env,
  });
  try {
    await checkReadScope(ctx.store, { tenant: opts.tenant });
    const all = await ctx.store.listClusters(opts.tenant);
    const clusters = opts.cluster === undefined ? all : all.filter((c) => c.name === opts.cluster);
    if (clusters.length === 0) {
      const names = [...new Set(all.map((c) => c.name))].sort();
      throw new KubetallyError(
        'NOT_FOUND',
        opts.cluster === undefined ? 'no cluster is registered' : `no cluster named ${opts.cluster}`,
        {
          hint:
            names.length === 0
              ? 'register one with: kubetally cluster add NAME --kubeconfig FILE'
              : `the registered clusters are ${names.join(', ')}`,
        },
      );
    }
    const holder = defaultHolder();
    const results: (CollectOutcome | RoundFailure)[] = [];
    const stopWatchingSignals = releaseOnSignal(async () => {
      for (const c of clusters) await ctx.store.releaseLease(c.id, holder);
    });
    for (const [i, cluster] of clusters.entries()) {
      const progress = startProgress(
        io,
        () => `collecting ${cluster.name}${clusters.length > 1 ? ` (${i + 1} of ${clusters.length})` : ''}…`,
      );
      try {
        results.push(await collectNow(ctx, cluster, { holder }));
      } catch (err) {
        results.push({
          cluster: cluster.name,
          tenant: cluster.tenant,
          error: err instanceof Error ? err.message : String(err),
          ...(isKubetallyError(err) ? { code: err.code } : {}),
          ...(isKubetallyError(err) && err.hint !== undefined ? { hint: err.hint } : {}),
        });
      } finally {
        progress.done();
        // A one-shot run must not keep the cluster from the service's collector.
        await ctx.store.releaseLease(cluster.id, holder);
      }
    }
    stopWatchingSignals();
    if (opts.output === 'json')
      io.out(`${JSON.stringify(clusters.length === 1 && opts.cluster ? results[0] : results, null, 2)}\n`);
    else io.out(render(results));
    // Two tenants' `prod` are two clusters: over several tenants, each line says whose.
    const named = new Set(results.map((r) => r.tenant)).size > 1;
    for (const r of results) io.err(problems(r, named));
    process.exitCode = exitStatus(results);
  } finally {
    await ctx.close();
  }
}

/**
 * A cron job must see that a round or a source failed (the round itself stored what it could):
 * the status of the first failure, by its code as every command exits for it (8 for a missing
 * metrics API, 6 for refused credentials...), 1 for a clock gone back or a failure without a code.
 */
function exitStatus(results: readonly (CollectOutcome | RoundFailure)[]): number {
  for (const r of results) {
    if ('error' in r) return exitCodeOf(r.code);
    if (r.clockBehind !== undefined) return 1;
    const failed = r.sources.find((s) => !s.ok);
    if (failed !== undefined) return exitCodeOf(failed.code);
  }
  return 0;
}

/**
 * What failed, and the fix, as `top` and `cluster test` say it (the table only names it). A source
 * not read because the inventory failed is left out: the inventory's line says why.
 */
function problems(r: CollectOutcome | RoundFailure, withTenant: boolean): string {
  const who = withTenant ? `cluster ${r.cluster} (tenant ${r.tenant})` : `cluster ${r.cluster}`;
  const line = (level: string, what: string, hint?: string) =>
    `${level}: ${who}: ${what}\n${hint === undefined ? '' : `hint: ${hint}\n`}`;
  if ('error' in r) return line('error', r.error, r.hint);
  if (r.clockBehind !== undefined)
    return line(
      'error',
      `its time (${r.clusterTime}) is before the newest sample stored (${r.clockBehind}): its clock went back, and nothing was stored`,
      `collection goes on by itself once the cluster's time passes ${r.clockBehind}; check the time sync (NTP) of its API server (a simulator restarted on a manual clock starts again from its scenario's start: advance its clock past that time, or register it as a new cluster)`,
    );
  const inventoryFailed = r.sources.some((s) => s.source === 'inventory' && !s.ok);
  return r.sources
    .map((s) => {
      if (s.error === undefined || (inventoryFailed && s.source !== 'inventory')) return '';
      // A refused optional list: the round went on without it.
      if (s.ok)
        return line(
          'warning',
          `${s.source}: ${s.error}`,
          `kubetally cluster test ${r.cluster} --tenant ${r.tenant} shows the RBAC rule to add`,
        );
      return line('error', `${s.source}: ${s.error}`, s.hint);
    })
    .join('');
}

function render(results: readonly (CollectOutcome | RoundFailure)[]): string {
  const rows = results.map((r) => {
    if ('error' in r) return [r.tenant, r.cluster, '-', `failed: ${r.error}`, '-'];
    if (r.skipped) return [r.tenant, r.cluster, '-', 'skipped: another replica holds the lease', '-'];
    if (r.clockBehind !== undefined)
      return [
        r.tenant,
        r.cluster,
        r.clusterTime,
        `not stored: clock behind the newest sample (${r.clockBehind})`,
        '-',
      ];
    const sources = r.sources
      .map((s) =>
        !s.ok
          ? `${s.source} FAILED (${s.error})`
          : s.error === undefined
            ? s.source
            : `${s.source} (${s.error})`,
      )
      .join(', ');
    const intervals =
      r.intervals.length === 0
        ? 'none due'
        : r.intervals
            .map((i) => `${i.start.slice(11, 16)} ${i.status}${i.written ? '' : ' (already written)'}`)
            .join(', ');
    // An estimate is this machine's clock: it would read as the cluster's.
    const time = r.clusterTimeEstimated === true ? 'unknown (no reply)' : r.clusterTime;
    return [r.tenant, r.cluster, time, sources, intervals];
  });
  return table(['TENANT', 'CLUSTER', 'CLUSTER TIME', 'SOURCES', 'INTERVALS CLOSED'], rows);
}
