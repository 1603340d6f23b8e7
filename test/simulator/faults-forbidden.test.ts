/**
 * `POST /sim/faults {"forbidden": [...]}` takes only what the simulator serves (RBAC notation,
 * optionally after a verb). A misspelt entry (`pod`, `node/proxy`) was kept and denied nothing,
 * so a test expecting a 403 ran against a cluster that never refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSimulator, type TestSimulator } from './support.js';

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual', plainHttp: true });
});
afterAll(() => sim?.stop());

const setFaults = (body: unknown) => sim.call('/sim/faults', { method: 'POST', body });

describe('/sim/faults forbidden', () => {
  it.each([
    ['pod', 0],
    ['node/proxy', 1],
    ['delete pods', 1],
  ])('refuses %j with a 400 naming it, and keeps the faults', async (entry, i) => {
    const list = i === 0 ? [entry] : ['pods', entry];
    const r = await setFaults({ forbidden: list });
    expect(r.status).toBe(400);
    expect(r.json().message).toBe(
      `invalid faults (forbidden.${i}): "${entry}" is not a resource the simulator serves: name one of pods, nodes, namespaces, persistentvolumeclaims, persistentvolumes, services, nodes/proxy, pods.metrics.k8s.io, nodes.metrics.k8s.io, leases.coordination.k8s.io; optionally after a verb (get, list, watch), as "watch pods"`,
    );
    expect((await sim.call('/sim/faults')).json().forbidden).toEqual([]);
  });

  it('takes every resource it serves, with or without a verb, and denies them', async () => {
    const list = ['list pods', 'nodes.metrics.k8s.io', 'leases.coordination.k8s.io', 'services'];
    expect((await setFaults({ forbidden: list })).json().forbidden).toEqual(list);
    expect((await sim.call('/api/v1/pods')).status).toBe(403);
    expect((await sim.call('/apis/metrics.k8s.io/v1beta1/nodes')).status).toBe(403);
    expect((await sim.call('/api/v1/services')).status).toBe(403);
    await sim.call('/sim/faults', { method: 'DELETE' });
  });
});
