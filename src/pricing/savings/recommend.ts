/**
 * Savings recommendations, from what the ledger keeps (pure; the window and prices are passed in).
 *
 * - Right-sizing a workload: CPU request → p90 of per-pod interval averages + 15 %, memory
 *   request → p90 of the daily peaks + 15 %, never below 25 millicores and 250 MiB (the VPA
 *   recommender's defaults), then as the scheduler reserves it (max(that, the largest init
 *   container) + overhead), and never above the request: a saving does not raise a request (a
 *   small workload under a floor, or one using more than it asked, keeps its request). The
 *   monthly saving (730 h) is (request − recommendation) × the workload's average pod count over
 *   the window × the resource price of the capacity its pods ran on (their time on spot nodes at
 *   spot prices, the rest on-demand).
 * - An idle notebook: a notebook whose pods ran the whole window (24 h) with every interval's
 *   average CPU at or below 10 millicores; saving = its compute cost (CPU, memory, GPU: stopping
 *   it keeps its volumes) over the window, per month.
 * - A claim (PVC) that no pod mounted in any written interval of the window (7 days).
 * - A LoadBalancer whose namespace ran no pod during the window (24 h).
 */
import type { Millis } from '../../domain/duration.js';
import { BYTES_PER_GIB } from '../../domain/usage.js';
import { PICOS_PER_MICRO, divRoundHalfUp, type Micros } from '../decimal.js';
import { HOURS_PER_MONTH } from '../costs.js';
import type { PriceSheet } from '../price-sheet.js';
import { histogramQuantile, mergeWorkloadDays, type WorkloadDay } from './workload-day.js';

export const CPU_FLOOR_MILLICORES = 25n;
export const MEMORY_FLOOR_BYTES = 250n * 1024n * 1024n;
export const IDLE_NOTEBOOK_MAX_MILLICORES = 10n;
const MIB = 1024n * 1024n;
const HOUR_MS = 3_600_000n;

export interface RightSizing {
  kind: 'right-size';
  namespace: string;
  workloadKind: string;
  workloadName: string;
  owner: string;
  project: string;
  computeType: string;
  /** Average pods over the window, pod-ms / window-ms. */
  averagePods: number;
  cpuRequestMillicores: bigint;
  cpuP90Millicores: bigint;
  cpuRecommendedMillicores: bigint;
  memoryRequestBytes: bigint;
  memoryP90PeakBytes: bigint;
  memoryRecommendedBytes: bigint;
  monthlySavingMicros: Micros;
}

/** +15 %, rounded up. */
const plus15 = (v: bigint) => (v * 115n + 99n) / 100n;
const max = (a: bigint, b: bigint) => (a > b ? a : b);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** Nearest-rank p90 of a list (0 when empty). */
export function p90(values: readonly bigint[]): bigint {
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (sorted.length === 0) return 0n;
  return sorted[Math.ceil(0.9 * sorted.length) - 1]!;
}

/** The right-sizing of one workload from its days in the window, or undefined if it saves nothing. */
export function rightSize(
  days: readonly WorkloadDay[],
  windowMs: Millis,
  sheet: PriceSheet,
): RightSizing | undefined {
  if (days.length === 0 || windowMs <= 0) return undefined;
  const all = days.reduce(mergeWorkloadDays);
  if (all.podMillis <= 0n) return undefined;
  const cpuRequest = divRoundHalfUp(all.cpuRequestCoreNanos, all.podMillis * 1000n);
  const memoryRequest = divRoundHalfUp(all.memoryRequestByteSeconds * 1000n, all.podMillis);
  const cpuP90 = histogramQuantile(all.cpuMillicoresHistogram, 900n);
  const memoryP90 = p90(days.map((d) => d.memoryPeakBytes));
  // What the app containers need; the pod then reserves max(that, its largest init container) +
  // its overhead, as the scheduler does: right-sizing the app releases nothing of those two.
  const cpuApp = max(CPU_FLOOR_MILLICORES, plus15(cpuP90));
  const memoryApp = max(MEMORY_FLOOR_BYTES, ((plus15(memoryP90) + MIB - 1n) / MIB) * MIB);
  const cpuPerPod = (coreNanos: bigint) => divRoundHalfUp(coreNanos, all.podMillis * 1000n);
  const memoryPerPod = (byteSeconds: bigint) => divRoundHalfUp(byteSeconds * 1000n, all.podMillis);
  const cpuHeld =
    max(cpuApp, cpuPerPod(all.held.cpuInitCoreNanos)) + cpuPerPod(all.held.cpuOverheadCoreNanos);
  const memoryHeld =
    max(memoryApp, memoryPerPod(all.held.memoryInitByteSeconds)) +
    memoryPerPod(all.held.memoryOverheadByteSeconds);
  // A saving never raises a request: where the floor (or the use) is above it, it stays as it is.
  const cpuRec = min(cpuRequest, cpuHeld);
  const memoryRec = min(memoryRequest, memoryHeld);
  const w = BigInt(windowMs);
  // Δ × pod-ms / window-ms = Δ × average pods; × 730 h × price per hour, each pod-ms at the
  // price of the capacity it ran on (spot time at spot prices).
  const onDemandMillis = all.podMillis - all.spotPodMillis;
  const priced = (key: 'cpu' | 'memory') =>
    onDemandMillis * sheet.onDemand[key] + all.spotPodMillis * sheet.spot[key];
  const cpuSaving = divRoundHalfUp(
    (cpuRequest - cpuRec) * priced('cpu') * HOURS_PER_MONTH,
    w * 1000n * PICOS_PER_MICRO,
  );
  const memorySaving = divRoundHalfUp(
    (memoryRequest - memoryRec) * priced('memory') * HOURS_PER_MONTH,
    w * BYTES_PER_GIB * PICOS_PER_MICRO,
  );
  if (cpuSaving + memorySaving <= 0n) return undefined;
  return {
    kind: 'right-size',
    namespace: all.namespace,
    workloadKind: all.workloadKind,
    workloadName: all.workloadName,
    owner: all.owner,
    project: all.project,
    computeType: all.computeType,
    averagePods: Number(all.podMillis) / windowMs,
    cpuRequestMillicores: cpuRequest,
    cpuP90Millicores: cpuP90,
    cpuRecommendedMillicores: cpuRec,
    memoryRequestBytes: memoryRequest,
    memoryP90PeakBytes: memoryP90,
    memoryRecommendedBytes: memoryRec,
    monthlySavingMicros: cpuSaving + memorySaving,
  };
}

