/** Usage, costs, expenses, savings and live views, each within the caller's tenant (and owner). */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { clusterCostsView } from '../../app/cluster-costs-view.js';
import { connectCluster } from '../../app/cluster-connection.js';
import type { AppContext } from '../../app/context.js';
import { costsCsv, costsView } from '../../app/costs-view.js';
import { expensesOf } from '../../app/expenses-view.js';
import { getProjectMetrics, getUserMetrics } from '../../app/live-view.js';
import { savingsView } from '../../app/savings-view.js';
import { usageCsv, usageView } from '../../app/usage-view.js';
import type { ClusterRecord, GroupKey, Step } from '../../ledger/types.js';
import { KubetallyError, invalidArgument } from '../../domain/errors.js';
import type { AttributionRulesInput } from '../../attribution/index.js';
import {
  knownTenantScope,
  notFound,
  ownerScope,
  requireReader,
  tenantScope,
  type Principal,
} from '../auth.js';
import { FORMAT, groupBy, listAnswer, range, rangeSchema, step } from '../params.js';
import { readLiveAs } from '../live-for-user.js';
import { notesWhenEmpty, withLedgerNotes } from '../ledger-notes.js';
import type { ReadCache } from '../read-cache.js';

interface ReadQuery {
  from?: string;
  to?: string;
  groupBy?: string;
  step?: string;
  cluster?: string;
  owner?: string;
  project?: string;
  namespace?: string;
  tenant?: string;
  format?: 'json' | 'csv';
}

const TEXT = { type: 'string', minLength: 1, maxLength: 253 } as const;
const READ_QUERY = {
  type: 'object',
  properties: {
    ...rangeSchema,
    groupBy: {
      type: 'string',
      maxLength: 200,
      description: 'any of tenant,cluster,owner,project,namespace,computeType',
    },
    step: { type: 'string', enum: ['interval', 'hour', 'day', 'total'] },
    cluster: TEXT,
    owner: TEXT,
    project: TEXT,
    namespace: TEXT,
    tenant: TEXT,
    format: { type: 'string', enum: ['json', 'csv'] },
  },
} as const;
/** The owner is in the path: an `owner` query parameter would be a second, ignored answer. */
const { owner: _owner, ...USER_READ_PROPERTIES } = READ_QUERY.properties;
const USER_READ_QUERY = { type: 'object', properties: USER_READ_PROPERTIES } as const;
const RANGE_QUERY = {
  type: 'object',
  properties: { ...rangeSchema, tenant: TEXT, cluster: TEXT, format: FORMAT },
} as const;

function filters(p: Principal, q: ReadQuery) {
  const tenant = tenantScope(p, q.tenant);
  const owner = ownerScope(p, q.owner);
  return {
    ...(tenant === undefined ? {} : { tenant }),
    ...(q.cluster === undefined ? {} : { cluster: q.cluster }),
    ...(owner === undefined ? {} : { owner }),
    ...(q.project === undefined ? {} : { project: q.project }),
    ...(q.namespace === undefined ? {} : { namespace: q.namespace }),
    ...range(q),
  };
}

/**
 * A cluster or tenant filter that names nothing the caller can see answers 404, as an unknown
 * object does (an empty answer would read as "no usage").
 */
async function checkScope(ctx: AppContext, p: Principal, q: { cluster?: string; tenant?: string }) {
  if (q.cluster === undefined && q.tenant === undefined) return;
  const tenant = await knownTenantScope(ctx.store, p, q.tenant);
  // A removed cluster's history stays readable by its name.
  const known = q.cluster === undefined ? [] : await ctx.store.listClusters(tenant, { removed: true });
  const named = known.filter((c) => c.name === q.cluster);
  if (q.cluster !== undefined && named.length === 0) throw notFound(`cluster ${q.cluster}`);
  // An admin of every tenant names a cluster that two tenants have: their rows would be added.
  if (new Set(named.map((c) => c.tenant)).size > 1) {
    throw invalidArgument(
      `several tenants have a cluster named ${q.cluster}: say whose`,
      `add tenant=<tenant> (${[...new Set(named.map((c) => c.tenant))].sort().join(', ')})`,
    );
  }
}

/**
 * What a `user` token is told of gaps: those of the clusters it has usage in over the range, each
 * with its source only. The reasons carry API server addresses and errors of the tenant's
 * clusters, which are the admins' to read (GET /clusters/{name}/status).
 */
