/**
 * `POST /sim/clock` may not put the clock more than 100 years past the scenario's start: the
 * simulator integrates usage profiles from the start, and a clock put 99999999 days ahead grew it
 * to the heap limit and killed it (with every cluster it served). The answer is a 400 that names
 * the limit, and the clock stays where it was.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from './support.js';

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual', plainHttp: true });
});
afterAll(() => sim?.stop());

const move = (body: unknown) => sim.call('/sim/clock', { method: 'POST', body });

describe('/sim/clock bounds', () => {
  it('refuses an advance past the limit with 400 naming it, and keeps the clock', async () => {
    const before = (await sim.call('/sim/clock')).json().now;
    const r = await move({ advance: '99999999d' });
    expect(r.status).toBe(400);
    expect(r.json()).toMatchObject({
      kind: 'Status',
      code: 400,
      reason: 'BadRequest',
      message:
        "the clock may not go past 2126-11-01T00:00:00Z, 100 years after the scenario's start (2026-11-01T00:00:00Z): the simulator models the time from its start on; move it less far, or give the scenario a later start",
    });
    expect((await sim.call('/sim/clock')).json().now).toBe(before);
  });

  it('refuses a "to" past the limit the same way', async () => {
    const r = await move({ to: '9999-12-31T00:00:00Z' });
    expect([r.status, r.json().message]).toEqual([
      400,
      expect.stringMatching(/^the clock may not go past 2126-11-01T00:00:00Z/),
    ]);
  });

  it('takes a move up to the limit, and the cluster still answers', async () => {
    const r = await move({ to: '2126-11-01T00:00:00Z' });
    expect([r.status, r.json()]).toEqual([200, { now: '2126-11-01T00:00:00Z' }]);
    expect((await sim.call('/apis/metrics.k8s.io/v1beta1/pods')).status).toBe(200);
  });
});
