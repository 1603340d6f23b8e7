/**
 * What each node costs over one interval, and how that cost splits over CPU, memory and GPU.
 *
 * A node whose instance type has an hourly price in the sheet costs that price × the time it
 * existed (`spotHour` for spot nodes). Any other node — no node prices at all, an instance type the
 * sheet does not list, or a spot node of a type without `spotHour` — costs its allocatable capacity
 * × the resource prices of its capacity type (the documented fallback, reported as
 * `priceSource: 'resources'`). So idle exists without node prices too: it is the allocatable
 * capacity that pods did not use (or request, per basis), at resource prices.
 *
 * The node's cost is rounded once (half up) and split over resources in proportion to the
 * capacity's list cost at resource prices, by largest remainder so that the parts add up exactly.
 * `factor` = node cost / list cost scales the resource prices of the pods that ran on the node, so
 * a pod pays the node's real price for what it took.
 */
import { MILLIS_PER_HOUR } from '../domain/usage.js';
import type { NodeIntervalRow } from '../metering/nodes.js';
import {
  ONE,
  add,
  div,
  floor,
  mul,
  rational,
  roundHalfUp,
  sub,
  type Micros,
  type Rational,
} from './decimal.js';
import { COMPUTE_RESOURCES, UNITS_PER_PRICED_UNIT, exactCost, type ComputeResource } from './costs.js';
import type { ComputePrices, PriceSheet } from './price-sheet.js';

export type ComputeCosts = Record<ComputeResource, Micros>;
export const zeroCompute = (): ComputeCosts => ({ cpu: 0n, memory: 0n, gpu: 0n });

export interface NodePlan {
  node: NodeIntervalRow;
  prices: ComputePrices;
  priceSource: 'instance-type' | 'resources';
  /** Rounded once. */
  nodeCost: Micros;
  /** nodeCost split over resources; Σ = nodeCost. */
  capacityCost: ComputeCosts;
  /** Scale of the resource prices of the pods on this node. */
  factor: Rational;
}

export function pricesFor(sheet: PriceSheet, capacityType: string | undefined): ComputePrices {
  return capacityType === 'spot' ? sheet.spot : sheet.onDemand;
}

/** Exact list cost of a node's allocatable capacity × time at `prices`, per resource. */
function listCost(n: NodeIntervalRow, prices: ComputePrices): Record<ComputeResource, Rational> {
  return {
    cpu: exactCost(n.cpuAllocatableCoreNanos, prices.cpu, UNITS_PER_PRICED_UNIT.cpu),
    memory: exactCost(n.memoryAllocatableByteSeconds, prices.memory, UNITS_PER_PRICED_UNIT.memory),
    gpu: exactCost(n.gpuAllocatableMillis, prices.gpu, UNITS_PER_PRICED_UNIT.gpu),
  };
}

function hourPrice(n: NodeIntervalRow, sheet: PriceSheet): bigint | undefined {
  const p = n.instanceType === '' ? undefined : sheet.nodes[n.instanceType];
  return n.capacityType === 'spot' ? p?.spotHour : p?.hour;
}

export function planNode(n: NodeIntervalRow, sheet: PriceSheet): NodePlan {
  const prices = pricesFor(sheet, n.capacityType);
  const list = listCost(n, prices);
  const listTotal = add(add(list.cpu, list.memory), list.gpu);
  const hour = hourPrice(n, sheet);
  const exact = hour === undefined ? listTotal : exactCost(n.millis, hour, MILLIS_PER_HOUR);
  const nodeCost = roundHalfUp(exact);
  const priceSource = hour === undefined ? 'resources' : 'instance-type';
  if (listTotal.n === 0n) {
    // No allocatable capacity worth anything at resource prices: the node's whole cost is CPU
    // capacity, and pods on it (if any) pay resource prices.
    return {
      node: n,
      prices,
      priceSource,
      nodeCost,
      capacityCost: { cpu: nodeCost, memory: 0n, gpu: 0n },
      factor: ONE,
    };
  }
  const factor = div(exact, listTotal);
  const scaled = { cpu: mul(list.cpu, factor), memory: mul(list.memory, factor), gpu: mul(list.gpu, factor) };
  return { node: n, prices, priceSource, nodeCost, capacityCost: apportion(nodeCost, scaled), factor };
}

/** Splits `total` over parts proportional to `exact` (Σ exact ≈ total) by largest remainder. */
export function apportion(total: Micros, exact: Record<ComputeResource, Rational>): ComputeCosts {
  const out = zeroCompute();
  let left = total;
  for (const r of COMPUTE_RESOURCES) {
    out[r] = floor(exact[r]);
    left -= out[r];
  }
  const byRemainder = [...COMPUTE_RESOURCES].sort((a, b) => {
    const fa = sub(exact[a], rational(out[a]));
    const fb = sub(exact[b], rational(out[b]));
    const c = fb.n * fa.d - fa.n * fb.d;
    return c > 0n ? 1 : c < 0n ? -1 : 0;
  });
  // |left| ≤ 3 here (three floors of parts whose sum rounds to total); the loop is bounded anyway
  // by never taking a part below zero.
  for (let i = 0, guard = 0; left !== 0n && guard < 12; i = (i + 1) % byRemainder.length, guard++) {
    const r = byRemainder[i] as ComputeResource;
    const step = left > 0n ? 1n : out[r] > 0n ? -1n : 0n;
    out[r] += step;
    left -= step;
  }
  if (left !== 0n) out.cpu += left;
  return out;
}