async function userGaps<T extends { gaps: { cluster: string; reason: string }[] }>(
  ctx: AppContext,
  p: Principal,
  q: ReadQuery,
  body: T,
): Promise<T> {
  if (p.role !== 'user' || body.gaps.length === 0) return body;
  const mine = await ctx.store.queryUsage({ ...filters(p, q), groupBy: ['cluster'], step: 'total' });
  const clusters = new Set(mine.map((r) => r.group.cluster));
  // One per time and source once scrubbed (the nodes and errors that told them apart are gone).
  const gaps = new Map<string, T['gaps'][number]>();
  for (const g of body.gaps.filter((x) => clusters.has(x.cluster))) {
    const reason = g.reason.startsWith('before collection began')
      ? g.reason
      : `${g.reason.split(':')[0]}: not collected (an admin sees why)`;
    const scrubbed = { ...g, reason };
    gaps.set(JSON.stringify(scrubbed), scrubbed);
  }
  return { ...body, gaps: [...gaps.values()] };
}

/** Serialized answers, kept with the (cached) answer objects: a month by owner and project is large. */
const serialized = new WeakMap<object, Buffer>();

function send(
  reply: FastifyReply,
  q: ReadQuery,
  body: { rows: Record<string, unknown>[]; gaps?: unknown[]; groupBy: GroupKey[]; step: Step },
  kind: 'usage' | 'costs',
) {
  if (q.format === 'csv') {
    // CSV holds the rows only; the count of gaps (listed in the JSON form) travels in a header.
    if (body.gaps !== undefined) reply.header('x-kubetally-gaps', String(body.gaps.length));
    const text = kind === 'costs' ? costsCsv(body) : usageCsv(body);
    return reply.header('content-type', 'text/csv; charset=utf-8').send(text);
  }
  let json = serialized.get(body);
  if (json === undefined) serialized.set(body, (json = Buffer.from(JSON.stringify(body))));
  return reply.header('content-type', 'application/json; charset=utf-8').send(json);
}

