/**
 * Integrated usage, in exact integer units. The unit is in each name; convert to core-hours,
 * GiB-hours and hours only at the edges (API, CLI, Grafana columns). Resources are data: code
 * that sums, stores or prices usage loops over USAGE_FIELDS instead of naming each field.
 */
export const USAGE_FIELDS = [
  'cpuCoreNanos', // CPU time used: core-nanoseconds
  'cpuRequestCoreNanos', // CPU requested × time running: core-nanoseconds
  'cpuMaxCoreNanos', // Σ over sample periods of max(used, requested), per container: core-nanoseconds
  'memoryByteSeconds', // working set × time: byte-seconds
  'memoryRequestByteSeconds', // memory requested × time running: byte-seconds
  'memoryMaxByteSeconds', // Σ over sample periods of max(used, requested), per container: byte-seconds
  'gpuMillis', // GPUs requested × time running: GPU-milliseconds
  'storageByteSeconds', // PVC capacity × time: byte-seconds
  'storageUsedByteSeconds', // PVC used bytes × time, when known: byte-seconds
  'networkRxBytes', // bytes received
  'networkTxBytes', // bytes sent
  'podMillis', // pod running time: milliseconds
  'loadBalancerMillis', // LoadBalancer service lifetime: milliseconds
] as const;

export type UsageField = (typeof USAGE_FIELDS)[number];
export type UsageAmounts = Record<UsageField, bigint>;

/**
 * The part of a pod's request that right-sizing its app containers cannot release, × the pod's
 * running time: its largest init container's request and its RuntimeClass overhead (the scheduler
 * reserves max(app, init) + overhead). Not a ledger amount: savings read it, pricing does not.
 */
export interface HeldRequests {
  cpuInitCoreNanos: bigint;
  cpuOverheadCoreNanos: bigint;
  memoryInitByteSeconds: bigint;
  memoryOverheadByteSeconds: bigint;
}

export function zeroUsage(): UsageAmounts {
  // A literal, in USAGE_FIELDS order: every amount object then has the same shape, which the
  // integration (several per pod per interval) and the sums over them read fastest.
  return {
    cpuCoreNanos: 0n,
    cpuRequestCoreNanos: 0n,
    cpuMaxCoreNanos: 0n,
    memoryByteSeconds: 0n,
    memoryRequestByteSeconds: 0n,
    memoryMaxByteSeconds: 0n,
    gpuMillis: 0n,
    storageByteSeconds: 0n,
    storageUsedByteSeconds: 0n,
    networkRxBytes: 0n,
    networkTxBytes: 0n,
    podMillis: 0n,
    loadBalancerMillis: 0n,
  };
}

/** Adds `b` into `a` in place and returns `a`. */
export function addUsage(a: UsageAmounts, b: Partial<UsageAmounts>): UsageAmounts {
  for (const f of USAGE_FIELDS) {
    const v = b[f];
    if (v !== undefined) a[f] += v;
  }
  return a;
}

export const NANOS_PER_SECOND = 1_000_000_000n;
export const MILLIS_PER_HOUR = 3_600_000n;
export const SECONDS_PER_HOUR = 3_600n;
export const BYTES_PER_GIB = 1n << 30n;

/** Divides exactly enough for display: bigint numerator / bigint denominator as a float. */
export function ratio(numerator: bigint, denominator: bigint): number {
  const whole = numerator / denominator;
  const rest = numerator % denominator;
  return Number(whole) + Number(rest) / Number(denominator);
}

/**
 * A ledger amount for display, numerator / denominator (> 0) rounded half up to 9 decimals. The
 * ledger's integers stay exact; as a float they would show the integration's sub-nanosecond
 * rounding (each interval rounds down once): 35.51999999999972 core-hours where the truth is 35.52.
 */
export function ledgerRatio(numerator: bigint, denominator: bigint): number {
  if (numerator < 0n) return -ledgerRatio(-numerator, denominator);
  return Number((numerator * DISPLAY_SCALE * 2n + denominator) / (2n * denominator)) / DISPLAY_DIGITS;
}

const DISPLAY_SCALE = 1_000_000_000n;
const DISPLAY_DIGITS = 1e9;

export const CORE_NANOS_PER_HOUR = NANOS_PER_SECOND * SECONDS_PER_HOUR;
export const GIB_SECONDS_PER_GIB_HOUR = BYTES_PER_GIB * SECONDS_PER_HOUR;

export const toGiB = (bytes: bigint) => ratio(bytes, BYTES_PER_GIB);
