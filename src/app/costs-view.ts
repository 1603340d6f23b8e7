/**
 * `GET /api/v1/costs` and `kubetally costs`: usage rows with their costs, in the SPEC §5 form, by
 * any grouping and step. Rows include `__idle__` (node cost not allocated to pods) and
 * `__unowned__`; the cluster management fee is not a row, it is in `totals`, so that
 * Σ rows.totalCost + totals.managementCost = totals.clusterCost when no owner/project/namespace
 * filter narrows the rows.
 */
import { invalidArgument } from '../domain/errors.js';
import { rfc3339 } from '../domain/time.js';
import type { GroupKey, Step, UsageQuery } from '../ledger/types.js';
import type { ClusterRegistry, CostReader, UsageReader } from '../ledger/store.js';
import type { ClusterCostTotals } from '../ledger/cost-query.js';
import { COST_FIELDS, zeroCost } from '../pricing/costs.js';
import { microsToNumber } from '../pricing/decimal.js';
import { defaultPriceSheet } from '../pricing/price-sheet.js';
import { costRowJson, type CostRowJson } from './cost-rows.js';
import { gapJson, gapWithTenant, type GapJson } from './gap-json.js';
import { toCsv } from './query-params.js';
import { keysApart, spansTenants } from './tenant-keys.js';
import { MAX_ANSWER_ROWS } from './usage-view.js';
import { zeroUsage } from '../domain/usage.js';

/** The ledger's query by cluster name (the ledger resolves it within the tenant). */
export type CostViewQuery = Omit<UsageQuery, 'clusterId'>;

export interface CostView {
  from: string;
  to: string;
  groupBy: GroupKey[];
  step: Step;
  /** The clusters' currency (a range over clusters of different currencies is refused: no sum mixes them). */
  currency: string | null;
  rows: CostRowJson[];
  gaps: GapJson[];
  totals: {
    /** Σ of the rows. */
    cpuCost: number;
    memoryCost: number;
    gpuCost: number;
    storageCost: number;
    networkCost: number;
    loadBalancerCost: number;
    totalCost: number;
    /** The clusters' management fee over the range; absent when the rows are filtered by owner, project or namespace. */
    managementCost?: number;
    /** Σ rows + management; absent under the same filters. */
    clusterCost?: number;
  };
}

export async function costsView(
  store: CostReader & UsageReader & Pick<ClusterRegistry, 'listClusters'>,
  q: CostViewQuery,
): Promise<CostView> {
  const several = await spansTenants(store, q);
  const groupBy = keysApart(q.groupBy, several);
  const scope = {
    ...(q.tenant === undefined ? {} : { tenant: q.tenant }),
    ...(q.cluster === undefined ? {} : { cluster: q.cluster }),
    from: q.from,
    to: q.to,
  };
  const [rows, clusters, gaps] = await Promise.all([
    store.queryCosts({
      ...scope,
      ...(q.owner === undefined ? {} : { owner: q.owner }),
      ...(q.project === undefined ? {} : { project: q.project }),
      ...(q.namespace === undefined ? {} : { namespace: q.namespace }),
      groupBy,
      step: q.step,
      maxRows: MAX_ANSWER_ROWS,
    }),
    store.clusterCostTotals(scope),
    store.listGaps(scope),
  ]);
  const sum = zeroCost();
  for (const r of rows) for (const f of COST_FIELDS) sum[f] += r.cost[f];
  const currency = rangeCurrency(clusters);
  const filtered = q.owner !== undefined || q.project !== undefined || q.namespace !== undefined;
  const management = clusters.reduce((s, c) => s + c.managementCost, 0n);
  const totals: CostView['totals'] = {
    cpuCost: microsToNumber(sum.cpuCost),
    memoryCost: microsToNumber(sum.memoryCost),
    gpuCost: microsToNumber(sum.gpuCost),
    storageCost: microsToNumber(sum.storageCost),
    networkCost: microsToNumber(sum.networkCost),
    loadBalancerCost: microsToNumber(sum.loadBalancerCost),
    totalCost: microsToNumber(sum.totalCost),
  };
  if (!filtered) {
    totals.managementCost = microsToNumber(management);
    totals.clusterCost = microsToNumber(sum.totalCost + management);
  }
  return {
    from: rfc3339(q.from),
    to: rfc3339(q.to),
    groupBy,
    step: q.step,
    // No cluster: the defaults' currency; clusters whose sheets differ have none in common.
    currency: currency ?? (clusters.length === 0 ? defaultPriceSheet().currency : null),
    rows: rows.map(costRowJson),
    gaps: gaps.map(several ? gapWithTenant : gapJson),
    totals,
  };
}

function onlyOne(values: readonly string[]): string | undefined {
  const set = new Set(values);
  return set.size === 1 ? [...set][0] : undefined;
}

/**
 * The rows as CSV, the same from the API (`format=csv`) and the CLI (`-o csv`): one column per
 * field of a row, groups and start first; an empty answer still has its header.
 */
/**
 * The one currency of the clusters' summed intervals (before any is priced, of their sheets;
 * undefined when those differ). kubetally does not convert currencies, and a sum of USD and EUR
 * would be no amount at all: intervals priced in several is an error.
 */
export function rangeCurrency(clusters: readonly ClusterCostTotals[]): string | undefined {
  const currencies = [...new Set(clusters.flatMap((c) => c.currencies))].sort();
  if (currencies.length > 1) {
    throw invalidArgument(
      `the clusters of this range price in ${currencies.join(' and ')}: their costs cannot be added`,
      clusters.length > 1
        ? 'ask for one tenant or one cluster at a time (tenant=, cluster=; kubetally costs --tenant, --cluster): a tenant prices in one currency; GET /api/v1/costs/clusters gives each cluster in its own'
        : `ask for a range before or after cluster ${clusters[0]?.cluster} changed currency`,
    );
  }
  return currencies[0] ?? onlyOne(clusters.map((c) => c.sheetCurrency));
}

export function costsCsv(view: {
  rows: readonly object[];
  groupBy: readonly GroupKey[];
  step: Step;
}): string {
  const zero = {
    group: Object.fromEntries(view.groupBy.map((k) => [k, ''])),
    ...(view.step === 'total' ? {} : { start: 0 }),
    usage: zeroUsage(),
    cost: zeroCost(),
  };
  return toCsv(view.rows, costRowJson(zero));
}
