/**
 * Samples → segments, for the three kinds of series the sources give:
 * - cumulative counters with a start time (CPU core-nanoseconds, network bytes),
 * - mean rates over a window (metrics.k8s.io CPU),
 * - levels at an instant (memory working set, volume used bytes).
 * Common rules: times outside what the window of observations can see are left alone (a
 * series' beginning is only known when its start is ≥ `observedFrom`); nothing is bridged or
 * extrapolated over more than `maxBridgeMs` (that is a gap, recorded elsewhere, never filled).
 */
import type { Millis } from '../domain/duration.js';
import { SCALE, constantSegment, trapezoidSegment, type Segment } from './segments.js';

export interface SeriesOptions {
  /** Every observation at or after this time is in the input. */
  observedFrom: Millis;
  /** The longest stretch filled by interpolation or by holding a value flat (~2.5 sample periods). */
  maxBridgeMs: Millis;
  /**
   * How far before its interval's start every window of observations reaches (3 sample periods).
   * An estimate that spans intervals must come out the same in each of their windows, so it may
   * only use readings that all of them hold.
   */
  leadMs?: Millis;
  /**
   * For a pod's counters, how long in [from, to] no container of the pod ran: they stand still
   * then (a crash loop's waits), so a tail's rate is taken over the rest, and runs only in it.
   */
  idleMs?: (from: Millis, to: Millis) => Millis;
}

export interface CounterPoint {
  time: Millis;
  /** When the counter started from zero (container or pod start). */
  start: Millis;
  /**
   * When it began to grow, if later than `start`: a pod's network counters start with the pod,
   * its traffic with its first container (after image pulls). The first reading's amount is
   * spread from here, and a run's tail rate is taken since here.
   */
  origin?: Millis;
  value: bigint;
}

/** Where a run's first reading counts from: its origin when that lies in [start, time]. */
const originOf = (p: CounterPoint): Millis =>
  p.origin !== undefined && p.origin > p.start && p.origin <= p.time ? p.origin : p.start;

/**
 * Counter readings (one series) → segments in SCALE units of the counter. A smaller value or a
 * new start time is a reset/restart: counting resumes from the new start (or, for a reset with the
 * same start, from the previous reading). The first reading of a run counts from its start.
 * `finishOf(start)` gives the end of a run that finished after its last reading: the run's mean
 * rate after its first reading (else since its start) is extrapolated to that finish (the counter
 * itself died with the container, so this is the best estimate there is, and it only covers less
 * than `maxBridgeMs`). After the first reading only for runs that began within `leadMs` of their
 * finish: the windows of the intervals the tail falls in may not all hold an older run's first
 * reading, and each must compute the same tail.
 */
export function counterSegments(
  points: readonly CounterPoint[],
  opts: SeriesOptions & { finishOf: (start: Millis) => Millis | undefined },
): Segment[] {
  const sorted = dedupeByTime(points);
  const segs: Segment[] = [];
  /** The run's first reading, while its readings only grew. */
  let first: CounterPoint | undefined;
  const finishRun = (p: CounterPoint | undefined) => {
    if (p === undefined) return;
    const end = opts.finishOf(p.start);
    if (end === undefined || end <= p.time || end - p.time > opts.maxBridgeMs) return;
    // The run's mean rate after its first reading: a bursty container's last sample period says
    // little about its last seconds, its whole run says more (and is unbiased for periodic load),
    // but not its start-up, which a container that crashes again and again repeats every run.
    // With one reading, the mean since its start is all there is.
    // The tail may fall in the next interval too: its first reading is used only when the run
    // began within the lead of its finish, which every window holding part of the tail covers.
    const whole = opts.leadMs !== undefined && p.start >= end - opts.leadMs;
    const from =
      whole && first !== undefined && first.time < p.time ? first : { time: originOf(p), value: 0n };
    // Pauses count only within the lead of the tail's end, which every window holding part of
    // the tail knows alike (an older pause may be out of sight of one of them).
    const knows = opts.idleMs !== undefined && opts.leadMs !== undefined && from.time >= end - opts.leadMs;
    const idle = (a: Millis, b: Millis) => (knows ? opts.idleMs!(a, b) : 0);
    const over = BigInt(Math.max(1, p.time - from.time - idle(from.time, p.time)));
    const tail = BigInt(Math.max(0, end - p.time - idle(p.time, end)));
    const used = p.value - from.value;
    segs.push({ t0: p.time, t1: end, amount: (used * SCALE * tail) / over });
  };
  let prev: CounterPoint | undefined;
  for (const p of sorted) {
    let seg: Segment | undefined;
    if (prev !== undefined && prev.start === p.start) {
      const delta = p.value >= prev.value ? p.value - prev.value : p.value;
      if (p.value < prev.value) first = undefined; // a reset: the readings no longer add up
      seg = { t0: prev.time, t1: p.time, amount: delta * SCALE };
    } else {
      finishRun(prev);
      first = p;
      if (p.start >= opts.observedFrom && p.start <= p.time) {
        seg = { t0: originOf(p), t1: p.time, amount: p.value * SCALE };
      }
    }
    if (seg !== undefined) segs.push(seg);
    prev = p;
  }
  finishRun(prev);
  return segs;
}

