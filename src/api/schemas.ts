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
/** `base` with more properties (and more of them required). */
const extend = (
  base: ReturnType<typeof object>,
  properties: Record<string, unknown>,
  required: string[] = [],
) => object({ ...base.properties, ...properties }, [...(base.required ?? []), ...required]);
const list = (items: object) => ({ type: 'array', items });
const RUN_STATUS = { type: 'string', enum: ['complete', 'partial', 'gap'] } as const;

export const ERROR = object(
  { error: object({ code: str, message: str, hint: str }, ['code', 'message', 'hint']) },
  ['error'],
);

const CLUSTER = object(
  {
    name: str,
    id: { type: 'integer' },
    tenant: str,
    connection: { type: 'string', enum: ['kubeconfig', 'in-cluster'] },
    context: nullable(str),
    hasKubeconfig: bool,
    attribution: anyObject,
    pricing: nullable(anyObject),
    collection: anyObject,
    createdAt: time,
    updatedAt: time,
  },
  ['name', 'tenant', 'connection', 'hasKubeconfig', 'createdAt', 'updatedAt'],
);

/** Prices are exact decimals as text (per hour, GiB-month or GiB); `id` null for settings or defaults. */
const PRICE_SHEET = object(
  {
    id: nullable(num),
    currency: str,
    basis: { type: 'string', enum: ['usage', 'request', 'max'] },
    effectiveFrom: time,
    cpuCoreHour: str,
    memoryGiBHour: str,
    gpuHour: str,
    spotCpuCoreHour: str,
    spotMemoryGiBHour: str,
    spotGpuHour: str,
    storageGiBMonth: str,
    storageClasses: { type: 'object', additionalProperties: str },
    networkEgressGiB: str,
    loadBalancerHour: str,
    managementHour: str,
    nodes: { type: 'object', additionalProperties: object({ hour: str, spotHour: str }, ['hour']) },
  },
  ['id', 'currency', 'basis', 'effectiveFrom', 'cpuCoreHour', 'memoryGiBHour', 'gpuHour'],
);

/** GET /clusters/{name}: the cluster with the price sheet that prices its next interval. */
const CLUSTER_WITH_SHEET = extend(CLUSTER, { priceSheet: PRICE_SHEET }, ['priceSheet']);
/** PATCH /clusters/{name}: with the sheet it recorded, when it changed prices. */
const CLUSTER_PATCHED = extend(CLUSTER, { priceSheet: PRICE_SHEET });

/** `tenant` in answers that hold several tenants' clusters (two tenants may both have a `prod`). */
const GAP = object({ cluster: str, tenant: str, start: time, end: time, reason: str }, [
  'cluster',
  'start',
  'end',
  'reason',
]);

const USAGE_FIELDS = {
  cpuCoreHours: num,
  cpuRequestCoreHours: num,
  memoryGiBHours: num,
  memoryRequestGiBHours: num,
  gpuHours: num,
  storageGiBHours: num,
  /** Received + sent. */
  networkGiB: num,
  podHours: num,
  loadBalancerHours: num,
  /** Used / requested; null when nothing was requested. */
  cpuEfficiency: nullable(num),
  memoryEfficiency: nullable(num),
};

/** A usage row: the values of its group keys (only those of `groupBy`), `start` unless step=total. */
const USAGE_ROW = object(
  {
    start: time,
    /** A group key too in answers over several tenants, when they group by a name a tenant gives. */
    tenant: str,
    cluster: str,
    owner: str,
    project: str,
    namespace: str,
    computeType: str,
    ...USAGE_FIELDS,
  },
  Object.keys(USAGE_FIELDS),
);

const COST_FIELDS = {
  cpuCost: num,
  memoryCost: num,
  gpuCost: num,
  storageCost: num,
  networkCost: num,
  loadBalancerCost: num,
  totalCost: num,
};

/** A cost row: the usage row, egress, and money as decimal numbers in the cluster's currency. */
const COST_ROW = extend(USAGE_ROW, { networkEgressGiB: num, ...COST_FIELDS }, [
  'networkEgressGiB',
  ...Object.keys(COST_FIELDS),
]);

const RANGE_ANSWER = {
  from: time,
  to: time,
  groupBy: list({
    type: 'string',
    enum: ['tenant', 'cluster', 'owner', 'project', 'namespace', 'computeType'],
  }),
  step: { type: 'string', enum: ['interval', 'hour', 'day', 'total'] },
  /** Only in an answer without rows whose range misses the ledger: where its intervals are. */
  notes: list(str),
};

