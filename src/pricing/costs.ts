/**
 * Costs of one usage row. Each resource's cost is an exact fraction rounded ONCE per (row,
 * resource), half up, to micro-currency; `totalCost` is the sum of the rounded parts.
 *
 * The basis (price-sheet.ts) selects the CPU and memory amounts priced. GPUs are priced on GPUs
 * requested × time whatever the basis; storage on PVC capacity × time (by storage class); network
 * on bytes sent (all egress: kubetally cannot tell traffic that leaves the cloud from traffic that
 * stays in it); LoadBalancers on the service's lifetime.
 */
import {
  BYTES_PER_GIB,
  MILLIS_PER_HOUR,
  NANOS_PER_SECOND,
  SECONDS_PER_HOUR,
  type UsageAmounts,
} from '../domain/usage.js';
import {
  PICOS_PER_MICRO,
  divRoundHalfUp,
  rational,
  type Micros,
  type Picos,
  type Rational,
} from './decimal.js';
import type { Basis, ComputePrices, PriceSheet } from './price-sheet.js';

export type ComputeResource = 'cpu' | 'memory' | 'gpu';
export const COMPUTE_RESOURCES: readonly ComputeResource[] = ['cpu', 'memory', 'gpu'];

/** Base units per priced unit: core-ns per core-hour, byte-s per GiB-hour, GPU-ms per GPU-hour. */
export const CORE_NANOS_PER_CORE_HOUR = NANOS_PER_SECOND * SECONDS_PER_HOUR;
export const BYTE_SECONDS_PER_GIB_HOUR = BYTES_PER_GIB * SECONDS_PER_HOUR;
/** Storage is priced per GiB-month; a month is 730 hours (8760 / 12), as the clouds bill. */
export const HOURS_PER_MONTH = 730n;
export const BYTE_SECONDS_PER_GIB_MONTH = BYTE_SECONDS_PER_GIB_HOUR * HOURS_PER_MONTH;
export const UNITS_PER_PRICED_UNIT: Record<ComputeResource, bigint> = {
  cpu: CORE_NANOS_PER_CORE_HOUR,
  memory: BYTE_SECONDS_PER_GIB_HOUR,
  gpu: MILLIS_PER_HOUR,
};

export interface CostBreakdown {
  cpuCost: Micros;
  memoryCost: Micros;
  gpuCost: Micros;
  storageCost: Micros;
  networkCost: Micros;
  loadBalancerCost: Micros;
  totalCost: Micros;
}

export const COST_FIELDS = [
  'cpuCost',
  'memoryCost',
  'gpuCost',
  'storageCost',
  'networkCost',
  'loadBalancerCost',
  'totalCost',
] as const satisfies readonly (keyof CostBreakdown)[];
export type CostField = (typeof COST_FIELDS)[number];

export const COMPUTE_COST_FIELD: Record<ComputeResource, 'cpuCost' | 'memoryCost' | 'gpuCost'> = {
  cpu: 'cpuCost',
  memory: 'memoryCost',
  gpu: 'gpuCost',
};

export function zeroCost(): CostBreakdown {
  return {
    cpuCost: 0n,
    memoryCost: 0n,
    gpuCost: 0n,
    storageCost: 0n,
    networkCost: 0n,
    loadBalancerCost: 0n,
    totalCost: 0n,
  };
}

/** Adds `b` into `a` in place and returns `a`. */
export function addCost(a: CostBreakdown, b: CostBreakdown): CostBreakdown {
  for (const f of COST_FIELDS) a[f] += b[f];
  return a;
}

/** Recomputes `totalCost` as the sum of the parts. */
export function withTotal(c: CostBreakdown): CostBreakdown {
  c.totalCost = c.cpuCost + c.memoryCost + c.gpuCost + c.storageCost + c.networkCost + c.loadBalancerCost;
  return c;
}

/** What a row carries that pricing reads (a ledger `PodUsageRow` fits). */
export interface CostRowInput {
  usage: Partial<UsageAmounts>;
  /**
   * PVC capacity × time by storage class (byte-seconds). When given it is priced instead of
   * `usage.storageByteSeconds`, each class at its price (the default storage price for classes
   * the sheet does not list).
   */
  storageByClass?: Record<string, bigint>;
}

const BASIS_FIELDS = {
  cpu: { usage: 'cpuCoreNanos', request: 'cpuRequestCoreNanos', max: 'cpuMaxCoreNanos' },
  memory: { usage: 'memoryByteSeconds', request: 'memoryRequestByteSeconds', max: 'memoryMaxByteSeconds' },
} as const;

