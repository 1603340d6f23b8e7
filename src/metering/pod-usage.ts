/**
 * One pod's usage over [a, b): per container CPU and memory (used, requested, max basis), and for
 * the pod its effective request × running span, GPUs, pod time and network.
 * - CPU used: cumulative counters where the container has them, metrics rates where it has not
 *   (no counter in the window, or a stretch between two counter readings that is not bridged).
 * - Requests: each container's own request × the time it ran (container rows, max basis); the pod
 *   row uses the scheduler's effective request (init containers, overhead) × the pod's span,
 *   from its first container start to its last container end (restarts inside do not end it).
 * - Max basis: per container per sample period (between consecutive samples of the series, cut
 *   at a and b), max(used, requested). Where samples are missing, used is 0 there, so max = request.
 * - A container never sampled while it ran (a job shorter than the sampling) has no CPU or memory
 *   used: that is not guessed. Its requests and pod time are exact from its state times.
 */
import type { Millis } from '../domain/duration.js';
import { zeroUsage, type HeldRequests, type UsageAmounts } from '../domain/usage.js';
import type { ContainerRun, PodLifecycle } from './lifecycles.js';
import { runAt } from './lifecycles.js';
import type { CpuCounterSample, CpuRateSample, MemorySample, NetworkSample } from './observations.js';
import { effectiveRequest, initRequest } from './requests.js';
import { SCALE, constantSegment, cumulativeAtEach, shareOf, type Segment } from './segments.js';
import { coversRuns, outsideOf } from './uncovered.js';
import {
  counterSegments,
  levelSegments,
  rateSegments,
  type CounterPoint,
  type RunEdges,
  type SeriesOptions,
} from './series.js';

/** Samples of one pod, grouped by container where they are per container. */
export interface PodSamples {
  cpuCounters: Map<string, CpuCounterSample[]>;
  cpuRates: Map<string, CpuRateSample[]>;
  memory: Map<string, MemorySample[]>;
  network: NetworkSample[];
}

export interface ContainerUsage {
  name: string;
  /** cpu*, memory* and gpuMillis of this container; the other fields are 0. */
  usage: UsageAmounts;
}

export interface PodUsage {
  usage: UsageAmounts;
  containers: ContainerUsage[];
  /** Set when the pod has init containers or overhead and ran in the window. */
  held?: HeldRequests;
}

/** Slack when matching a Summary `startTime` or a sample time to an inventory run (clocks round to seconds). */
const MATCH_TOLERANCE_MS = 2_000;

