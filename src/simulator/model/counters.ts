/**
 * Integer counters as a kubelet reports them: cumulative CPU core-nanoseconds since the
 * container's current start, working-set bytes at an instant, network bytes since the pod's start.
 */
import type { Millis } from '../../domain/duration.js';
import { segments, type PodRun, type Segment } from './lifecycle.js';
import { containerValue, podIntegral, sinceSegmentStart, type Sim } from './usage.js';

/** The segment of container `c` running at `t` (start ≤ t < end). */
export function currentSegment(run: PodRun, c: number, t: Millis): Segment | undefined {
  return segments(run, c).find((s) => s.start <= t && t < s.end);
}

/** usageCoreNanoSeconds of container `c` at `t` within segment `seg` (integer, floored). */
export function cpuCounter(sim: Sim, run: PodRun, c: number, seg: Segment, t: Millis): bigint {
  return BigInt(Math.floor(sinceSegmentStart(sim, run, c, 'cpu', seg, t) * 1e9));
}

/** Working-set bytes of container `c` at `t` (integer, floored). */
export function memoryBytes(sim: Sim, run: PodRun, c: number, t: Millis): number {
  return Math.floor(containerValue(sim, run, c, 'memory', t));
}

/** Pod network counters (bytes since the pod started running) at `t`. */
export function networkCounters(sim: Sim, run: PodRun, t: Millis): { txBytes: number; rxBytes: number } {
  return {
    txBytes: Math.floor(podIntegral(sim, run, 'tx', run.running, t)),
    rxBytes: Math.floor(podIntegral(sim, run, 'rx', run.running, t)),
  };
}
