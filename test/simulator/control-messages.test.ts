/**
 * `/sim/clock` and `/sim/truth` name the mistake in a request. A number for advance, an unknown
 * field or both fields all read "send exactly one of ...", although one was sent; a truth span with
 * from = to said "swap them", which gives the same empty span; one ending thousands of years on
 * failed with a 500 (the random walks' memory), now a 400 naming the limit the clock has.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from './support.js';

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual', plainHttp: true });
});
afterAll(() => sim?.stop());

const ONE_OF = 'send exactly one of {"advance": "60s"} or {"to": "2026-01-01T00:00:00Z"}';

describe('/sim/clock bad requests', () => {
  it.each([
    [{ advance: 60 }, 'advance must be a duration in a string, such as "60s" or "1h30m" (got 60)'],
    [{ to: 12 }, 'to must be a time in a string, such as "2026-01-01T00:00:00Z", "now" or "+2h" (got 12)'],
    [
      { to: null },
      'to must be a time in a string, such as "2026-01-01T00:00:00Z", "now" or "+2h" (got null)',
    ],
    [{ advance: '1h', extra: 1 }, `unknown field "extra": ${ONE_OF}`],
    [{ advance: '1h', to: 'now' }, `advance and to were both sent: ${ONE_OF}`],
    [{}, ONE_OF],
    [[], ONE_OF],
  ])('answers %j with a 400 naming the mistake', async (body, hint) => {
    const before = (await sim.call('/sim/clock')).json().now;
    const r = await sim.call('/sim/clock', { method: 'POST', body });
    expect([r.status, r.json().message]).toEqual([400, `invalid clock request: ${hint}`]);
    expect((await sim.call('/sim/clock')).json().now).toBe(before);
  });
});

describe('/sim/truth spans', () => {
  it('says an empty span is empty', async () => {
    const r = await sim.call('/sim/truth?from=2026-11-01T01:00:00Z&to=2026-11-01T02:00:00%2B01:00');
    expect([r.status, r.json().message]).toEqual([
      400,
      'from and to are the same instant (2026-11-01T01:00:00Z): the span [from, to) is empty: give a to after from',
    ]);
  });

  it('refuses a span ending past the 100 years the simulator models, as the clock does', async () => {
    const r = await sim.call('/sim/truth?from=2026-11-01T00:00:00Z&to=9999-12-31T00:00:00Z');
    expect([r.status, r.json().message]).toEqual([
      400,
      "to (9999-12-31T00:00:00Z) is past 2126-11-01T00:00:00Z, 100 years after the scenario's start (2026-11-01T00:00:00Z): the simulator models the time from its start on; ask for a span that ends by then",
    ]);
    const last = await sim.call('/sim/truth?from=2126-10-31T00:00:00Z&to=2126-11-01T00:00:00Z');
    expect(last.status).toBe(200);
  });

  it('still asks to swap a reversed span', async () => {
    const r = await sim.call('/sim/truth?from=2026-11-01T02:00:00Z&to=2026-11-01T01:00:00Z');
    expect([r.status, r.json().message]).toEqual([
      400,
      'from (2026-11-01T02:00:00Z) must be before to (2026-11-01T01:00:00Z): swap them',
    ]);
  });
});
