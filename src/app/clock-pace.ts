/**
 * How fast each cluster's clock runs against this machine's, so that `serve`'s collector counts
 * `sampleEvery` in the cluster's time: a simulator at `--clock speed:60` would otherwise be
 * sampled once an hour of its time, every interval a gap. Real clusters run at our pace and keep
 * their period. A cluster whose first round tells a time far from ours (a simulator's clock) has
 * its second round a second after the first, to measure the pace; one that tells our time keeps
 * its period from the start (its whole round is not worth repeating for a pace it surely has).
 */
import type { CollectOutcome } from '../collector/outcome.js';

/** The shortest time between two rounds of one cluster, whatever its clock does. */
const MIN_PERIOD_MS = 1_000;
/** A clock this much faster than ours is sped up on purpose (a simulator), not drifting. */
const SPED_UP = 1.5;
/** A cluster clock this close to ours at its first round is taken to run at our pace. */
const OUR_TIME_MS = 10 * 60_000;

/** `sampleEvery` of a cluster's time on this machine's clock, for a clock `rate` times ours. */
export function localPeriod(sampleEveryMs: number, rate: number | undefined): number {
  if (rate === undefined || !(rate > SPED_UP)) return sampleEveryMs;
  return Math.max(MIN_PERIOD_MS, Math.min(sampleEveryMs, Math.round(sampleEveryMs / rate)));
}

export class ClockPace {
  private readonly seen = new Map<number, { local: number; cluster: number; rate?: number; ours?: true }>();

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
    const ours = prev === undefined ? Math.abs(cluster - localStart) < OUR_TIME_MS : prev.ours === true;
    this.seen.set(clusterId, {
      local: localStart,
      cluster,
      ...(rate === undefined ? {} : { rate }),
      ...(ours ? { ours } : {}),
    });
  }

  /** The time on this machine's clock from one round's start to the next. */
  period(clusterId: number, sampleEveryMs: number): number {
    const p = this.seen.get(clusterId);
    if (p !== undefined && p.rate === undefined && p.ours !== true) return MIN_PERIOD_MS;
    return localPeriod(sampleEveryMs, p?.rate);
  }
}
