/**
 * One cluster over one interval: what each row costs, what the nodes cost, what was left idle and
 * the management fee, such that the cluster's rows add up EXACTLY (to the micro-unit):
 *
 *   Σ rows (owners and `__unowned__`) + Σ `__idle__` rows + management = totalCost
 *   totalCost = Σ node costs + over-allocation + compute of rows on no known node
 *             + storage + network + LoadBalancers + management
 *
 * Idle and over-allocation are computed per node and per resource: idle = max(0, capacity cost −
 * cost allocated to the node's pods), over-allocation = max(0, allocated − capacity). They are
 * never netted against each other (a node whose pods burst past its CPU but left memory free has
 * CPU over-allocation AND memory idle). The rounding residue of the pods' costs lands in idle.
 *
 * When the capacity is unknown — no node rows, or an interval that is a gap (its pods are not
 * known, so their nodes' cost cannot be called idle) — there is no idle and no node cost; rows
 * are priced at resource prices and `capacityKnown` is false. A partial interval's nodes count
 * for the covered share of it only.
 */
import type { Millis } from '../domain/duration.js';
import type { NodeIntervalRow } from '../metering/nodes.js';
import type { Micros } from './decimal.js';
import {
  COMPUTE_COST_FIELD,
  COMPUTE_RESOURCES,
  computeCosts,
  managementCost,
  rowBreakdown,
  withTotal,
  zeroCost,
  type CostBreakdown,
  type CostRowInput,
} from './costs.js';
import { planNode, pricesFor, zeroCompute, type ComputeCosts, type NodePlan } from './node-costs.js';
import type { Basis, PriceSheet } from './price-sheet.js';
import { normalizeCapacityType, type CapacityType } from './spot.js';

export const IDLE = '__idle__';
export const UNOWNED = '__unowned__';

/** A row to price (a ledger `PodUsageRow` fits). */
export interface PricingRow extends CostRowInput {
  owner: string;
  node?: string;
  capacityType?: string;
}

/** What pricing reads of an interval (a ledger `IntervalWrite` fits). */
export interface PricingInput {
  intervalStart: Millis;
  intervalEnd: Millis;
  status?: string;
  /** Share of the interval covered by samples (0…1); a partial interval's nodes count for that share. */
  coverage?: number;
  podRows: readonly PricingRow[];
  nodes?: readonly NodeIntervalRow[];
  /**
   * When collection of the cluster began inside this interval (its first sample): the management
   * fee counts from then, as kubetally bills nothing of the time before a cluster was registered.
   */
  managedFrom?: Millis;
}

export interface NodeCost {
  node: string;
  instanceType: string;
  capacityType: CapacityType;
  priceSource: 'instance-type' | 'resources';
  nodeCost: Micros;
  capacityCost: ComputeCosts;
  allocatedCost: ComputeCosts;
  idleCost: ComputeCosts;
  overAllocationCost: ComputeCosts;
}

export interface PricedInterval {
  currency: string;
  basis: Basis;
  /** The cost of each input row, in input order. */
  rowCosts: CostBreakdown[];
  /** Node cost not allocated to pods, per capacity type with any (compute costs only). */
  idle: { capacityType: CapacityType; cost: CostBreakdown }[];
  nodes: NodeCost[];
  /** Allocated beyond node capacity (reported, not netted against idle). */
  overAllocation: CostBreakdown;
  /** Compute cost of rows that ran on no known node (priced at resource prices). */
  unmatchedComputeCost: Micros;
  managementCost: Micros;
  nodeCost: Micros;
  totalCost: Micros;
  capacityKnown: boolean;
  /** Instance types priced by the fallback (allocatable × resource prices). */
  unpricedInstanceTypes: string[];
}

/** Prices an interval with `sheet` (its basis unless `basis` is given). Pure. */
export function priceInterval(
  input: PricingInput,
  sheet: PriceSheet,
  basis: Basis = sheet.basis,
): PricedInterval {
  const capacityKnown = (input.nodes?.length ?? 0) > 0 && input.status !== 'gap';
  const plans = new Map<string, NodePlan>();
  if (capacityKnown) {
    for (const n of nodesByName(input.nodes ?? []))
      plans.set(n.node, planNode(covered(n, input, basis), sheet));
  }
  const allocated = new Map<string, ComputeCosts>();
  let unmatched = 0n;
  const rowCosts = input.podRows.map((row) => {
    const plan = row.node === undefined ? undefined : plans.get(row.node);
    const prices = plan?.prices ?? pricesFor(sheet, normalizeCapacityType(row.capacityType));
    const c = computeCosts(
      row,
      plan === undefined ? { basis, prices } : { basis, prices, factor: plan.factor },
    );
    if (plan === undefined) unmatched += c.cpu + c.memory + c.gpu;
    else {
      const a = allocated.get(plan.node.node) ?? zeroCompute();
      for (const r of COMPUTE_RESOURCES) a[r] += c[r];
      allocated.set(plan.node.node, a);
    }
    return rowBreakdown(c, row, sheet);
  });
  const nodes = [...plans.values()].map((p) => nodeCost(p, allocated.get(p.node.node) ?? zeroCompute()));
  const idle = idleRows(nodes);
  const overAllocation = zeroCost();
  for (const n of nodes)
    for (const r of COMPUTE_RESOURCES) overAllocation[COMPUTE_COST_FIELD[r]] += n.overAllocationCost[r];
  withTotal(overAllocation);
  const managedFrom = Math.min(input.intervalEnd, Math.max(input.intervalStart, input.managedFrom ?? 0));
  const management = managementCost(sheet, BigInt(input.intervalEnd - managedFrom));
  const sum = (xs: readonly CostBreakdown[]) => xs.reduce((s, c) => s + c.totalCost, 0n);
  return {
    currency: sheet.currency,
    basis,
    rowCosts,
    idle,
    nodes,
    overAllocation,
    unmatchedComputeCost: unmatched,
    managementCost: management,
    nodeCost: nodes.reduce((s, n) => s + n.nodeCost, 0n),
    totalCost: sum(rowCosts) + sum(idle.map((i) => i.cost)) + management,
    capacityKnown,
    unpricedInstanceTypes: [
      ...new Set(nodes.filter((n) => n.priceSource === 'resources').map((n) => n.instanceType)),
    ].sort(),
  };
}