/** The edges of one run of a container, for rates and levels. */
export interface RunEdges {
  start: Millis;
  /** Undefined while the run is still going on (nothing is held flat past the last sample). */
  end: Millis | undefined;
}

export interface RatePoint {
  time: Millis;
  windowMs: Millis;
  /** Mean rate over the window, in output units per second (e.g. nanocores). */
  rate: bigint;
}

/**
 * Window-mean rates of one run → segments in SCALE units of the output. Inside each window the
 * mean rate is exact; between windows the rate is interpolated linearly (trapezoid); before the
 * first and after the last window it is held flat to the run's edges.
 */
export function rateSegments(points: readonly RatePoint[], run: RunEdges, opts: SeriesOptions): Segment[] {
  const sorted = dedupeByTime(points);
  const segs: Segment[] = [];
  // SCALE output-units per ms for a rate in output-units per second.
  const perMs = (r: bigint) => (r * SCALE) / 1000n;
  let prev: RatePoint | undefined;
  for (const p of sorted) {
    const from = prev === undefined ? run.start : prev.time;
    const ws = Math.min(p.time, Math.max(p.time - p.windowMs, from));
    if (prev === undefined) {
      if (run.start >= opts.observedFrom && ws - run.start <= opts.maxBridgeMs && ws > run.start) {
        segs.push(constantSegment(run.start, ws, perMs(p.rate)));
      }
    } else if (ws > prev.time && ws - prev.time <= opts.maxBridgeMs) {
      segs.push(trapezoidSegment(prev.time, ws, perMs(prev.rate), perMs(p.rate)));
    }
    if (p.time > ws) segs.push(constantSegment(ws, p.time, perMs(p.rate)));
    prev = p;
  }
  holdToEnd(segs, prev, run, opts, (p) => perMs(p.rate));
  return segs;
}

export interface LevelPoint {
  time: Millis;
  /** The level, in output units (bytes). The output is level × seconds. */
  level: bigint;
}

/** Instant levels of one run → segments (level·seconds, SCALE units): trapezoids, held flat to the edges. */
export function levelSegments(points: readonly LevelPoint[], run: RunEdges, opts: SeriesOptions): Segment[] {
  const sorted = dedupeByTime(points);
  const segs: Segment[] = [];
  const perMs = (l: bigint) => (l * SCALE) / 1000n;
  let prev: LevelPoint | undefined;
  for (const p of sorted) {
    if (prev === undefined) {
      const gap = p.time - run.start;
      if (run.start >= opts.observedFrom && gap > 0 && gap <= opts.maxBridgeMs) {
        segs.push(constantSegment(run.start, p.time, perMs(p.level)));
      }
    } else if (p.time - prev.time <= opts.maxBridgeMs) {
      segs.push(trapezoidSegment(prev.time, p.time, perMs(prev.level), perMs(p.level)));
    }
    prev = p;
  }
  holdToEnd(segs, prev, run, opts, (p) => perMs(p.level));
  return segs;
}

function holdToEnd<P extends { time: Millis }>(
  segs: Segment[],
  last: P | undefined,
  run: RunEdges,
  opts: SeriesOptions,
  perMs: (p: P) => bigint,
): void {
  if (last === undefined || run.end === undefined) return;
  const gap = run.end - last.time;
  if (gap > 0 && gap <= opts.maxBridgeMs) segs.push(constantSegment(last.time, run.end, perMs(last)));
}

function dedupeByTime<P extends { time: Millis }>(points: readonly P[]): readonly P[] {
  // Samples are read back in time order: most series need neither a sort nor a copy.
  let ordered = true;
  for (let i = 1; i < points.length && ordered; i++) ordered = points[i - 1]!.time < points[i]!.time;
  if (ordered) return points;
  const sorted = [...points].sort((a, b) => a.time - b.time);
  return sorted.filter((p, i) => i === 0 || (sorted[i - 1] as P).time !== p.time);
}