export function podUsage(
  life: PodLifecycle,
  samples: PodSamples,
  window: { a: Millis; b: Millis },
  opts: SeriesOptions,
): PodUsage {
  const { a, b } = window;
  const total = zeroUsage();
  let held: HeldRequests | undefined;
  const containers: ContainerUsage[] = [];
  for (const c of life.pod.containers) {
    const runs = life.runs.get(c.name) ?? [];
    const u = zeroUsage();
    const counters = samples.cpuCounters.get(c.name) ?? [];
    const fromCounters = counters.length > 0 ? cpuFromCounters(counters, runs, opts) : undefined;
    // The rates are built only where they may fill in: counters that cover the container's time
    // in the window (every Summary API read succeeded) leave them nothing.
    const cpu =
      fromCounters !== undefined && coversRuns(fromCounters.segs, runs, a, b)
        ? fromCounters
        : countersThenRates(
            fromCounters,
            perRun(runs, samples.cpuRates.get(c.name) ?? [], (pts, run) =>
              rateSegments(
                pts.map((p) => ({ time: p.time, windowMs: p.windowMs, rate: p.nanoCores })),
                run,
                opts,
              ),
            ),
          );
    const mem = perRun(runs, samples.memory.get(c.name) ?? [], (pts, run) =>
      levelSegments(
        pts.map((p) => ({ time: p.time, level: p.workingSetBytes })),
        run,
        opts,
      ),
    );
    const cpuReq = runs.map((r) =>
      constantSegment(r.start, r.end, (c.requests.cpuNanoCores * SCALE) / 1000n),
    );
    const memReq = runs.map((r) => constantSegment(r.start, r.end, (c.requests.memoryBytes * SCALE) / 1000n));
    const gpu = runs.map((r) => constantSegment(r.start, r.end, c.requests.gpus * SCALE));
    u.cpuCoreNanos = shareOf(cpu.segs, a, b);
    u.cpuRequestCoreNanos = shareOf(cpuReq, a, b);
    u.cpuMaxCoreNanos = maxBasis(cpu, cpuReq, a, b);
    u.memoryByteSeconds = shareOf(mem.segs, a, b);
    u.memoryRequestByteSeconds = shareOf(memReq, a, b);
    u.memoryMaxByteSeconds = maxBasis(mem, memReq, a, b);
    u.gpuMillis = shareOf(gpu, a, b);
    containers.push({ name: c.name, usage: u });
    for (const f of [
      'cpuCoreNanos',
      'cpuMaxCoreNanos',
      'memoryByteSeconds',
      'memoryMaxByteSeconds',
    ] as const) {
      total[f] += u[f];
    }
  }
  if (life.span !== undefined) {
    const { start, end } = life.span;
    const req = effectiveRequest(life.pod);
    total.cpuRequestCoreNanos = shareOf(
      [constantSegment(start, end, (req.cpuNanoCores * SCALE) / 1000n)],
      a,
      b,
    );
    total.memoryRequestByteSeconds = shareOf(
      [constantSegment(start, end, (req.memoryBytes * SCALE) / 1000n)],
      a,
      b,
    );
    total.gpuMillis = shareOf([constantSegment(start, end, req.gpus * SCALE)], a, b);
    total.podMillis = shareOf([constantSegment(start, end, SCALE)], a, b);
    // The max basis is per container; what the pod holds beyond its containers' requests (init
    // containers larger than the app, RuntimeClass overhead) is held whatever is used: add it.
    const cpuBeyond = total.cpuRequestCoreNanos - sumOf(containers, 'cpuRequestCoreNanos');
    const memBeyond = total.memoryRequestByteSeconds - sumOf(containers, 'memoryRequestByteSeconds');
    if (cpuBeyond > 0n) total.cpuMaxCoreNanos += cpuBeyond;
    if (memBeyond > 0n) total.memoryMaxByteSeconds += memBeyond;
    held = heldRequests(life.pod, { start, end }, window);
  }
  const net = networkSegments(life, samples.network, opts);
  total.networkRxBytes = shareOf(net.rx, a, b);
  total.networkTxBytes = shareOf(net.tx, a, b);
  const out: PodUsage = { usage: total, containers };
  if (held !== undefined) out.held = held;
  return out;
}

function heldRequests(
  pod: PodLifecycle['pod'],
  span: { start: Millis; end: Millis },
  window: { a: Millis; b: Millis },
): HeldRequests | undefined {
  const init = initRequest(pod);
  const over = pod.overhead;
  if (init.cpuNanoCores + init.memoryBytes + over.cpuNanoCores + over.memoryBytes === 0n) return undefined;
  // The same units as the request amounts: core-nanoseconds and byte-seconds.
  const times = (perMs: bigint) =>
    shareOf([constantSegment(span.start, span.end, (perMs * SCALE) / 1000n)], window.a, window.b);
  return {
    cpuInitCoreNanos: times(init.cpuNanoCores),
    cpuOverheadCoreNanos: times(over.cpuNanoCores),
    memoryInitByteSeconds: times(init.memoryBytes),
    memoryOverheadByteSeconds: times(over.memoryBytes),
  };
}

function sumOf(
  containers: readonly ContainerUsage[],
  field: 'cpuRequestCoreNanos' | 'memoryRequestByteSeconds',
): bigint {
  return containers.reduce((sum, c) => sum + c.usage[field], 0n);
}

interface Series {
  segs: Segment[];
  /** Sample times: the edges of the sample periods for the max basis. */
  times: Millis[];
}

function cpuFromCounters(samples: CpuCounterSample[], runs: ContainerRun[], opts: SeriesOptions): Series {
  const finishOf = (start: Millis) => {
    const run = runAt(runs, start, MATCH_TOLERANCE_MS);
    return run === undefined || run.endKind === 'open' ? undefined : run.end;
  };
  const points = samples.map((s) => ({ time: s.time, start: s.containerStart, value: s.coreNanos }));
  return { segs: counterSegments(points, withFinish(opts, finishOf)), times: samples.map((s) => s.time) };
}

