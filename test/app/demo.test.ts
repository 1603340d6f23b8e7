/**
 * `serve --demo`'s history: a day of the demo filled on a given clock, then the collector going
 * on at the live period as `serve`'s loop does. The fill must hand over without a gap: the
 * interval that was current when the fill ended closes complete. A later start fills only from
 * where the earlier one left the ledger.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectNow } from '../../src/app/collect.js';
import { openApp, type AppContext } from '../../src/app/context.js';
import { startDemo, type Demo } from '../../src/app/demo.js';
import { TEST_KEY } from '../support/collection.js';

const MIN = 60_000;
// Seven minutes into an interval, as a start usually is.
let now = Date.parse('2026-03-02T10:07:30Z');
let ctx: AppContext;
let demo: Demo;

describe('the demo history', () => {
  beforeAll(async () => {
    ctx = await openApp({ database: 'memory://', env: { KUBETALLY_ENCRYPTION_KEY: TEST_KEY } });
    // A clock that moves on (a millisecond at each look), as the real one does while the fill runs.
    let ticks = 0;
    demo = await startDemo(ctx, { days: 1, now: () => now + ticks++ });
    await demo.ready;
  }, 120_000);

  afterAll(async () => {
    await demo?.stop();
    await ctx?.close();
  });

  it('fills the day and joins the live period without a gap', async () => {
    // The collector goes on every minute of real time (the simulator follows `now`).
    for (let i = 0; i < 12; i++) {
      now += MIN;
      demo.sim.clock.set(now);
      await collectNow(ctx, demo.cluster);
    }
    const last = await ctx.store.lastClosedInterval(demo.cluster.id);
    expect(last?.intervalEnd).toBe(Date.parse('2026-03-02T10:15:00Z'));
    expect(last?.status).toBe('complete');
    const from = Date.parse('2026-03-01T10:00:00Z');
    expect(await ctx.store.listGaps({ from, to: now })).toEqual([]);
    expect(demo.fillFrom).toBe(from); // what serve prints as the start of the fill
  });

  it('starts again from where the last run left the ledger, not a whole period back', async () => {
    const last = await ctx.store.lastClosedInterval(demo.cluster.id);
    await demo.stop();
    now += 30 * MIN;
    demo = await startDemo(ctx, { days: 1, now: () => now });
    expect(demo.fillFrom).toBe(last!.intervalEnd);
    await demo.ready;
  }, 120_000);
});
