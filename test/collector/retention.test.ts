/**
 * Raw samples are cleaned up 30 minutes (rawRetention) after their interval closed, but never
 * before the next interval has read them: its window reaches back before its start, and its
 * inventory deltas build on a full inventory taken earlier. With hour-long intervals, or a
 * retention shorter than the window, a cleanup by retention alone left each interval without its
 * first minutes (a gap) and without the inventories those minutes decode from.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startRig, type Rig } from '../support/collection.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const rigs: Rig[] = [];
afterEach(async () => {
  await Promise.all(rigs.splice(0).map((r) => r.close()));
});

/** Collects `span` from just before an hour boundary; returns the runs and the usage per owner and interval. */
async function collect(collection: Record<string, unknown>, span: number) {
  const rig = await startRig({ scenario: 'demo', collection });
  rigs.push(rig);
  const begin = Math.ceil(rig.sim.clock.now() / HOUR) * HOUR;
  // Samples 13 s past each minute: an interval's first minute is bridged from the sample before it.
  rig.sim.clock.set(begin - 47_000);
  await rig.collectUntil(begin + span + 2 * MIN, MIN);
  const runs = (await rig.ctx.store.recentRuns(rig.cluster.id, 100))
    .filter((r) => r.intervalStart >= begin && r.intervalStart < begin + span)
    .map((r) => ({ start: r.intervalStart - begin, status: r.status, coverage: r.coverage }));
  const gaps = await rig.ctx.store.listGaps({ from: begin, to: begin + span });
  const usage = (
    await rig.ctx.store.queryUsage({ from: begin, to: begin + span, groupBy: ['owner'], step: 'interval' })
  ).map((r) => ({ ...r, start: (r.start ?? 0) - begin }));
  return { runs, gaps, usage };
}

describe.each([
  { name: 'hour-long intervals', collection: { interval: '1h' }, interval: HOUR, span: 2 * HOUR },
  { name: 'a one-minute retention', collection: { rawRetention: '1m' }, interval: 15 * MIN, span: HOUR },
])('with $name', ({ collection, interval, span }) => {
  it('every interval is whole, and the ledger the same as without any cleanup', async () => {
    const cleaned = await collect(collection, span);
    expect(cleaned.runs).toHaveLength(span / interval);
    expect(cleaned.runs.map((r) => [r.status, r.coverage])).toEqual(cleaned.runs.map(() => ['complete', 1]));
    expect(cleaned.gaps).toEqual([]);
    const kept = await collect({ ...collection, rawRetention: '30d' }, span);
    expect(cleaned.usage.length).toBeGreaterThan(span / interval);
    expect(cleaned.usage).toEqual(kept.usage);
  }, 240_000);
});