/**
 * Under the usage basis a partial interval's pods are charged only for the covered share of it
 * (what they used in a gap is unknown), so its nodes count only for that share too: otherwise the
 * uncovered time would show up as idle. Requests are exact across a gap (state times), so under
 * the request and max bases pods are charged the whole interval and so are the nodes: cutting
 * them would show the gap as over-allocation.
 */
function covered(n: NodeIntervalRow, input: PricingInput, basis: Basis): NodeIntervalRow {
  if (basis !== 'usage') return n;
  if (input.status !== 'partial' || input.coverage === undefined || !(input.coverage < 1)) return n;
  const ppm = BigInt(Math.round(Math.max(0, input.coverage) * 1_000_000));
  const part = (x: bigint) => (x * ppm) / 1_000_000n;
  return {
    ...n,
    millis: part(n.millis),
    cpuAllocatableCoreNanos: part(n.cpuAllocatableCoreNanos),
    memoryAllocatableByteSeconds: part(n.memoryAllocatableByteSeconds),
    gpuAllocatableMillis: part(n.gpuAllocatableMillis),
  };
}

/**
 * One row per node name: pods name their node, not its UID, so a node replaced by one of the same
 * name within an interval is one node for pricing (times and capacities added; the later row's
 * instance and capacity type).
 */
export function nodesByName(nodes: readonly NodeIntervalRow[]): NodeIntervalRow[] {
  const out = new Map<string, NodeIntervalRow>();
  for (const n of nodes) {
    const before = out.get(n.node);
    out.set(
      n.node,
      before === undefined
        ? n
        : {
            ...n,
            millis: before.millis + n.millis,
            cpuAllocatableCoreNanos: before.cpuAllocatableCoreNanos + n.cpuAllocatableCoreNanos,
            memoryAllocatableByteSeconds:
              before.memoryAllocatableByteSeconds + n.memoryAllocatableByteSeconds,
            gpuAllocatableMillis: before.gpuAllocatableMillis + n.gpuAllocatableMillis,
          },
    );
  }
  return [...out.values()];
}

function nodeCost(plan: NodePlan, allocatedCost: ComputeCosts): NodeCost {
  const idleCost = zeroCompute();
  const overAllocationCost = zeroCompute();
  for (const r of COMPUTE_RESOURCES) {
    const diff = plan.capacityCost[r] - allocatedCost[r];
    if (diff >= 0n) idleCost[r] = diff;
    else overAllocationCost[r] = -diff;
  }
  return {
    node: plan.node.node,
    instanceType: plan.node.instanceType,
    capacityType: plan.node.capacityType,
    priceSource: plan.priceSource,
    nodeCost: plan.nodeCost,
    capacityCost: plan.capacityCost,
    allocatedCost,
    idleCost,
    overAllocationCost,
  };
}

function idleRows(nodes: readonly NodeCost[]): PricedInterval['idle'] {
  const out: PricedInterval['idle'] = [];
  for (const ct of ['on-demand', 'spot'] as const) {
    const of = nodes.filter((n) => n.capacityType === ct);
    if (of.length === 0) continue;
    const cost = zeroCost();
    for (const n of of) for (const r of COMPUTE_RESOURCES) cost[COMPUTE_COST_FIELD[r]] += n.idleCost[r];
    out.push({ capacityType: ct, cost: withTotal(cost) });
  }
  return out;
}

/** A cluster's cost of one interval by category; Σ of the parts (not totalCost) = totalCost. */
export interface ClusterBreakdown {
  cpuCost: Micros;
  memoryCost: Micros;
  gpuCost: Micros;
  storageCost: Micros;
  networkCost: Micros;
  loadBalancerCost: Micros;
  idleCost: Micros;
  managementCost: Micros;
  totalCost: Micros;
}

export function breakdownOf(p: PricedInterval): ClusterBreakdown {
  const allocated = zeroCost();
  for (const c of p.rowCosts)
    for (const f of Object.keys(allocated) as (keyof CostBreakdown)[]) allocated[f] += c[f];
  const idleCost = p.idle.reduce((s, i) => s + i.cost.totalCost, 0n);
  return { ...allocated, idleCost, managementCost: p.managementCost, totalCost: p.totalCost };
}
