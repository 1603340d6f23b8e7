/**
 * `GET /api/v1/costs/clusters`: per-cluster totals and breakdown over a range. Allocated parts,
 * idle and management add up exactly to `totalCost` (in micro-units; the numbers are their
 * decimal values). Over-allocation (pods allocated beyond node capacity) is inside the allocated
 * parts and reported separately, never netted against idle.
 */
import type { Millis } from '../domain/duration.js';
import { rfc3339 } from '../domain/time.js';
import type { ClusterCostTotals } from '../ledger/cost-query.js';
import type { CostReader, UsageReader } from '../ledger/store.js';
import { microsToNumber } from '../pricing/decimal.js';
import { gapWithTenant } from './gap-json.js';

export interface ClusterCostsQuery {
  tenant?: string;
  cluster?: string;
  from: Millis;
  to: Millis;
}

export interface ClusterCostJson {
  cluster: string;
  clusterId: number;
  tenant: string;
  currency: string | null;
  intervals: number;
  cpuCost: number;
  memoryCost: number;
  gpuCost: number;
  storageCost: number;
  networkCost: number;
  loadBalancerCost: number;
  idleCost: number;
  managementCost: number;
  totalCost: number;
  nodeCost: number;
  overAllocationCost: number;
  /** Instance types priced by allocatable × resource prices, for want of a node price. */
  unpricedInstanceTypes: string[];
  /** Intervals without node data or that were gaps: no idle could be computed for them. */
  capacityUnknownIntervals: number;
  /** Only for a removed cluster: when it was removed (its history stays, and is summed here). */
  removedAt?: string;
}

export function clusterCostJson(c: ClusterCostTotals): ClusterCostJson {
  const a = c.allocated;
  return {
    cluster: c.cluster,
    clusterId: c.clusterId,
    tenant: c.tenant,
    currency:
      c.currencies.length === 0 ? c.sheetCurrency : c.currencies.length === 1 ? c.currencies[0]! : null,
    intervals: c.intervals,
    cpuCost: microsToNumber(a.cpuCost),
    memoryCost: microsToNumber(a.memoryCost),
    gpuCost: microsToNumber(a.gpuCost),
    storageCost: microsToNumber(a.storageCost),
    networkCost: microsToNumber(a.networkCost),
    loadBalancerCost: microsToNumber(a.loadBalancerCost),
    idleCost: microsToNumber(c.idleCost),
    managementCost: microsToNumber(c.managementCost),
    totalCost: microsToNumber(c.totalCost),
    nodeCost: microsToNumber(c.nodeCost),
    overAllocationCost: microsToNumber(c.overAllocationCost),
    unpricedInstanceTypes: c.unpricedInstanceTypes,
    capacityUnknownIntervals: c.capacityUnknownIntervals,
    ...(c.removedAt === undefined ? {} : { removedAt: rfc3339(c.removedAt) }),
  };
}

export async function clusterCostsView(store: CostReader & UsageReader, q: ClusterCostsQuery) {
  const [clusters, gaps] = await Promise.all([store.clusterCostTotals(q), store.listGaps(q)]);
  return {
    from: rfc3339(q.from),
    to: rfc3339(q.to),
    clusters: clusters.map(clusterCostJson),
    // Its clusters carry their tenant; so do their gaps.
    gaps: gaps.map(gapWithTenant),
  };
}