/** SPEC §5: usage and cost answers; each row carries its group keys and (unless total) `start`. */
const USAGE_ANSWER = object({ ...RANGE_ANSWER, rows: list(USAGE_ROW), gaps: list(GAP) }, [
  'from',
  'to',
  'groupBy',
  'step',
  'rows',
  'gaps',
]);

/**
 * Σ of the rows; `managementCost` and `clusterCost` (Σ rows + management) only when no owner,
 * project or namespace filter narrows the rows.
 */
const COST_TOTALS = object(
  { ...COST_FIELDS, managementCost: num, clusterCost: num },
  Object.keys(COST_FIELDS),
);

const COSTS_ANSWER = object(
  {
    ...RANGE_ANSWER,
    /** null when the clusters price in more than one currency. */
    currency: nullable(str),
    rows: list(COST_ROW),
    gaps: list(GAP),
    totals: COST_TOTALS,
  },
  ['from', 'to', 'groupBy', 'step', 'currency', 'rows', 'gaps', 'totals'],
);

const CLUSTER_COST = object(
  {
    cluster: str,
    clusterId: num,
    tenant: str,
    currency: nullable(str),
    intervals: num,
    ...COST_FIELDS,
    idleCost: num,
    managementCost: num,
    nodeCost: num,
    overAllocationCost: num,
    unpricedInstanceTypes: list(str),
    capacityUnknownIntervals: num,
    removedAt: time,
  },
  [
    'cluster',
    'clusterId',
    'tenant',
    'currency',
    'intervals',
    ...Object.keys(COST_FIELDS),
    'idleCost',
    'managementCost',
    'nodeCost',
    'overAllocationCost',
    'unpricedInstanceTypes',
    'capacityUnknownIntervals',
  ],
);

const CLUSTER_COSTS = object(
  { from: time, to: time, clusters: list(CLUSTER_COST), gaps: list(GAP), notes: RANGE_ANSWER.notes },
  ['from', 'to', 'clusters', 'gaps'],
);

const PROBLEM = object({ code: str, message: str, hint: str }, ['code', 'message']);

const TEST_RESULT = object(
  {
    reachable: bool,
    serverVersion: str,
    metricsApi: object({ available: bool, code: str, reason: str, hint: str }, ['available']),
    permissions: {
      type: 'object',
      additionalProperties: object({ allowed: bool, reason: str, rbac: str, optional: bool }),
    },
    latencyMs: num,
    sample: object({ pods: num, nodes: num, cpuCores: num, memoryGiB: num, time }, [
      'pods',
      'nodes',
      'cpuCores',
      'memoryGiB',
      'time',
    ]),
    sampleError: PROBLEM,
    error: PROBLEM,
  },
  ['reachable', 'metricsApi', 'permissions'],
);

const COLLECT = object(
  {
    cluster: str,
    tenant: str,
    clusterTime: time,
    clusterTimeEstimated: bool,
    sources: list(
      object({ source: str, ok: bool, error: str, code: str, hint: str, nodes: num }, ['source', 'ok']),
    ),
    observations: num,
    intervals: list(
      object({ start: time, end: time, status: RUN_STATUS, coverage: num, written: bool }, [
        'start',
        'end',
        'status',
        'coverage',
        'written',
      ]),
    ),
    skipped: bool,
    clockBehind: time,
  },
  ['cluster', 'tenant', 'clusterTime', 'sources', 'observations', 'intervals'],
);

const STATUS = object(
  {
    cluster: str,
    tenant: str,
    lastInterval: nullable(object({ start: time, end: time }, ['start', 'end'])),
    /** The newest sample taken (or tried): when, and what each source that failed said. */
    lastSample: nullable(
      object(
        {
          time: time,
          ok: { type: 'boolean' },
          errors: list(object({ source: str, node: str, error: str }, ['source', 'error'])),
        },
        ['time', 'ok', 'errors'],
      ),
    ),
    runs: list(
      object(
        {
          start: time,
          end: time,
          status: RUN_STATUS,
          coverage: num,
          samples: num,
          errors: list(object({ message: str, count: num })),
          writtenAt: time,
        },
        ['start', 'end', 'status', 'coverage', 'samples', 'errors', 'writtenAt'],
      ),
    ),
    /** The gaps of the last 7 days of the cluster, in the shape of every gaps list. */
    gaps: list(
      object({ cluster: str, start: time, end: time, reason: str }, ['cluster', 'start', 'end', 'reason']),
    ),
  },
  ['cluster', 'tenant', 'lastInterval', 'lastSample', 'runs', 'gaps'],
);

