import { pino } from 'pino';
import { invalidArgument } from '../../domain/errors.js';
import { rfc3339 } from '../../domain/time.js';
import { openApp } from '../../app/context.js';
import { startCollectorLoop, type CollectorLoop } from '../../app/collector-loop.js';
import { buildServer } from '../../api/server.js';
import { registerDashboard } from '../../web/dashboard.js';
import { ensureAdminToken } from '../../api/bootstrap.js';
import type { Demo } from '../../app/demo.js';
import type { CliIo } from '../io.js';
import { listenError } from '../listen-error.js';

export interface ServeCommandOptions {
  port: string;
  host: string;
  database?: string;
  demo?: boolean;
  collect: boolean;
  privateMetrics?: boolean;
  metricsCardinality?: string;
}

export async function runServe(opts: ServeCommandOptions, io: CliIo): Promise<void> {
  const port = Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw invalidArgument(`invalid port "${opts.port}"`, 'use a number from 0 to 65535 (0 picks a free one)');
  }
  const cardinalityLimit = Number(opts.metricsCardinality ?? '500');
  if (!Number.isInteger(cardinalityLimit) || cardinalityLimit < 0) {
    throw invalidArgument(
      `invalid --metrics-cardinality "${opts.metricsCardinality}"`,
      'use a whole number of series, e.g. 500',
    );
  }
  const logger = pino({
    level: io.env.LOG_LEVEL ?? 'info',
    // Secrets never reach a log line, even by mistake.
    redact: ['req.headers.authorization', 'kubeconfig', '*.kubeconfig', 'token', '*.token'],
  });
  const ctx = await openApp({
    ...(opts.database === undefined ? {} : { database: opts.database }),
    env: io.env,
  });
  const { app, metrics } = await buildServer(ctx, {
    logger,
    metricsPublic: opts.privateMetrics !== true,
    cardinalityLimit,
  });
  await registerDashboard(app);
  // Listen before anything starts working, so that a port in use ends the command at once.
  let address: string;
  try {
    address = await app.listen({ port, host: opts.host });
  } catch (err) {
    await app.close();
    await ctx.close();
    throw listenError(err, opts.host, port) ?? err;
  }
  // Made only once the port is ours: a first start that cannot listen must not use up the one
  // printing of the token.
  let admin: Awaited<ReturnType<typeof ensureAdminToken>>;
  try {
    admin = await ensureAdminToken(ctx, io.env.KUBETALLY_ADMIN_TOKEN);
  } catch (err) {
    // A server that cannot have its admin token does not serve (nor answer ready) at all.
    await app.close();
    await ctx.close();
    throw err;
  }
  let demo: Demo | undefined;
  if (opts.demo === true) {
    const { startDemo } = await import('../../app/demo.js');
    demo = await startDemo(ctx, { logger });
  }
  let ready = demo === undefined;
  void demo?.ready.then(() => {
    ready = true;
    io.out('demo: the history is in; the demo cluster now follows real time\n');
  });
  let loop: CollectorLoop | undefined;
  if (opts.collect) {
    loop = startCollectorLoop(ctx, {
      onRound: (cluster, r) => metrics.round(cluster, r),
      logger,
      // The demo cluster is driven by the demo until its history is in.
      skip: (cluster) => !ready && cluster.name === 'demo' && cluster.tenant === 'default',
    });
  }
  const lines = [`kubetally listening on ${address} (database: ${ctx.databaseLabel})`];
  if (opts.privateMetrics !== true && !['127.0.0.1', 'localhost', '::1'].includes(opts.host)) {
    lines.push(
      `note: /metrics answers without a token on ${opts.host}, with every tenant's owners and costs; --private-metrics puts it behind one`,
    );
  }
  if (admin.created) {
    lines.push(`admin token (shown once; keep it): ${admin.token}`);
    lines.push(`dashboard: ${address}/#token=${admin.token}`);
  } else {
    // The embedded database serves this process alone: a second one (token create) is refused.
    const create = ctx.db.kind === 'pglite' ? 'stop this server, then run ' : '';
    lines.push(
      `admin token: the one printed at first start, or KUBETALLY_ADMIN_TOKEN (lost it? ${create}kubetally token create --role admin)`,
    );
    lines.push(`dashboard: ${address}/ (sign in with a token)`);
  }
  // Quoted: an unquoted `?` is a glob that zsh refuses ("no matches found").
  lines.push(`try: curl -H "Authorization: Bearer <token>" '${address}/api/v1/usage?groupBy=owner'`);
  lines.push(`API docs: ${address}/docs   metrics: ${address}/metrics`);
  if (demo !== undefined) lines.push(demoStartLine(demo));
  io.out(`${lines.join('\n')}\n`);

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  logger.info('shutting down');
  await app.close(); // lets requests in flight finish
  await loop?.stop(); // lets rounds in flight finish their writes, releases leases
  await demo?.stop();
  await ctx.close();
}

/** A first start fills a week (about 30 s); a later one only the time since the last run. */
function demoStartLine(demo: Demo): string {
  const week = Date.now() - demo.fillFrom > 6 * 86_400_000;
  return week
    ? 'demo: filling a week of history for cluster "demo" (about 30 s)...'
    : `demo: filling cluster "demo" from ${rfc3339(demo.fillFrom)}, where the last run left it...`;
}
