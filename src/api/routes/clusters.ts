/** Clusters: register, list, read, change, remove, replace the kubeconfig (cluster-operations.ts: test, collect, status). */
import type { FastifyInstance } from 'fastify';
import { checkRuleNames, compileRules } from '../../attribution/index.js';
import {
  allowsInsecureHttp,
  checkStillReachable,
  checkStoredContext,
  checkUploadedKubeconfig,
  connectionSettings,
  replaceKubeconfig,
  sealKubeconfig,
} from '../../app/cluster-connection.js';
import type { AppContext } from '../../app/context.js';
import {
  assertTenantCurrency,
  setClusterPricing,
  validatePricing,
  validateRegistrationPricing,
} from '../../app/pricing-settings.js';
import { priceSheetToJson } from '../../pricing/price-sheet.js';
import { DNS_LABEL, FORMAT, listAnswer } from '../params.js';
import { collectionSettings } from '../../collector/settings.js';
import { invalidArgument, KubetallyError } from '../../domain/errors.js';
import { rfc3339 } from '../../domain/time.js';
import type { ClusterRecord, Json } from '../../ledger/types.js';
import {
  knownTenantScope,
  notFound,
  requireAdmin,
  requireAllTenantAdmin,
  requireReader,
  tenantScope,
  type Principal,
} from '../auth.js';

const NAME = DNS_LABEL;
const KUBECONFIG = { type: 'string', minLength: 1, maxLength: 262_144 } as const;
const JSON_OBJECT = { type: 'object', additionalProperties: true } as const;
export const TENANT_QUERY = { type: 'object', properties: { tenant: NAME } } as const;
export const NAME_PARAMS = { type: 'object', required: ['name'], properties: { name: NAME } } as const;

interface ClusterBody {
  name: string;
  tenant?: string;
  kubeconfig?: string;
  context?: string;
  inCluster?: boolean;
  pricing?: Json;
  attribution?: Json;
  collection?: Json;
}

export function clusterJson(c: ClusterRecord) {
  return {
    name: c.name,
    // The id that credit history (`clusterId`) and /expenses (`cloud_account_id`) refer to.
    id: c.id,
    tenant: c.tenant,
    connection: c.connection,
    context: c.context,
    hasKubeconfig: c.kubeconfig !== null,
    attribution: c.attribution,
    pricing: c.pricing,
    collection: c.collection,
    createdAt: rfc3339(c.createdAt),
    updatedAt: rfc3339(c.updatedAt),
  };
}

/** Checks the settings a cluster is registered with; each throws a message naming the problem. */
function checkSettings(b: Partial<ClusterBody>): void {
  // Compiled as collection will compile them: a pattern that is no regular expression is
  // refused now, not at every round.
  if (b.attribution !== undefined) checkRuleNames(compileRules(b.attribution).rules);
  if (b.collection !== undefined) collectionSettings(b.collection);
  if (b.pricing !== undefined) validatePricing(b.pricing);
}

/** `patch` over `base`, top-level fields only: a given field replaces, null removes; a null patch removes all. */
function mergePatch(base: Json, patch: Json | null): Json {
  if (patch === null) return {};
  const out: Json = { ...(base as Record<string, Json>) };
  for (const [k, v] of Object.entries(patch as Record<string, Json>)) {
    if (v === null) delete out[k];
    else out[k] = v;
  }
  return out;
}

/**
 * The cluster `name` of the caller's tenant, or of `tenant=`. An admin of every tenant who names
 * none means the one tenant that has a cluster of that name (looking in `default` alone answered
 * "not found" for another tenant's cluster); a name that several tenants have must say whose.
 */
export async function findCluster(
  ctx: AppContext,
  p: Principal,
  name: string,
  tenant?: string,
): Promise<ClusterRecord> {
  const t = tenantScope(p, tenant);
  const named =
    t === undefined
      ? (await ctx.store.listClusters()).filter((c) => c.name === name)
      : [await ctx.store.getCluster(t, name)].filter((c) => c !== undefined);
  if (named.length > 1) {
    throw invalidArgument(
      `several tenants have a cluster named ${name}: say whose`,
      `add ?tenant=<tenant> (${named.map((c) => c.tenant).join(', ')})`,
    );
  }
  if (named[0] === undefined) throw notFound(`cluster ${name}`);
  return named[0];
}