const EXPENSE_BREAKDOWN = object(
  {
    total_cost: num,
    management_cost: num,
    cpu_cost: num,
    ram_cost: num,
    gpu_cost: num,
    pv_cost: num,
    network_cost: num,
    load_balancer_cost: num,
    idle_cost: num,
  },
  [
    'total_cost',
    'management_cost',
    'cpu_cost',
    'ram_cost',
    'gpu_cost',
    'pv_cost',
    'network_cost',
    'load_balancer_cost',
    'idle_cost',
  ],
);

const EXPENSES = object(
  {
    total_cost: num,
    /** The clusters' currency (beyond the seed's shape); null when they share none. */
    currency: nullable(str),
    k8s_costs: object(
      {
        k8s_total_cost: num,
        k8s_cost_breakdown: list(
          object(
            {
              /** The cluster's numeric id, as text. */
              cloud_account_id: str,
              /** The cluster's name. */
              cloud_account_name: str,
              /** The cluster's tenant (beyond the seed's shape): two tenants may name a cluster alike. */
              tenant: str,
              cost: num,
              breakdown: EXPENSE_BREAKDOWN,
            },
            ['cloud_account_id', 'cloud_account_name', 'tenant', 'cost', 'breakdown'],
          ),
        ),
      },
      ['k8s_total_cost', 'k8s_cost_breakdown'],
    ),
    /** Only when no interval of the range is in the ledger (beyond the seed's shape): where they are. */
    notes: list(str),
  },
  ['total_cost', 'currency', 'k8s_costs'],
);

/**
 * Savings recommendations, one shape per `kind`: money per 730-hour month (`cost`: over the window
 * looked at), CPU in millicores, memory in MiB.
 */
const kind = (k: string) => ({ type: 'string', enum: [k] });
const WORKLOAD = { namespace: str, workloadKind: str, workloadName: str, owner: str, project: str };
const RECOMMENDATION = {
  oneOf: [
    object(
      {
        kind: kind('right-size'),
        ...WORKLOAD,
        computeType: str,
        averagePods: num,
        cpuRequestMillicores: num,
        cpuP90Millicores: num,
        cpuRecommendedMillicores: num,
        memoryRequestMiB: num,
        memoryP90PeakMiB: num,
        memoryRecommendedMiB: num,
        monthlySaving: num,
      },
      [
        'kind',
        ...Object.keys(WORKLOAD),
        'computeType',
        'averagePods',
        'cpuRequestMillicores',
        'cpuP90Millicores',
        'cpuRecommendedMillicores',
        'memoryRequestMiB',
        'memoryP90PeakMiB',
        'memoryRecommendedMiB',
        'monthlySaving',
      ],
    ),
    object({ kind: kind('idle-notebook'), ...WORKLOAD, maxMillicores: num, cost: num, monthlySaving: num }, [
      'kind',
      ...Object.keys(WORKLOAD),
      'maxMillicores',
      'cost',
      'monthlySaving',
    ]),
    object(
      {
        kind: kind('unmounted-claim'),
        namespace: str,
        claim: str,
        owner: str,
        project: str,
        unmountedIntervals: num,
        storageGiBHours: num,
        cost: num,
        monthlySaving: num,
      },
      [
        'kind',
        'namespace',
        'claim',
        'owner',
        'project',
        'unmountedIntervals',
        'storageGiBHours',
        'cost',
        'monthlySaving',
      ],
    ),
    object(
      {
        kind: kind('idle-load-balancer'),
        namespace: str,
        service: str,
        owner: str,
        project: str,
        cost: num,
        monthlySaving: num,
      },
      ['kind', 'namespace', 'service', 'owner', 'project', 'cost', 'monthlySaving'],
    ),
  ],
};

/** Per cluster, as of the end of its last written interval (`asOf` and `currency` null before any). */
const SAVINGS = object(
  {
    clusters: list(
      object(
        {
          cluster: str,
          tenant: str,
          asOf: nullable(time),
          currency: nullable(str),
          totalMonthlySaving: num,
          recommendations: list(RECOMMENDATION),
        },
        ['cluster', 'tenant', 'asOf', 'currency', 'totalMonthlySaving', 'recommendations'],
      ),
    ),
  },
  ['clusters'],
);

