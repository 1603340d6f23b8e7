/**
 * A cluster's context, changed with PATCH, must resolve in its stored kubeconfig as at
 * registration and on PUT .../kubeconfig: PATCH {"context": "nope"} was stored (200), and the
 * cluster could not connect from then on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { startSimulator, type SimulatorHandle } from '../../src/simulator/index.js';
import { startTestServer, type TestServer } from './support.js';

let server: TestServer;
let sim: SimulatorHandle;

beforeAll(async () => {
  server = await startTestServer();
  sim = await startSimulator({ scenario: 'demo', clock: 'manual' });
  const doc = parse(sim.kubeconfig) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  doc.contexts.push({ name: 'other', context: { ...doc.contexts[0].context } });
  const created = await server.call('POST', '/api/v1/clusters', {
    body: { name: 'sim', kubeconfig: stringify(doc) },
  });
  expect(created.status, created.text).toBe(201);
  expect(
    (await server.call('POST', '/api/v1/clusters', { body: { name: 'inside', inCluster: true } })).status,
  ).toBe(201);
});
afterAll(async () => {
  await sim?.close();
  await server?.close();
});

describe('PATCH of a cluster context', () => {
  it('refuses a context the stored kubeconfig does not have, naming the ones it has', async () => {
    const r = await server.call('PATCH', '/api/v1/clusters/sim', { body: { context: 'nope' } });
    expect([r.status, r.json()]).toEqual([
      400,
      {
        error: {
          code: 'INVALID_KUBECONFIG',
          message: 'the kubeconfig has no context named "nope"',
          hint: 'choose one of: kubetally-simulator, other',
        },
      },
    ]);
    expect((await server.call('GET', '/api/v1/clusters/sim')).json().context).toBeNull();
  });

  it('accepts one it has, and the cluster still connects', async () => {
    const r = await server.call('PATCH', '/api/v1/clusters/sim', { body: { context: 'other' } });
    expect([r.status, r.json().context]).toEqual([200, 'other']);
    expect((await server.call('POST', '/api/v1/clusters/sim/test')).json().reachable).toBe(true);
  });

  it('refuses a context for an in-cluster cluster, which has no kubeconfig', async () => {
    const r = await server.call('PATCH', '/api/v1/clusters/inside', { body: { context: 'x' } });
    expect([r.status, r.json().error.code]).toEqual([400, 'INVALID_ARGUMENT']);
    expect(r.json().error.message).toBe('cluster inside connects in-cluster: it has no kubeconfig context');
    expect((await server.call('GET', '/api/v1/clusters/inside')).json().context).toBeNull();
  });
});
