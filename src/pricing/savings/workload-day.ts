/**
 * Compact per-workload, per-day usage: what right-sizing needs, and nothing like raw samples.
 * A workload is the pod's controller (Deployment, StatefulSet, Job…), or the pod itself.
 *
 * CPU is kept as a time-weighted histogram of per-pod interval averages: millicores (rounded UP
 * to two significant digits, so at most ~10 % high and ~180 keys over six decades) → pod-ms.
 * Memory is kept as the day's peak of per-pod interval averages (bytes). Requests and usage are
 * kept as sums, so averages per pod are exact.
 */
import type { HeldRequests, UsageAmounts } from '../../domain/usage.js';

export interface WorkloadKey {
  namespace: string;
  workloadKind: string;
  workloadName: string;
}

export interface WorkloadDay extends WorkloadKey {
  owner: string;
  project: string;
  computeType: string;
  podMillis: bigint;
  /** The part of `podMillis` on spot nodes. */
  spotPodMillis: bigint;
  cpuCoreNanos: bigint;
  cpuRequestCoreNanos: bigint;
  memoryByteSeconds: bigint;
  memoryRequestByteSeconds: bigint;
  memoryPeakBytes: bigint;
  /** Of the requests, what init containers and overhead hold (right-sizing cannot release it). */
  held: HeldRequests;
  /** Millicores (decimal text) → pod-milliseconds at that average. */
  cpuMillicoresHistogram: Record<string, bigint>;
}

/** What the histogram reads of a pod row (a ledger `PodUsageRow` fits). */
export interface WorkloadRowInput {
  podUid: string;
  namespace: string;
  podName: string;
  workloadKind?: string;
  workloadName?: string;
  owner: string;
  project: string;
  computeType: string;
  /** `spot` or `on-demand`, of the node the pod ran on. */
  capacityType?: string;
  usage: Partial<UsageAmounts>;
  held?: HeldRequests;
}

/** Rounds millicores up to two significant digits: 7 → 7, 123 → 130, 1001 → 1100. */
export function cpuBucket(millicores: bigint): bigint {
  if (millicores < 100n) return millicores;
  let p = 1n;
  while (millicores / p >= 100n) p *= 10n;
  return ((millicores + p - 1n) / p) * p;
}

export const workloadKeyText = (k: WorkloadKey): string =>
  `${k.namespace}/${k.workloadKind}/${k.workloadName}`;

/** Synthetic rows (claims `pvc:`, services `svc:`, `__idle__`) are not workloads. */
const isPod = (r: WorkloadRowInput) => !/^(pvc:|svc:|__idle__)/.test(r.podUid);

/**
 * The workload a pod belongs to: its controller, a CronJob for the Jobs it creates (named
 * `<cronjob>-<scheduled minute>` by the CronJob controller, so each run is one recurring
 * workload rather than a new one), or the pod itself.
 */
export function workloadOf(r: WorkloadRowInput): WorkloadKey {
  const kind = r.workloadKind || 'Pod';
  const name = r.workloadName || r.podName;
  const cron = kind === 'Job' ? /^(.+)-\d{8,10}$/.exec(name) : null;
  if (cron !== null) return { namespace: r.namespace, workloadKind: 'CronJob', workloadName: cron[1]! };
  return { namespace: r.namespace, workloadKind: kind, workloadName: name };
}

