/**
 * The kubelet Summary API of a clock put before the scenario's start: its counters are uint64
 * in a real kubelet, so they read zero, never negative. An hour before the start a node read
 * usageCoreNanoSeconds -360000000000 (its system usage integrated backwards), a value no
 * client can decode as the uint64 it is typed as.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseScenario } from '../../src/simulator/model/index.js';
import { startTestSimulator, type TestSimulator } from './support.js';

const SCENARIO = `name: early
start: 2026-03-01T00:00:00Z
nodes: [{ name: n1, capacity: { cpu: '4', memory: 8Gi }, systemUsage: { cpu: 100m, memory: 600Mi } }]
pods: [{ name: p, containers: [{ name: c, usage: { cpu: 250m, networkTx: 1k } }] }]
`;

let sim: TestSimulator;
beforeAll(async () => {
  sim = await startTestSimulator({ scenario: parseScenario(SCENARIO), clock: 'manual', plainHttp: true });
});
afterAll(() => sim?.stop());

const summary = async () => (await sim.call('/api/v1/nodes/n1/proxy/stats/summary')).json().node;

describe('Summary API before the scenario starts', () => {
  it('reads the node counters as zero an hour before the start', async () => {
    const moved = await sim.call('/sim/clock', { method: 'POST', body: { to: '2026-02-28T23:00:00Z' } });
    expect(moved.json()).toEqual({ now: '2026-02-28T23:00:00Z' });
    const node = await summary();
    expect(node.cpu).toEqual({ time: '2026-02-28T23:00:00Z', usageNanoCores: 0, usageCoreNanoSeconds: 0 });
    expect([node.network.rxBytes, node.network.txBytes]).toEqual([0, 0]);
  });

  it('counts from the start once the clock passes it', async () => {
    await sim.call('/sim/clock', { method: 'POST', body: { to: '2026-03-01T00:01:00Z' } });
    const node = await summary();
    // 60 s of system usage (100m) and 55 s of the pod (250m, running after 5 s pending).
    expect(node.cpu.usageCoreNanoSeconds).toBe(6_000_000_000 + 13_750_000_000);
    expect(node.network.txBytes).toBe(55_000);
  });
});
