/**
 * A cluster registered for a plain-http API server (`collection.allowInsecureHttp`): a merge patch
 * that resets the collection settings (`"collection": null`) dropped it with the rest, and the
 * cluster could not be reached from then on. Dropping it by name (`null`, or `false`) is refused
 * while the stored server is http://: the cluster would be cut off just the same.
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

  it.each([
    ['null', null],
    ['false', false],
  ] as const)(
    'refuses to drop it (%s) while the stored server is http://, naming the problem and the fix',
    async (_, value) => {
      const r = await server.call('PATCH', '/api/v1/clusters/plain', {
        body: { collection: { allowInsecureHttp: value } },
      });
      expect([r.status, r.json()]).toEqual([
        400,
        {
          error: {
            code: 'INVALID_ARGUMENT',
            message: `cluster plain is reached over plain http (${sim.url}): without collection.allowInsecureHttp it could no longer be collected`,
            hint: 'keep allowInsecureHttp: true (leave it out of the patch); to drop it, first upload a kubeconfig with the https:// address of the API server: PUT /api/v1/clusters/plain/kubeconfig?tenant=default',
          },
        },
      ]);
      const kept = await server.call('GET', '/api/v1/clusters/plain');
      expect(kept.json().collection).toEqual({ allowInsecureHttp: true });
    },
  );

  it('drops it once the cluster is reached over https', async () => {
    const https = await startSimulator({ scenario: 'demo', clock: 'manual' });
    try {
      const put = await server.call('PUT', '/api/v1/clusters/plain/kubeconfig', {
        body: { kubeconfig: https.kubeconfig },
      });
      expect(put.status, put.text).toBe(200);
      const r = await server.call('PATCH', '/api/v1/clusters/plain', {
        body: { collection: { allowInsecureHttp: null } },
      });
      expect([r.status, r.json().collection], r.text).toEqual([200, {}]);
    } finally {
      await https.close();
    }
  });
});