/** The interval's contribution of every workload. */
export function workloadDaysOf(rows: readonly WorkloadRowInput[]): Map<string, WorkloadDay> {
  const out = new Map<string, WorkloadDay>();
  // Built in Maps and made objects once: storing a numeric key ("130") into an object makes V8
  // allocate an array up to that index (microseconds a row, at tens of thousands of rows).
  const hists = new Map<WorkloadDay, Map<string, bigint>>();
  for (const r of rows) {
    const ms = r.usage.podMillis ?? 0n;
    if (!isPod(r) || ms <= 0n) continue;
    const key = workloadOf(r);
    const k = workloadKeyText(key);
    // Accumulated in place: an interval of a big cluster has tens of thousands of pod rows.
    let day = out.get(k);
    if (day === undefined) {
      // Fields named one by one: `{ ...key, more }` takes V8's slow path (a microsecond or more).
      day = {
        namespace: key.namespace,
        workloadKind: key.workloadKind,
        workloadName: key.workloadName,
        owner: r.owner,
        project: r.project,
        computeType: r.computeType,
        podMillis: 0n,
        spotPodMillis: 0n,
        cpuCoreNanos: 0n,
        cpuRequestCoreNanos: 0n,
        memoryByteSeconds: 0n,
        memoryRequestByteSeconds: 0n,
        memoryPeakBytes: 0n,
        held: noHeld(),
        cpuMillicoresHistogram: {},
      };
      out.set(k, day);
    }
    const cpu = r.usage.cpuCoreNanos ?? 0n;
    const memory = r.usage.memoryByteSeconds ?? 0n;
    day.podMillis += ms;
    if (r.capacityType === 'spot') day.spotPodMillis += ms;
    day.cpuCoreNanos += cpu;
    day.cpuRequestCoreNanos += r.usage.cpuRequestCoreNanos ?? 0n;
    day.memoryByteSeconds += memory;
    day.memoryRequestByteSeconds += r.usage.memoryRequestByteSeconds ?? 0n;
    if (r.held !== undefined) addHeld(day.held, r.held);
    // Per-pod averages over the time the pod ran in the interval; CPU rounded up to millicores.
    const peak = (memory * 1000n) / ms;
    if (peak > day.memoryPeakBytes) day.memoryPeakBytes = peak;
    const bucket = cpuBucket((cpu + ms * 1000n - 1n) / (ms * 1000n)).toString();
    let hist = hists.get(day);
    if (hist === undefined) hists.set(day, (hist = new Map()));
    hist.set(bucket, (hist.get(bucket) ?? 0n) + ms);
  }
  for (const [day, hist] of hists) day.cpuMillicoresHistogram = Object.fromEntries(hist);
  return out;
}

/** `a` and `b` together (same workload and day); `b`'s attribution wins (it is newer). */
export function mergeWorkloadDays(a: WorkloadDay, b: WorkloadDay): WorkloadDay {
  const hist = { ...a.cpuMillicoresHistogram };
  for (const [k, v] of Object.entries(b.cpuMillicoresHistogram)) hist[k] = (hist[k] ?? 0n) + v;
  return {
    ...b,
    podMillis: a.podMillis + b.podMillis,
    spotPodMillis: a.spotPodMillis + b.spotPodMillis,
    cpuCoreNanos: a.cpuCoreNanos + b.cpuCoreNanos,
    cpuRequestCoreNanos: a.cpuRequestCoreNanos + b.cpuRequestCoreNanos,
    memoryByteSeconds: a.memoryByteSeconds + b.memoryByteSeconds,
    memoryRequestByteSeconds: a.memoryRequestByteSeconds + b.memoryRequestByteSeconds,
    memoryPeakBytes: a.memoryPeakBytes > b.memoryPeakBytes ? a.memoryPeakBytes : b.memoryPeakBytes,
    held: addHeld(addHeld(noHeld(), a.held), b.held),
    cpuMillicoresHistogram: hist,
  };
}

export const HELD_FIELDS = [
  'cpuInitCoreNanos',
  'cpuOverheadCoreNanos',
  'memoryInitByteSeconds',
  'memoryOverheadByteSeconds',
] as const;

export const noHeld = (): HeldRequests => ({
  cpuInitCoreNanos: 0n,
  cpuOverheadCoreNanos: 0n,
  memoryInitByteSeconds: 0n,
  memoryOverheadByteSeconds: 0n,
});

function addHeld(into: HeldRequests, more: HeldRequests): HeldRequests {
  for (const f of HELD_FIELDS) into[f] += more[f];
  return into;
}

/**
 * The time-weighted quantile `q` (per mille, 900 = p90) of a histogram: the smallest key whose
 * cumulative weight reaches q of the total (nearest rank). 0 for an empty histogram.
 */
export function histogramQuantile(hist: Record<string, bigint>, perMille: bigint): bigint {
  const entries = Object.entries(hist)
    .map(([k, w]) => [BigInt(k), w] as const)
    .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  const total = entries.reduce((s, [, w]) => s + w, 0n);
  let seen = 0n;
  for (const [k, w] of entries) {
    seen += w;
    if (seen * 1000n >= total * perMille) return k;
  }
  return 0n;
}
