/**
 * Response schemas of the API, for the OpenAPI document (/api/v1/openapi.json, /docs). They
 * describe the answers that the use-cases shape; answers are still serialized with
 * JSON.stringify (server.ts), so that a field the schema does not list yet is never dropped
 * silently. Keyed by "METHOD /url" as fastify registers the routes.
 */
const str = { type: 'string' } as const;
const num = { type: 'number' } as const;
const bool = { type: 'boolean' } as const;
const time = { type: 'string', format: 'date-time' } as const;
const anyObject = { type: 'object', additionalProperties: true } as const;
const nullable = (s: object) => ({ anyOf: [s, { type: 'null' }] });
const object = (properties: Record<string, unknown>, required: string[] = []) => ({
  type: 'object',
  additionalProperties: true,
  properties,
  ...(required.length === 0 ? {} : { required }),
});
const list = (items: object) => ({ type: 'array', items });

export const ERROR = object({ error: object({ code: str, message: str, hint: str }, ['code', 'message']) }, [
  'error',
]);

const CLUSTER = object(
  {
    name: str,
    tenant: str,
    connection: { type: 'string', enum: ['kubeconfig', 'in-cluster', 'remote-write'] },
    context: nullable(str),
    hasKubeconfig: bool,
    attribution: anyObject,
    pricing: nullable(anyObject),
    collection: anyObject,
    createdAt: time,
    updatedAt: time,
  },
  ['name', 'tenant', 'connection', 'hasKubeconfig'],
);

const GAP = object({ cluster: str, start: time, end: time, reason: str });

/** SPEC §5: usage and cost answers; each row carries its group keys and (unless total) `start`. */
const USAGE_ANSWER = object(
  {
    from: time,
    to: time,
    groupBy: list(str),
    step: { type: 'string', enum: ['interval', 'hour', 'day', 'total'] },
    rows: list(
      object({
        start: time,
        cluster: str,
        owner: str,
        project: str,
        namespace: str,
        computeType: str,
        cpuCoreHours: num,
        cpuRequestCoreHours: num,
        memoryGiBHours: num,
        memoryRequestGiBHours: num,
        gpuHours: num,
        storageGiBHours: num,
        networkGiB: num,
        podHours: num,
        cpuEfficiency: nullable(num),
        memoryEfficiency: nullable(num),
      }),
    ),
    gaps: list(GAP),
  },
  ['from', 'to', 'groupBy', 'step', 'rows', 'gaps'],
);

const TEST_RESULT = object(
  {
    reachable: bool,
    serverVersion: str,
    metricsApi: object({ available: bool, reason: str }),
    permissions: { type: 'object', additionalProperties: object({ allowed: bool, reason: str, rbac: str }) },
    latencyMs: num,
    sample: object({ pods: num, nodes: num, cpuCores: num, memoryGiB: num, time }),
  },
  ['reachable', 'metricsApi', 'permissions'],
);

const COLLECT = object(
  {
    cluster: str,
    tenant: str,
    clusterTime: time,
    sources: list(object({ source: str, ok: bool, error: str, nodes: num })),
    observations: num,
    intervals: list(object({ start: time, end: time, status: str, coverage: num, written: bool })),
    skipped: bool,
  },
  ['cluster', 'sources', 'intervals'],
);

const STATUS = object({
  cluster: str,
  tenant: str,
  lastInterval: nullable(object({ start: time, end: time })),
  runs: list(
    object({
      start: time,
      end: time,
      status: str,
      coverage: num,
      samples: num,
      errors: list({}),
      writtenAt: time,
    }),
  ),
  gaps: list(GAP),
});

const EXPENSES = object({
  total_cost: num,
  k8s_costs: object({
    k8s_total_cost: num,
    k8s_cost_breakdown: list(
      object({ cloud_account_id: str, cloud_account_name: str, cost: num, breakdown: anyObject }),
    ),
  }),
});

const TOKEN = object({
  id: str,
  role: { type: 'string', enum: ['admin', 'viewer', 'user'] },
  tenant: nullable(str),
  owner: nullable(str),
});

const LIVE = object({ userId: str, projects: list(anyObject), totals: anyObject, timestamp: time });

const CSV_OR = (json: object) => ({
  description: 'JSON, or CSV with format=csv',
  content: { 'application/json': { schema: json }, 'text/csv': { schema: str } },
});

/** The success answer of each route, by "METHOD /url". */
export const RESPONSES: Record<string, Record<string, unknown>> = {
  'POST /api/v1/tenants': {
    200: object({ name: str, created: bool }),
    201: object({ name: str, created: bool }),
  },
  'POST /api/v1/tokens': { 201: { ...TOKEN, properties: { ...TOKEN.properties, token: str } } },
  'GET /api/v1/tokens': { 200: object({ tokens: list(object({ ...TOKEN.properties, revoked: bool })) }) },
  'DELETE /api/v1/tokens/:id': { 204: { type: 'null', description: 'revoked' } },
  'POST /api/v1/clusters': { 201: CLUSTER },
  'GET /api/v1/clusters': { 200: object({ clusters: list(CLUSTER) }, ['clusters']) },
  'GET /api/v1/clusters/:name': { 200: CLUSTER },
  'PATCH /api/v1/clusters/:name': { 200: CLUSTER },
  'DELETE /api/v1/clusters/:name': { 204: { type: 'null', description: 'removed (its ledger rows stay)' } },
  'PUT /api/v1/clusters/:name/kubeconfig': { 200: CLUSTER },
  'POST /api/v1/clusters/:name/test': { 200: TEST_RESULT },
  'POST /api/v1/clusters/:name/collect': { 200: COLLECT },
  'GET /api/v1/clusters/:name/status': { 200: STATUS },
  'GET /api/v1/usage': { 200: CSV_OR(USAGE_ANSWER) },
  'GET /api/v1/users/:owner/usage': { 200: CSV_OR(USAGE_ANSWER) },
  'GET /api/v1/costs': { 200: CSV_OR(object({ ...USAGE_ANSWER.properties, totals: anyObject })) },
  'GET /api/v1/costs/clusters': { 200: anyObject },
  'GET /api/v1/expenses': { 200: EXPENSES },
  'GET /api/v1/savings': { 200: anyObject },
  'GET /api/v1/live/users/:owner': { 200: LIVE },
  'GET /api/v1/live/projects/:namespace': { 200: anyObject },
  'GET /api/v1/accounts': { 200: object({ accounts: list(anyObject) }) },
  'GET /api/v1/accounts/:owner': { 200: anyObject },
  'PUT /api/v1/accounts/:owner': { 200: anyObject },
  'POST /api/v1/accounts/:owner/credits': { 200: anyObject, 201: anyObject },
};

/** Every error answer has one shape (errors.ts). */
export const ERROR_RESPONSES = {
  '4xx': { description: 'bad input, no or wrong token, forbidden, not found, conflict', ...ERROR },
  '5xx': { description: "the cluster's API server failed or timed out", ...ERROR },
};
