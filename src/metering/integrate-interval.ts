/**
 * The integration of one cluster over one interval [start, end): exact usage per pod (with the
 * identity attribution needs), per unmounted claim and per LoadBalancer, plus gaps and coverage.
 *
 * What to pass: every observation of the cluster from `observedFrom` (at least three sample periods
 * before `start`, as `observationWindow` gives; the intervals' windows must overlap by that much
 * for estimates that span two intervals to agree) to at least one successful
 * sample of each source at or after `end`. Close an interval only once that sample exists (or
 * the source has failed past end + 2.5 periods): without it the tail is a gap, not a guess.
 * Extra observations outside the window are harmless.
 *
 * Rows only exist for pods that some inventory listed (metrics alone carry no identity).
 * All numbers are integers of the units named in `UsageAmounts`, each rounded once.
 */
import type { Millis } from '../domain/duration.js';
import { invalidArgument } from '../domain/errors.js';
import { zeroUsage, type HeldRequests, type UsageAmounts } from '../domain/usage.js';
import { coverageOf, findGaps, type Gap } from './gaps.js';
import { podLifecycles } from './lifecycles.js';
import type { ObservationBatch, SourceName, WorkloadRef } from './observations.js';
import { podUsage, type ContainerUsage, type PodSamples } from './pod-usage.js';
import { loadBalancerMillis, storageShares } from './storage.js';

export interface IntegrationInput {
  start: Millis;
  end: Millis;
  /** The collector's sampling period (default 60 000). Gaps start beyond 2.5 periods without a sample. */
  samplePeriodMs: Millis;
  /** Every observation at or after this time is in `observations`. */
  observedFrom: Millis;
  /** The sources this cluster should provide (a forbidden Summary API is simply not expected). */
  expectedSources: readonly SourceName[];
  observations: ObservationBatch;
}

/** Who a pod is, for attribution (SPEC §6). */
export interface PodIdentity {
  uid: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  node: string;
  workload?: WorkloadRef;
  /** The claims it mounts (its namespace), for storage prices by class. */
  claims: string[];
}

export interface UsageRow {
  namespace: string;
  /** The pod, for pod rows. */
  pod?: PodIdentity;
  /** The claim, for storage no running pod mounted. */
  claim?: string;
  /** The service, for LoadBalancer rows. */
  loadBalancer?: string;
  /** The claim's or the service's labels, for attribution. */
  labels?: Record<string, string>;
  /** The service's selector, for LoadBalancer rows whose labels name no owner. */
  selector?: Record<string, string>;
  usage: UsageAmounts;
  /** Per container CPU, memory and GPU, for pod rows. */
  containers?: ContainerUsage[];
  /** What the pod's init containers and overhead hold of its request, for pod rows that have any. */
  held?: HeldRequests;
}

export interface IntervalUsage {
  start: Millis;
  end: Millis;
  rows: UsageRow[];
  gaps: Gap[];
  /** Share of the interval without any gap, 0..1. */
  coverage: number;
}

/** Longest stretch bridged by interpolation, in sample periods. */
export const BRIDGE_PERIODS = 2.5;

/** How far before an interval its observations reach, in sample periods. */
export const LEAD_PERIODS = 3;

/** The range of observations to load for an interval (generous: extra data is ignored). */
export function observationWindow(
  start: Millis,
  end: Millis,
  samplePeriodMs: Millis,
): { from: Millis; to: Millis } {
  return { from: start - LEAD_PERIODS * samplePeriodMs, to: end + 3 * samplePeriodMs };
}

export function integrateInterval(input: IntegrationInput): IntervalUsage {
  const { start, end, samplePeriodMs, observedFrom, observations: obs } = input;
  if (!(end > start) || !(samplePeriodMs > 0) || observedFrom > start) {
    throw invalidArgument(
      `cannot integrate [${start}, ${end}) with sample period ${samplePeriodMs} and observations from ${observedFrom}`,
      'pass an interval with end > start, a positive sample period, and observations from before the start',
    );
  }
  const opts = {
    observedFrom,
    maxBridgeMs: Math.round(BRIDGE_PERIODS * samplePeriodMs),
    leadMs: LEAD_PERIODS * samplePeriodMs,
  };
  const window = { a: start, b: end };
  const lifecycles = podLifecycles(obs.inventories, opts);
  const samples = groupSamples(obs);
  const storage = storageShares(obs.inventories, lifecycles, obs.volumes, window, opts);
  const rows: UsageRow[] = [];
  for (const [uid, life] of lifecycles) {
    const s = samples.get(uid) ?? emptySamples();
    const { usage, containers, held } = podUsage(life, s, window, opts);
    const st = storage.pods.get(uid);
    if (st !== undefined) {
      usage.storageByteSeconds = st.storageByteSeconds;
      usage.storageUsedByteSeconds = st.storageUsedByteSeconds;
    }
    if (Object.values(usage).every((v) => v === 0n)) continue;
    const p = life.pod;
    const pod: PodIdentity = {
      uid,
      namespace: p.namespace,
      name: p.name,
      labels: p.labels,
      node: p.node,
      claims: p.claims,
    };
    if (p.workload !== undefined) pod.workload = p.workload;
    const row: UsageRow = { namespace: p.namespace, pod, usage, containers };
    if (held !== undefined) row.held = held;
    rows.push(row);
  }
  for (const c of storage.claims.values()) {
    const usage = zeroUsage();
    usage.storageByteSeconds = c.storageByteSeconds;
    usage.storageUsedByteSeconds = c.storageUsedByteSeconds;
    rows.push({ namespace: c.namespace, claim: c.name, labels: c.labels, usage });
  }
  for (const lb of loadBalancerMillis(obs.inventories, window, opts).values()) {
    const usage = zeroUsage();
    usage.loadBalancerMillis = lb.millis;
    const row: UsageRow = { namespace: lb.namespace, loadBalancer: lb.name, labels: lb.labels, usage };
    if (lb.selector !== undefined) row.selector = lb.selector;
    rows.push(row);
  }
  const gaps = findGaps(obs.scrapes, {
    start,
    end,
    maxBridgeMs: opts.maxBridgeMs,
    expected: input.expectedSources,
  });
  return { start, end, rows, gaps, coverage: coverageOf(gaps, start, end) };
}

function emptySamples(): PodSamples {
  return { cpuCounters: new Map(), cpuRates: new Map(), memory: new Map(), network: [] };
}

function groupSamples(obs: ObservationBatch): Map<string, PodSamples> {
  const out = new Map<string, PodSamples>();
  // A pod's readings come together in each sample: the pod just seen is looked up once per run
  // of its readings, not once per reading (hundreds of thousands per interval in a big cluster).
  let uid: string | undefined;
  let pod = emptySamples();
  const of = (podUid: string) => {
    if (podUid === uid) return pod;
    uid = podUid;
    const found = out.get(podUid);
    if (found !== undefined) return (pod = found);
    out.set(podUid, (pod = emptySamples()));
    return pod;
  };
  const push = <T>(m: Map<string, T[]>, key: string, v: T) => {
    const list = m.get(key);
    if (list === undefined) m.set(key, [v]);
    else list.push(v);
  };
  for (const c of obs.cpuCounters) push(of(c.podUid).cpuCounters, c.container, c);
  for (const r of obs.cpuRates) push(of(r.podUid).cpuRates, r.container, r);
  for (const m of obs.memory) push(of(m.podUid).memory, m.container, m);
  for (const n of obs.network) of(n.podUid).network.push(n);
  return out;
}