export async function registerReadRoutes(
  app: FastifyInstance,
  ctx: AppContext,
  cache: ReadCache,
): Promise<void> {
  /** A usage or costs answer for the caller (cached per caller and URL), as JSON or CSV. */
  const answer = async (
    req: FastifyRequest,
    reply: FastifyReply,
    q: ReadQuery,
    kind: 'usage' | 'costs',
    defaultGroups: GroupKey[],
  ) => {
    await checkScope(ctx, req.principal, q);
    const view = kind === 'usage' ? usageView : costsView;
    const body = await cache.get(req.principal, req.url, async () => {
      const read = filters(req.principal, q);
      const answer = await view(ctx.store, {
        ...read,
        groupBy: groupBy(q.groupBy, defaultGroups),
        step: step(q.step, 'total'),
      });
      return withLedgerNotes(ctx.store, read, await userGaps(ctx, req.principal, q, answer));
    });
    return send(reply, q, body as unknown as Parameters<typeof send>[2], kind);
  };

  app.get<{ Querystring: ReadQuery }>(
    '/api/v1/usage',
    { schema: { querystring: READ_QUERY } },
    async (req, reply) => answer(req, reply, req.query, 'usage', ['owner']),
  );

  app.get<{ Params: { owner: string }; Querystring: ReadQuery }>(
    '/api/v1/users/:owner/usage',
    { schema: { params: { type: 'object', properties: { owner: TEXT } }, querystring: USER_READ_QUERY } },
    async (req, reply) =>
      answer(req, reply, { ...req.query, owner: req.params.owner }, 'usage', ['owner', 'project']),
  );

  app.get<{ Querystring: ReadQuery }>(
    '/api/v1/costs',
    { schema: { querystring: READ_QUERY } },
    async (req, reply) => answer(req, reply, req.query, 'costs', ['owner']),
  );

  app.get<{ Querystring: ReadQuery }>(
    '/api/v1/costs/clusters',
    { schema: { querystring: RANGE_QUERY } },
    async (req, reply) => {
      requireReader(req.principal);
      await checkScope(ctx, req.principal, req.query);
      const read = filters(req.principal, req.query);
      const view = await clusterCostsView(ctx.store, read);
      const empty = view.clusters.every((c) => c.intervals === 0);
      const body = { ...view, ...(await notesWhenEmpty(ctx.store, read, empty)) };
      return listAnswer(reply, req.query.format, body, body.clusters);
    },
  );

  app.get<{ Querystring: ReadQuery }>(
    '/api/v1/expenses',
    { schema: { querystring: RANGE_QUERY } },
    async (req, reply) => {
      requireReader(req.principal);
      await checkScope(ctx, req.principal, req.query);
      const read = filters(req.principal, req.query);
      const totals = await ctx.store.clusterCostTotals(read);
      const empty = totals.every((c) => c.intervals === 0);
      const body = { ...expensesOf(totals), ...(await notesWhenEmpty(ctx.store, read, empty)) };
      return listAnswer(reply, req.query.format, body, body.k8s_costs.k8s_cost_breakdown);
    },
  );

  app.get<{ Querystring: { cluster?: string; tenant?: string; format?: string } }>(
    '/api/v1/savings',
    {
      schema: {
        querystring: { type: 'object', properties: { cluster: TEXT, tenant: TEXT, format: FORMAT } },
      },
    },
    async (req, reply) => {
      requireReader(req.principal);
      await checkScope(ctx, req.principal, req.query);
      const tenant = tenantScope(req.principal, req.query.tenant);
      const body = await savingsView(ctx.store, {
        ...(tenant === undefined ? {} : { tenant }),
        ...(req.query.cluster === undefined ? {} : { cluster: req.query.cluster }),
      });
      // One line per recommendation, with its cluster.
      const rows = body.clusters.flatMap((c) =>
        c.recommendations.map((r) => ({ cluster: c.cluster, tenant: c.tenant, currency: c.currency, ...r })),
      );
      // With none, the columns every kind has, so that the file still says what it would hold.
      const template = {
        cluster: '',
        tenant: '',
        currency: '',
        kind: '',
        namespace: '',
        owner: '',
        project: '',
        monthlySaving: 0,
      };
      return listAnswer(reply, req.query.format, body, rows, template);
    },
  );

  const liveCluster = async (p: Principal, q: { cluster?: string; tenant?: string }) => {
    const tenant = await knownTenantScope(ctx.store, p, q.tenant);
    const clusters = await ctx.store.listClusters(tenant);
    const chosen = q.cluster === undefined ? clusters : clusters.filter((c) => c.name === q.cluster);
    if (q.cluster !== undefined && chosen.length === 0) throw notFound(`cluster ${q.cluster}`);
    if (chosen.length === 0) {
      throw new KubetallyError(
        'NOT_FOUND',
        `no cluster is registered${tenant ? ` in tenant ${tenant}` : ''}`,
        {
          hint: 'register one first: POST /api/v1/clusters (kubetally cluster add)',
        },
      );
    }
    if (chosen.length > 1) {
      const names = [...new Set(chosen.map((c) => (q.cluster === undefined ? c.name : c.tenant)))].sort();
      throw invalidArgument(
        q.cluster === undefined
          ? 'several clusters: say which'
          : `several tenants have a cluster named ${q.cluster}: say whose`,
        q.cluster === undefined
          ? `add ?cluster=<name> (${names.join(', ')})`
          : `add ?tenant=<tenant> (${names.join(', ')})`,
      );
    }
    return chosen[0]!;
  };
  const rulesOf = (c: ClusterRecord) => c.attribution as AttributionRulesInput;
  const LIVE_QUERY = { type: 'object', properties: { cluster: TEXT, tenant: TEXT } } as const;

  app.get<{ Params: { owner: string }; Querystring: { cluster?: string; tenant?: string } }>(
    '/api/v1/live/users/:owner',
    { schema: { params: { type: 'object', properties: { owner: TEXT } }, querystring: LIVE_QUERY } },
    async (req) => {
      const owner = ownerScope(req.principal, req.params.owner) as string;
      const c = await liveCluster(req.principal, req.query);
      return readLiveAs(req.principal, c.name, async () =>
        getUserMetrics(await connectCluster(ctx.secrets, c), owner, rulesOf(c)),
      );
    },
  );

  app.get<{ Params: { namespace: string }; Querystring: { cluster?: string; tenant?: string } }>(
    '/api/v1/live/projects/:namespace',
    { schema: { params: { type: 'object', properties: { namespace: TEXT } }, querystring: LIVE_QUERY } },
    async (req) => {
      requireReader(req.principal);
      const c = await liveCluster(req.principal, req.query);
      return getProjectMetrics(await connectCluster(ctx.secrets, c), req.params.namespace, rulesOf(c));
    },
  );
}
