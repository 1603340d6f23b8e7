/**
 * A cluster registered for a plain-http API server (`collection.allowInsecureHttp`): a merge patch
 * that resets the collection settings (`"collection": null`) dropped it with the rest, and the
 * cluster could not be reached from then on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type SimulatorHandle } from '../../src/simulator/index.js';
import { startTestServer, type TestServer } from './support.js';

let server: TestServer;
let sim: SimulatorHandle;

beforeAll(async () => {
  server = await startTestServer();
  sim = await startSimulator({ scenario: 'demo', clock: 'manual', plainHttp: true });
  const created = await server.call('POST', '/api/v1/clusters', {
    body: { name: 'plain', kubeconfig: sim.kubeconfig, collection: { allowInsecureHttp: true, shards: 2 } },
  });
  expect(created.status, created.text).toBe(201);
});
afterAll(async () => {
  await sim?.close();
  await server?.close();
});

describe('resetting the collection settings of a plain-http cluster', () => {
  it('keeps allowInsecureHttp, and the cluster still connects', async () => {
    const r = await server.call('PATCH', '/api/v1/clusters/plain', {
      raw: '{"collection": null}',
      contentType: 'application/merge-patch+json',
    });
    expect([r.status, r.json().collection], r.text).toEqual([200, { allowInsecureHttp: true }]);
    const test = await server.call('POST', '/api/v1/clusters/plain/test');
    expect([test.status, test.json().reachable, test.json().error], test.text).toEqual([
      200,
      true,
      undefined,
    ]);
  });

  it('drops it only when the patch names it', async () => {
    const r = await server.call('PATCH', '/api/v1/clusters/plain', {
      body: { collection: { allowInsecureHttp: null } },
    });
    expect([r.status, r.json().collection], r.text).toEqual([200, {}]);
    const test = await server.call('POST', '/api/v1/clusters/plain/test');
    expect([test.status, test.json().error.code]).toEqual([400, 'INVALID_KUBECONFIG']);
  });
});
