/**
 * A cluster registered in the middle of an interval: its first interval has no sample before the
 * registration, which is the time before collection began, not an outage, and says so.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, type Rig } from '../support/collection.js';

const MIN = 60_000;
let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ scenario: 'demo' });
  // Seven minutes into an interval before the first sample.
  const begin = Math.floor(rig.sim.clock.now() / (15 * MIN)) * 15 * MIN + 7 * MIN;
  rig.sim.clock.set(begin);
  await rig.collectUntil(begin + 25 * MIN, MIN);
}, 120_000);
afterAll(() => rig?.close());

describe('the first interval of a cluster', () => {
  it('calls the time before the first sample what it is', async () => {
    const first = Math.floor(rig.sim.clock.now() / (15 * MIN)) * 15 * MIN - 30 * MIN;
    const gaps = await rig.ctx.store.listGaps({ from: first, to: rig.sim.clock.now() });
    expect(gaps).toHaveLength(1); // one, whatever the number of sources
    for (const g of gaps) {
      expect(g.start).toBe(first);
      expect(g.end).toBe(first + 7 * MIN);
      expect(g.reason).toMatch(/^before collection began \(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z\)$/);
    }
    // The next interval, fully sampled, has none.
    const later = await rig.ctx.store.listGaps({ from: first + 15 * MIN, to: rig.sim.clock.now() });
    expect(later.filter((g) => g.start >= first + 15 * MIN)).toEqual([]);
  });

  it('charges the management fee from the first sample: 8 of 15 minutes at 0.10 an hour, then whole', async () => {
    const rows = await rig.ctx.db.query<{ m: unknown }>(
      'SELECT management_cost_micros AS m FROM interval_costs ORDER BY interval_start',
    );
    expect(rows.map((r) => BigInt(String(r.m)))).toEqual([13_333n, 25_000n]);
  });
});
