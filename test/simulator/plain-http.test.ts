/**
 * The simulator over plain http (`--plain-http`): kubectl sends no credentials without TLS, so
 * requests that carry none may read the Kubernetes API there; a wrong token and the /sim control
 * endpoints still need the real one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, kubectl, startTestSimulator, type TestSimulator } from './support.js';

let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual', plainHttp: true });
  sim.clock.advance(3_600_000);
});
afterAll(() => sim?.stop());

describe('the simulator over plain http', () => {
  it.skipIf(!hasKubectl)('serves kubectl, which sends no token over http', async () => {
    const r = await kubectl(sim, ['get', 'pods', '-A', '-o', 'name']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n').length).toBe(sim.world.list('pods', sim.clock.now()).length);
  });

  it('refuses a wrong token, and /sim without the token', async () => {
    const url = sim.url;
    expect((await fetch(`${url}/api/v1/pods`)).status).toBe(200);
    expect((await fetch(`${url}/api/v1/pods`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(
      401,
    );
    expect((await fetch(`${url}/sim/truth`)).status).toBe(401);
    expect(
      (await fetch(`${url}/sim/clock`, { headers: { authorization: `Bearer ${sim.token}` } })).status,
    ).toBe(200);
  });
});
