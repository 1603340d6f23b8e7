/**
 * A cluster whose clock goes back (an API server's time corrected by minutes, a simulator's clock
 * set back): the samples taken until its time passes the newest stored one again are not stored,
 * so nothing lands among samples already taken, some already integrated, and nothing is counted
 * twice. The ledger is the one an uninterrupted collector writes.
 */
import { afterAll, expect, it } from 'vitest';
import type { CollectOutcome } from '../../src/collector/outcome.js';
import { startRig, type Rig } from '../support/collection.js';

const MIN = 60_000;
const INTERVAL = 15 * MIN;
const rigs: Rig[] = [];
afterAll(async () => Promise.all(rigs.map((r) => r.close())));

async function collect(jumpBack: boolean) {
  const rig = await startRig({ scenario: 'demo' });
  rigs.push(rig);
  const begin = Math.ceil(rig.sim.clock.now() / INTERVAL) * INTERVAL;
  rig.sim.clock.set(begin);
  const outcomes: CollectOutcome[] = [];
  await rig.collectUntil(begin + 40 * MIN, MIN);
  // Back 10 minutes, into the interval from 00:30 that is still open.
  if (jumpBack) rig.sim.clock.set(begin + 30 * MIN);
  await rig.collectUntil(begin + 92 * MIN, MIN, (o) => outcomes.push(o));
  const runs = (await rig.ctx.store.recentRuns(rig.cluster.id, 100)).map((r) => [
    r.intervalStart - begin,
    r.status,
    r.coverage,
  ]);
  const usage = (
    await rig.ctx.store.queryUsage({
      from: begin,
      to: begin + 90 * MIN,
      groupBy: ['owner'],
      step: 'interval',
    })
  ).map((r) => ({ ...r, start: (r.start ?? 0) - begin }));
  return { begin, outcomes, runs, usage };
}

it('stores nothing until the time passes the newest sample again; the ledger is unchanged', async () => {
  const jumped = await collect(true);
  const behind = jumped.outcomes.filter((o) => o.clockBehind !== undefined);
  // 00:30 … 00:39 are before the newest sample (00:40); 00:40 itself is taken again.
  expect(behind.map((o) => Date.parse(o.clusterTime) - jumped.begin)).toEqual(
    Array.from({ length: 10 }, (_, i) => (30 + i) * MIN),
  );
  expect(
    behind.every(
      (o) => o.clockBehind === new Date(jumped.begin + 40 * MIN).toISOString().replace('.000', ''),
    ),
  ).toBe(true);
  expect(behind.every((o) => o.observations === 0 && o.intervals.length === 0)).toBe(true);
  const straight = await collect(false);
  expect(jumped.runs).toHaveLength(6);
  expect(jumped.runs.every(([, status, coverage]) => status === 'complete' && coverage === 1)).toBe(true);
  expect(jumped.runs).toEqual(straight.runs);
  expect(jumped.usage.length).toBeGreaterThan(6);
  expect(jumped.usage).toEqual(straight.usage);
}, 240_000);