export async function registerClusterRoutes(app: FastifyInstance, ctx: AppContext): Promise<void> {
  app.post<{ Body: ClusterBody }>(
    '/api/v1/clusters',
    {
      schema: {
        body: {
          type: 'object',
          required: ['name'],
          additionalProperties: false,
          properties: {
            name: NAME,
            tenant: NAME,
            kubeconfig: KUBECONFIG,
            context: { type: 'string', minLength: 1, maxLength: 253 },
            inCluster: { type: 'boolean' },
            pricing: JSON_OBJECT,
            attribution: JSON_OBJECT,
            collection: JSON_OBJECT,
          },
        },
      },
    },
    async (req, reply) => {
      const b = req.body;
      const tenant = tenantScope(req.principal, b.tenant, false) as string;
      requireAdmin(req.principal, tenant);
      if (b.inCluster === true) {
        // The pod's service account reads the cluster kubetally runs in, whoever's workloads it holds.
        requireAllTenantAdmin(
          req.principal,
          "registers a cluster in-cluster (with kubetally's own service account)",
          'upload a kubeconfig of your cluster (kubectl config view --minify --flatten), or ask an admin of every tenant',
        );
      }
      if ((b.kubeconfig === undefined) === (b.inCluster !== true)) {
        throw invalidArgument(
          'give either a kubeconfig or inCluster: true',
          'e.g. {"name": "prod", "kubeconfig": "<YAML text>"}',
        );
      }
      if (!(await ctx.store.listTenants()).includes(tenant)) {
        throw invalidArgument(`tenant ${tenant} does not exist`, 'create it first: POST /api/v1/tenants');
      }
      checkSettings(b);
      const allowHttp =
        (b.collection as { allowInsecureHttp?: unknown } | undefined)?.allowInsecureHttp === true;
      if (b.kubeconfig !== undefined) await checkUploadedKubeconfig(b.kubeconfig, b.context, allowHttp);
      const pricing = validateRegistrationPricing(b.pricing, b.name);
      await assertTenantCurrency(ctx.store, tenant, pricing.currency as string);
      if ((await ctx.store.getCluster(tenant, b.name)) !== undefined) {
        throw new KubetallyError('CONFLICT', `cluster ${b.name} already exists in tenant ${tenant}`, {
          hint: `replace its kubeconfig with PUT /api/v1/clusters/${b.name}/kubeconfig, or remove it first`,
        });
      }
      const c = await ctx.store.createCluster({
        tenant,
        name: b.name,
        connection: b.inCluster === true ? 'in-cluster' : 'kubeconfig',
        kubeconfig:
          b.kubeconfig === undefined ? null : sealKubeconfig(ctx.secrets, tenant, b.name, b.kubeconfig),
        context: b.context ?? null,
        ...(b.attribution === undefined ? {} : { attribution: b.attribution }),
        ...(b.pricing === undefined ? {} : { pricing: b.pricing }),
        ...(b.collection === undefined ? {} : { collection: b.collection }),
      });
      req.log.info({ tenant, cluster: c.name }, 'cluster registered');
      return reply.status(201).send(clusterJson(c));
    },
  );

  app.get<{ Querystring: { tenant?: string; format?: string } }>(
    '/api/v1/clusters',
    {
      schema: {
        querystring: { type: 'object', properties: { ...TENANT_QUERY.properties, format: FORMAT } },
      },
    },
    async (req, reply) => {
      requireReader(req.principal);
      const tenant = await knownTenantScope(ctx.store, req.principal, req.query.tenant);
      const clusters = (await ctx.store.listClusters(tenant)).map(clusterJson);
      return listAnswer(reply, req.query.format, { clusters }, clusters);
    },
  );

  app.get<{ Params: { name: string }; Querystring: { tenant?: string } }>(
    '/api/v1/clusters/:name',
    { schema: { params: NAME_PARAMS, querystring: TENANT_QUERY } },
    async (req) => {
      requireReader(req.principal);
      const c = await findCluster(ctx, req.principal, req.params.name, req.query.tenant);
      // The sheet that prices the next interval: the cluster's own, one set later, or the defaults.
      // The next interval starts where the billed ones end, in the cluster's time (SPEC §7): a
      // simulator on a manual clock lives months from this machine's. Before any is billed, this
      // machine's clock is the only time there is.
      const last = await ctx.store.lastClosedInterval(c.id);
      const inForce = await ctx.store.clusterSheetAt(c.id, last?.intervalEnd ?? Date.now());
      return {
        ...clusterJson(c),
        priceSheet: { id: inForce.priceSheetId, ...priceSheetToJson(inForce.sheet) },
      };
    },
  );

  app.patch<{
    Params: { name: string };
    Querystring: { tenant?: string };
    Body: Partial<Omit<ClusterBody, 'attribution' | 'collection'>> & {
      attribution?: Json | null;
      collection?: Json | null;
    };
  }>(
    '/api/v1/clusters/:name',
    {
      schema: {
        params: NAME_PARAMS,
        querystring: TENANT_QUERY,
        // Both are read as JSON (server.ts); OpenAPI says so, or clients would not know.
        consumes: ['application/json', 'application/merge-patch+json'],
        body: {
          type: 'object',
          additionalProperties: false,
          properties: {
            context: { type: 'string', minLength: 1, maxLength: 253 },
            pricing: JSON_OBJECT,
            // null removes the member (RFC 7396): the defaults again.
            attribution: { ...JSON_OBJECT, type: ['object', 'null'] },
            collection: { ...JSON_OBJECT, type: ['object', 'null'] },
          },
        },
      },
    },
    async (req) => {
      const c = await findCluster(ctx, req.principal, req.params.name, req.query.tenant);
      requireAdmin(req.principal, c.tenant);
      const b = req.body;
      // Settings merge as a JSON merge patch (RFC 7396): fields given replace, null removes one,
      // the others stay — as pricing does.
      const attribution = b.attribution === undefined ? undefined : mergePatch(c.attribution, b.attribution);
      // Resetting collection (null) keeps how the cluster is reached; naming a field removes it.
      const collection =
        b.collection === undefined
          ? undefined
          : b.collection === null
            ? connectionSettings(c)
            : mergePatch(c.collection, b.collection);
      // Pricing is checked where it is merged with the sheet in force (setClusterPricing): a
      // change names only what changes, and null removes a node or storage class price.
      checkSettings({
        ...(attribution === undefined ? {} : { attribution }),
        ...(collection === undefined ? {} : { collection }),
      });
      // A new context must resolve in the stored kubeconfig, as at registration.
      if (b.context !== undefined) await checkStoredContext(ctx.secrets, c, b.context);
      const context = b.context ?? c.context;
      if (collection !== undefined) await checkStillReachable(ctx.secrets, { ...c, context }, collection);
      // A price change is a new sheet from the end of what is billed: billed history stays.
      const priced =
        b.pricing === undefined ? undefined : await setClusterPricing(ctx.store, c.tenant, c.name, b.pricing);
      const updated = await ctx.store.updateCluster(c.id, {
        ...(b.context === undefined ? {} : { context: b.context }),
        ...(attribution === undefined ? {} : { attribution }),
        ...(collection === undefined ? {} : { collection }),
      });
      // A price change answers with the sheet it recorded (from its effectiveFrom): `pricing` is
      // the registration's, which a change leaves as it was.
      if (priced === undefined) return clusterJson(updated);
      return { ...clusterJson(updated), priceSheet: { id: priced.id, ...priced.sheet } };
    },
  );

  app.delete<{ Params: { name: string }; Querystring: { tenant?: string } }>(
    '/api/v1/clusters/:name',
    { schema: { params: NAME_PARAMS, querystring: TENANT_QUERY } },
    async (req, reply) => {
      const c = await findCluster(ctx, req.principal, req.params.name, req.query.tenant);
      requireAdmin(req.principal, c.tenant);
      await ctx.store.removeCluster(c.id);
      return reply.status(204).send();
    },
  );

  app.put<{
    Params: { name: string };
    Querystring: { tenant?: string };
    Body: { kubeconfig: string; context?: string };
  }>(
    '/api/v1/clusters/:name/kubeconfig',
    {
      schema: {
        params: NAME_PARAMS,
        querystring: TENANT_QUERY,
        body: {
          type: 'object',
          required: ['kubeconfig'],
          additionalProperties: false,
          properties: { kubeconfig: KUBECONFIG, context: { type: 'string', minLength: 1, maxLength: 253 } },
        },
      },
    },
    async (req) => {
      const c = await findCluster(ctx, req.principal, req.params.name, req.query.tenant);
      requireAdmin(req.principal, c.tenant);
      await checkUploadedKubeconfig(req.body.kubeconfig, req.body.context, allowsInsecureHttp(c));
      const updated = await replaceKubeconfig(ctx, c, {
        yaml: req.body.kubeconfig,
        context: req.body.context,
      });
      req.log.info({ tenant: c.tenant, cluster: c.name }, 'kubeconfig replaced');
      return clusterJson(updated);
    },
  );
}