/** The counters, and the rates where the counters say nothing (the Summary API failed there). */
function countersThenRates(counters: Series | undefined, rates: Series): Series {
  if (counters === undefined) return rates;
  if (rates.segs.length === 0) return counters;
  const filled = outsideOf(rates.segs, counters.segs);
  if (filled.length === 0) return counters;
  return { segs: [...counters.segs, ...filled], times: [...counters.times, ...rates.times] };
}

/** Splits samples by the run they fall in and builds each run's segments. */
function perRun<P extends { time: Millis }>(
  runs: readonly ContainerRun[],
  samples: readonly P[],
  build: (pts: P[], run: RunEdges) => Segment[],
): Series {
  const segs: Segment[] = [];
  for (const run of runs) {
    const pts = samples.filter((s) => s.time >= run.start && s.time <= run.end + MATCH_TOLERANCE_MS);
    if (pts.length === 0) continue;
    segs.push(...build(pts, { start: run.start, end: run.endKind === 'open' ? undefined : run.end }));
  }
  return { segs, times: samples.map((s) => s.time) };
}

function maxBasis(used: Series, requested: Segment[], a: Millis, b: Millis): bigint {
  // Sample times come in order (sorting sorted times is one pass): a, the distinct ones inside, b.
  const inside = used.times.filter((t) => t > a && t < b).sort((x, y) => x - y);
  const cuts = [a];
  for (const t of inside) if (t !== cuts[cuts.length - 1]) cuts.push(t);
  cuts.push(b);
  const usedAt = cumulativeAtEach(used.segs, cuts);
  const requestedAt = cumulativeAtEach(requested, cuts);
  let total = 0n;
  for (let i = 1; i < cuts.length; i++) {
    const u = usedAt[i]! - usedAt[i - 1]!;
    const r = requestedAt[i]! - requestedAt[i - 1]!;
    total += u > r ? u : r;
  }
  return total;
}

function networkSegments(life: PodLifecycle, samples: NetworkSample[], opts: SeriesOptions) {
  let ended = life.span !== undefined;
  for (const runs of life.runs.values()) if (runs.some((r) => r.endKind === 'open')) ended = false;
  const finishOf = () => (ended ? life.span?.end : undefined);
  // The pod's counters start with the pod; its traffic with its first container. A later run's
  // start is no origin: the counters hold the traffic of the runs before it too.
  const origin = life.firstStart;
  const options = withIdle(withFinish(opts, finishOf), life);
  const seg = (key: 'rxBytes' | 'txBytes') =>
    counterSegments(
      samples.map((s) => {
        const point: CounterPoint = { time: s.time, start: s.podStart, value: s[key] };
        if (origin !== undefined) point.origin = origin;
        return point;
      }),
      options,
    );
  return { rx: seg('rxBytes'), tx: seg('txBytes') };
}

/** The options with `idleMs`: the time in [from, to] outside every run of the pod's containers. */
function withIdle<O extends SeriesOptions>(opts: O, life: PodLifecycle): O {
  // Sorted when first asked: only a tail (a pod that ended after its last sample) asks.
  let runs: ContainerRun[] | undefined;
  opts.idleMs = (from, to) => {
    runs ??= [...life.runs.values()].flat().sort((x, y) => x.start - y.start);
    let covered = 0;
    let reach = from;
    for (const r of runs) {
      const a = Math.max(r.start, reach);
      const b = Math.min(r.end, to);
      if (b > a) covered += b - a;
      reach = Math.max(reach, Math.min(r.end, to));
    }
    return Math.max(0, to - from - covered);
  };
  return opts;
}

/** `{ ...opts, finishOf }` without the spread, which V8 builds on a slow path (per container here). */
function withFinish(
  opts: SeriesOptions,
  finishOf: (start: Millis) => Millis | undefined,
): SeriesOptions & { finishOf: (start: Millis) => Millis | undefined } {
  const out: SeriesOptions & { finishOf: (start: Millis) => Millis | undefined } = {
    observedFrom: opts.observedFrom,
    maxBridgeMs: opts.maxBridgeMs,
    finishOf,
  };
  if (opts.leadMs !== undefined) out.leadMs = opts.leadMs;
  return out;
}