/**
 * The amount of a compute resource priced under `basis`, in its base unit. Under `max` it is never
 * below the request: metering's per-container max(used, requested) leaves out what the scheduler
 * reserves beyond the containers (pod overhead, init containers asking more than the app), which
 * the request amount includes — a pod pays at least what it reserved.
 */
export function computeAmount(usage: Partial<UsageAmounts>, resource: ComputeResource, basis: Basis): bigint {
  if (resource === 'gpu') return usage.gpuMillis ?? 0n;
  const amount = usage[BASIS_FIELDS[resource][basis]] ?? 0n;
  if (basis !== 'max') return amount;
  const requested = usage[BASIS_FIELDS[resource].request] ?? 0n;
  return amount > requested ? amount : requested;
}

/** Exact micro-currency of `amount` base units at `price` per `perUnit` base units. */
export const exactCost = (amount: bigint, price: Picos, perUnit: bigint): Rational =>
  rational(amount * price, perUnit * PICOS_PER_MICRO);

/** `amount × price / perUnit × factor`, rounded once, half up, to micro-currency. */
export function roundedCost(amount: bigint, price: Picos, perUnit: bigint, factor?: Rational): Micros {
  const f = factor ?? { n: 1n, d: 1n };
  return divRoundHalfUp(amount * price * f.n, perUnit * PICOS_PER_MICRO * f.d);
}

export interface PriceRowOptions {
  basis: Basis;
  /** Compute prices of the node the row ran on (on-demand or spot). */
  prices: ComputePrices;
  /**
   * Multiplier of the compute prices: node cost / node list cost when the node's hourly price is
   * known (interval-costs.ts). Default 1.
   */
  factor?: Rational;
}

/** The compute part of a row's cost (CPU, memory, GPU), each rounded once. */
export function computeCosts(row: CostRowInput, opts: PriceRowOptions): Record<ComputeResource, Micros> {
  const out = { cpu: 0n, memory: 0n, gpu: 0n };
  for (const r of COMPUTE_RESOURCES) {
    out[r] = roundedCost(
      computeAmount(row.usage, r, opts.basis),
      opts.prices[r],
      UNITS_PER_PRICED_UNIT[r],
      opts.factor,
    );
  }
  return out;
}

/** Storage, network and LoadBalancer costs: not node capacity, priced as they are. */
/**
 * A row's breakdown from its compute costs and what passes through unchanged (storage, network,
 * load balancers). Fields named one by one: a spread inside the literal takes V8's slow path,
 * once per pod row.
 */
export function rowBreakdown(
  c: Record<ComputeResource, Micros>,
  row: CostRowInput,
  sheet: PriceSheet,
): CostBreakdown {
  return withTotal({
    cpuCost: c.cpu,
    memoryCost: c.memory,
    gpuCost: c.gpu,
    storageCost: storageCost(row, sheet),
    networkCost: roundedCost(row.usage.networkTxBytes ?? 0n, sheet.networkEgressGiB, BYTES_PER_GIB),
    loadBalancerCost: roundedCost(
      row.usage.loadBalancerMillis ?? 0n,
      sheet.loadBalancerHour,
      MILLIS_PER_HOUR,
    ),
    totalCost: 0n,
  });
}

function storageCost(row: CostRowInput, sheet: PriceSheet): Micros {
  if (row.storageByClass === undefined) {
    return roundedCost(row.usage.storageByteSeconds ?? 0n, sheet.storageGiBMonth, BYTE_SECONDS_PER_GIB_MONTH);
  }
  // One rounding for the row: Σ over classes of capacity × price, then rounded.
  let n = 0n;
  for (const [cls, byteSeconds] of Object.entries(row.storageByClass)) {
    n += byteSeconds * (sheet.storageClasses[cls] ?? sheet.storageGiBMonth);
  }
  return divRoundHalfUp(n, BYTE_SECONDS_PER_GIB_MONTH * PICOS_PER_MICRO);
}

/** Prices one row: every resource rounded once, half up; `totalCost` = Σ of the rounded parts. */
export function priceRow(row: CostRowInput, sheet: PriceSheet, opts: PriceRowOptions): CostBreakdown {
  return rowBreakdown(computeCosts(row, opts), row, sheet);
}

/** Management fee of one cluster for `millis` of time, rounded once, half up. */
export const managementCost = (sheet: PriceSheet, millis: bigint): Micros =>
  roundedCost(millis, sheet.managementHour, MILLIS_PER_HOUR);