const TOKEN = object(
  {
    id: str,
    role: { type: 'string', enum: ['admin', 'viewer', 'user'] },
    tenant: nullable(str),
    owner: nullable(str),
  },
  ['id', 'role', 'tenant', 'owner'],
);

const TOKEN_LISTED = extend(TOKEN, { description: str, createdAt: time, revoked: bool }, [
  'description',
  'createdAt',
  'revoked',
]);

const TENANT = object({ name: str, created: bool }, ['name', 'created']);

/**
 * Live figures; `memoryGB` and `storageGB` carry GiB (2^30 bytes), as every memory figure.
 * `storageGB` is null when the cluster does not allow listing claims (`warnings` says so).
 */
const LIVE_RESOURCES = object({ cpuCores: num, memoryGB: num, storageGB: nullable(num), gpus: num }, [
  'cpuCores',
  'memoryGB',
  'storageGB',
  'gpus',
]);

const LIVE_POD = object(
  {
    name: str,
    namespace: str,
    uid: str,
    phase: str,
    /** Empty while the pod is not scheduled. */
    node: str,
    computeType: str,
    owner: str,
    cpuCores: num,
    memoryGB: num,
    gpus: num,
    cpuRequestCores: num,
    memoryRequestGB: num,
  },
  [
    'name',
    'namespace',
    'uid',
    'phase',
    'node',
    'computeType',
    'owner',
    'cpuCores',
    'memoryGB',
    'gpus',
    'cpuRequestCores',
    'memoryRequestGB',
  ],
);

const PROJECT_VIEW = {
  projectId: str,
  projectName: str,
  namespace: str,
  resources: LIVE_RESOURCES,
  pods: list(LIVE_POD),
};

const LIVE_USER = object(
  {
    userId: str,
    projects: list(object(PROJECT_VIEW, Object.keys(PROJECT_VIEW))),
    totals: LIVE_RESOURCES,
    timestamp: time,
    warnings: list(str),
  },
  ['userId', 'projects', 'totals', 'timestamp'],
);

const LIVE_PROJECT = object({ ...PROJECT_VIEW, owners: list(str), timestamp: time, warnings: list(str) }, [
  ...Object.keys(PROJECT_VIEW),
  'owners',
  'timestamp',
]);

/** Money as decimal numbers in the account's currency. */
const ACCOUNT = object(
  {
    tenant: str,
    owner: str,
    externalId: nullable(str),
    /** The tenant's currency (ISO 4217), which balance and threshold are in. */
    currency: str,
    balance: num,
    lowBalanceThreshold: nullable(num),
    lowBalance: bool,
    createdAt: time,
    updatedAt: time,
  },
  [
    'tenant',
    'owner',
    'externalId',
    'currency',
    'balance',
    'lowBalanceThreshold',
    'lowBalance',
    'createdAt',
    'updatedAt',
  ],
);

const CREDIT_ENTRY = object(
  {
    id: num,
    kind: { type: 'string', enum: ['top-up', 'debit', 'adjustment'] },
    amount: num,
    reason: str,
    /** The numeric id of the cluster whose interval a debit pays for; null for credits. */
    clusterId: nullable(num),
    intervalStart: nullable(time),
    createdAt: time,
    balanceAfter: num,
  },
  ['id', 'kind', 'amount', 'reason', 'clusterId', 'intervalStart', 'createdAt', 'balanceAfter'],
);

const ACCOUNT_WITH_HISTORY = extend(ACCOUNT, { history: list(CREDIT_ENTRY) }, ['history']);

/** `created` false: a retry with an idempotency key already used, nothing added. */
const CREDIT = object({ created: bool, entry: CREDIT_ENTRY, account: ACCOUNT }, [
  'created',
  'entry',
  'account',
]);

