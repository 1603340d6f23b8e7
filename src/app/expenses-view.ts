/**
 * `GET /api/v1/expenses`: the unified expense view of seed 003, in exactly its shape. Each cluster
 * is a "cloud account" (id: the cluster id as text; name: the cluster name). `cpu_cost` …
 * `load_balancer_cost` are what pods (and `__unowned__` claims and services) were allocated,
 * `idle_cost` the node cost left idle, `management_cost` the cluster fee; they add up to
 * `total_cost` exactly in micro-units. `currency` (beyond the seed's shape) names their currency;
 * a range over clusters priced in different ones is refused, as for /costs (kubetally does not
 * convert currencies).
 */
import type { Millis } from '../domain/duration.js';
import type { ClusterCostTotals } from '../ledger/cost-query.js';
import type { CostReader } from '../ledger/store.js';
import { microsToNumber } from '../pricing/decimal.js';
import { rangeCurrency } from './costs-view.js';

export interface ExpenseBreakdown {
  total_cost: number;
  management_cost: number;
  cpu_cost: number;
  ram_cost: number;
  gpu_cost: number;
  pv_cost: number;
  network_cost: number;
  load_balancer_cost: number;
  idle_cost: number;
}

export interface ExpensesJson {
  total_cost: number;
  /** The clusters' currency; null when they have none in common (nothing priced yet). */
  currency: string | null;
  k8s_costs: {
    k8s_total_cost: number;
    k8s_cost_breakdown: {
      cloud_account_id: string;
      cloud_account_name: string;
      /** The cluster's tenant: two tenants may name a cluster alike (kubetally's addition to the seed's form). */
      tenant: string;
      cost: number;
      breakdown: ExpenseBreakdown;
    }[];
  };
}

function breakdown(c: ClusterCostTotals): ExpenseBreakdown {
  const a = c.allocated;
  return {
    total_cost: microsToNumber(c.totalCost),
    management_cost: microsToNumber(c.managementCost),
    cpu_cost: microsToNumber(a.cpuCost),
    ram_cost: microsToNumber(a.memoryCost),
    gpu_cost: microsToNumber(a.gpuCost),
    pv_cost: microsToNumber(a.storageCost),
    network_cost: microsToNumber(a.networkCost),
    load_balancer_cost: microsToNumber(a.loadBalancerCost),
    idle_cost: microsToNumber(c.idleCost),
  };
}

export async function expensesView(
  store: CostReader,
  q: { tenant?: string; cluster?: string; from: Millis; to: Millis },
): Promise<ExpensesJson> {
  return expensesOf(await store.clusterCostTotals(q));
}

/** The expenses of the clusters' totals (a caller that also reads their intervals, say). */
export function expensesOf(clusters: readonly ClusterCostTotals[]): ExpensesJson {
  const currency = rangeCurrency(clusters) ?? null;
  const total = clusters.reduce((s, c) => s + c.totalCost, 0n);
  return {
    total_cost: microsToNumber(total),
    currency,
    k8s_costs: {
      k8s_total_cost: microsToNumber(total),
      k8s_cost_breakdown: clusters.map((c) => ({
        cloud_account_id: String(c.clusterId),
        cloud_account_name: c.cluster,
        tenant: c.tenant,
        cost: microsToNumber(c.totalCost),
        breakdown: breakdown(c),
      })),
    },
  };
}
