/**
 * Live views asked without saying which cluster: a tenant with none answered 404 "cluster not
 * found" (which cluster?), and a tenant with several did not say which there are.
 */
import { describe, expect, it } from 'vitest';
import { suiteServer } from './support.js';

const server = suiteServer();

describe('live views without ?cluster=', () => {
  it('says that no cluster is registered, and where to register one', async () => {
    expect((await server().call('POST', '/api/v1/tenants', { body: { name: 'acme' } })).status).toBe(201);
    for (const [path, where] of [
      ['/api/v1/live/users/alice', ''],
      ['/api/v1/live/projects/fraud-alice?tenant=acme', ' in tenant acme'],
    ] as const) {
      const r = await server().call('GET', path);
      expect([r.status, r.json().error], path).toEqual([
        404,
        {
          code: 'NOT_FOUND',
          message: `no cluster is registered${where}`,
          hint: 'register one first: POST /api/v1/clusters (kubetally cluster add)',
        },
      ]);
    }
    const unknown = await server().call('GET', '/api/v1/live/users/alice?tenant=nope');
    expect([unknown.status, unknown.json().error.message]).toEqual([404, 'tenant nope not found']);
  });

  it('names the clusters to choose from when there are several', async () => {
    for (const name of ['west', 'east']) {
      const r = await server().call('POST', '/api/v1/clusters', { body: { name, inCluster: true } });
      expect(r.status, r.text).toBe(201);
    }
    const r = await server().call('GET', '/api/v1/live/users/alice');
    expect([r.status, r.json().error]).toEqual([
      400,
      {
        code: 'INVALID_ARGUMENT',
        message: 'several clusters: say which',
        hint: 'add ?cluster=<name> (east, west)',
      },
    ]);
  });
});