const CSV_OR = (json: object, description = 'JSON, or CSV with format=csv') => ({
  description,
  content: { 'application/json': { schema: json }, 'text/csv': { schema: str } },
});
/** Usage and cost rows: JSON, or with format=csv the rows as CSV and the count of gaps in a header. */
const ROWS_OR_CSV = (json: object) => ({
  ...CSV_OR(
    json,
    'JSON, or with format=csv the rows as CSV (the gaps, listed in the JSON, are counted in X-Kubetally-Gaps)',
  ),
  headers: {
    'x-kubetally-gaps': {
      description: 'with format=csv: how many gaps the range holds (time not accounted, not counted as zero)',
      schema: { type: 'integer', minimum: 0 },
    },
  },
});
/** A list answer: JSON, or with format=csv its list as CSV (one line an item). */
const LIST_OR_CSV = (json: object, what: string) => CSV_OR(json, `JSON, or with format=csv ${what} as CSV`);

/** The success answer of each route, by "METHOD /url". */
export const RESPONSES: Record<string, Record<string, unknown>> = {
  'POST /api/v1/tenants': {
    200: { description: 'the tenant already existed', ...TENANT },
    201: { description: 'created', ...TENANT },
  },
  'POST /api/v1/tokens': {
    201: {
      description: 'the token, shown only this once',
      ...extend(TOKEN, { token: str }, ['token']),
    },
  },
  'GET /api/v1/me': { 200: TOKEN },
  'GET /api/v1/tokens': {
    200: LIST_OR_CSV(object({ tokens: list(TOKEN_LISTED) }, ['tokens']), 'the tokens'),
  },
  'DELETE /api/v1/tokens/:id': {
    200: {
      description: 'revoked already: nothing changed',
      ...object({ id: str, revoked: bool, alreadyRevoked: bool, revokedAt: time, message: str }, [
        'id',
        'revoked',
        'alreadyRevoked',
        'revokedAt',
        'message',
      ]),
    },
    204: { type: 'null', description: 'revoked' },
  },
  'POST /api/v1/clusters': { 201: CLUSTER },
  'GET /api/v1/clusters': {
    200: LIST_OR_CSV(object({ clusters: list(CLUSTER) }, ['clusters']), 'the clusters'),
  },
  'GET /api/v1/clusters/:name': { 200: CLUSTER_WITH_SHEET },
  'PATCH /api/v1/clusters/:name': { 200: CLUSTER_PATCHED },
  'DELETE /api/v1/clusters/:name': { 204: { type: 'null', description: 'removed (its ledger rows stay)' } },
  'PUT /api/v1/clusters/:name/kubeconfig': { 200: CLUSTER },
  'POST /api/v1/clusters/:name/test': { 200: TEST_RESULT },
  'POST /api/v1/clusters/:name/collect': { 200: COLLECT },
  'GET /api/v1/clusters/:name/status': { 200: STATUS },
  'GET /api/v1/usage': { 200: ROWS_OR_CSV(USAGE_ANSWER) },
  'GET /api/v1/users/:owner/usage': { 200: ROWS_OR_CSV(USAGE_ANSWER) },
  'GET /api/v1/costs': { 200: ROWS_OR_CSV(COSTS_ANSWER) },
  'GET /api/v1/costs/clusters': { 200: LIST_OR_CSV(CLUSTER_COSTS, 'the clusters') },
  'GET /api/v1/expenses': { 200: LIST_OR_CSV(EXPENSES, 'k8s_cost_breakdown') },
  'GET /api/v1/savings': {
    200: LIST_OR_CSV(SAVINGS, 'the recommendations (each with its cluster and currency)'),
  },
  'GET /api/v1/live/users/:owner': { 200: LIVE_USER },
  'GET /api/v1/live/projects/:namespace': { 200: LIVE_PROJECT },
  'GET /api/v1/accounts': {
    200: LIST_OR_CSV(object({ accounts: list(ACCOUNT) }, ['accounts']), 'the accounts'),
  },
  'GET /api/v1/accounts/:owner': { 200: ACCOUNT_WITH_HISTORY },
  'PUT /api/v1/accounts/:owner': { 200: ACCOUNT },
  'POST /api/v1/accounts/:owner/credits': {
    200: { description: 'the idempotency key was used before: nothing added', ...CREDIT },
    201: { description: 'added', ...CREDIT },
  },
};

/** Every error answer has one shape (errors.ts). */
export const ERROR_RESPONSES = {
  '4xx': {
    description:
      "bad input, no or wrong token, forbidden, not found, conflict; 424: the cluster refused kubetally's credentials or a permission",
    ...ERROR,
  },
  '5xx': { description: "the cluster's API server failed or timed out", ...ERROR },
};