/** A cost over `windowMs`, per 730-hour month. */
export const perMonth = (costMicros: Micros, windowMs: Millis): Micros =>
  windowMs <= 0 ? 0n : divRoundHalfUp(costMicros * HOURS_PER_MONTH * HOUR_MS, BigInt(windowMs));

export interface NotebookWindow {
  namespace: string;
  workloadKind: string;
  workloadName: string;
  owner: string;
  project: string;
  podMillis: bigint;
  /** The highest per-pod interval average in the window. */
  maxMillicores: bigint;
  costMicros: Micros;
}

export interface IdleNotebook extends Omit<NotebookWindow, 'podMillis'> {
  kind: 'idle-notebook';
  monthlySavingMicros: Micros;
}

export function idleNotebooks(notebooks: readonly NotebookWindow[], windowMs: Millis): IdleNotebook[] {
  return notebooks
    .filter((n) => n.podMillis >= BigInt(windowMs) && n.maxMillicores <= IDLE_NOTEBOOK_MAX_MILLICORES)
    .map(({ podMillis: _, ...n }) => ({
      kind: 'idle-notebook' as const,
      ...n,
      monthlySavingMicros: perMonth(n.costMicros, windowMs),
    }));
}

export interface ClaimWindow {
  namespace: string;
  claim: string;
  owner: string;
  project: string;
  /** Written intervals in which the claim was not mounted. */
  unmountedIntervals: number;
  storageByteSeconds: bigint;
  costMicros: Micros;
}

export interface UnmountedClaim extends ClaimWindow {
  kind: 'unmounted-claim';
  monthlySavingMicros: Micros;
}

/** Claims unmounted in every written interval of the window (`writtenIntervals` of them). */
export function unmountedClaims(
  claims: readonly ClaimWindow[],
  writtenIntervals: number,
  windowMs: Millis,
): UnmountedClaim[] {
  if (writtenIntervals === 0) return [];
  return claims
    .filter((c) => c.unmountedIntervals >= writtenIntervals)
    .map((c) => ({
      kind: 'unmounted-claim' as const,
      ...c,
      monthlySavingMicros: perMonth(c.costMicros, windowMs),
    }));
}

export interface LoadBalancerWindow {
  namespace: string;
  service: string;
  owner: string;
  project: string;
  costMicros: Micros;
  /** Pod-ms of pods running in the service's namespace in the window. */
  namespacePodMillis: bigint;
}

export interface IdleLoadBalancer extends Omit<LoadBalancerWindow, 'namespacePodMillis'> {
  kind: 'idle-load-balancer';
  monthlySavingMicros: Micros;
}

export function idleLoadBalancers(lbs: readonly LoadBalancerWindow[], windowMs: Millis): IdleLoadBalancer[] {
  return lbs
    .filter((l) => l.namespacePodMillis === 0n)
    .map(({ namespacePodMillis: _, ...l }) => ({
      kind: 'idle-load-balancer' as const,
      ...l,
      monthlySavingMicros: perMonth(l.costMicros, windowMs),
    }));
}
