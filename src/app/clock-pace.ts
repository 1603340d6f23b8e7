/**
 * How fast each cluster's clock runs against this machine's, so that `serve`'s collector counts
 * `sampleEvery` in the cluster's time: a simulator at `--clock speed:60` would otherwise be
 * sampled once an hour of its time, every interval a gap. Real clusters run at our pace and keep
 * their period; a cluster's second round comes a second after its first, to measure the pace.
 */
import type { CollectOutcome } from '../collector/outcome.js';

/** The shortest time between two rounds of one cluster, whatever its clock does. */
const MIN_PERIOD_MS = 1_000;
/** A clock this much faster than ours is sped up on purpose (a simulator), not drifting. */
const SPED_UP = 1.5;

/** `sampleEvery` of a cluster's time on this machine's clock, for a clock `rate` times ours. */
export function localPeriod(sampleEveryMs: number, rate: number | undefined): number {
  if (rate === undefined || !(rate > SPED_UP)) return sampleEveryMs;
  return Math.max(MIN_PERIOD_MS, Math.min(sampleEveryMs, Math.round(sampleEveryMs / rate)));
}

export class ClockPace {
  private readonly seen = new Map<number, { local: number; cluster: number; rate?: number }>();

  /** A round of the cluster that started at `localStart` (this machine's clock) told its time. */
  record(clusterId: number, localStart: number, outcome: CollectOutcome): void {
    if (outcome.clusterTimeEstimated === true || outcome.skipped === true) return;
    const cluster = Date.parse(outcome.clusterTime);
    const prev = this.seen.get(clusterId);
    // Less a second: the API server's Date counts whole seconds.
    const rate =
      prev !== undefined && localStart > prev.local
        ? (cluster - prev.cluster - 1_000) / (localStart - prev.local)
        : undefined;
    this.seen.set(clusterId, { local: localStart, cluster, ...(rate === undefined ? {} : { rate }) });
  }

  /** The time on this machine's clock from one round's start to the next. */
  period(clusterId: number, sampleEveryMs: number): number {
    const p = this.seen.get(clusterId);
    if (p !== undefined && p.rate === undefined) return MIN_PERIOD_MS;
    return localPeriod(sampleEveryMs, p?.rate);
  }
}
