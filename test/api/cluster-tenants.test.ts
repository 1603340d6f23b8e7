/**
 * `/clusters/{name}` for an admin of every tenant who leaves `tenant` out: the one tenant that has
 * a cluster of that name is meant; a name two tenants have asks whose, rather than looking in
 * `default` alone and answering "not found" for a cluster that exists.
 */
import { describe, expect, it } from 'vitest';
import { twoTenantServer } from '../support/two-tenants.js';

describe('clusters named without their tenant', () => {
  const s = twoTenantServer();

  it("finds the one tenant's cluster of a name", async () => {
    const one = await s().call('GET', '/api/v1/clusters/edge');
    expect(one.status, one.text).toBe(200);
    expect(one.json()).toMatchObject({ name: 'edge', tenant: 'globex' });
    const status = await s().call('GET', '/api/v1/clusters/edge/status');
    expect(status.json()).toMatchObject({
      cluster: 'edge',
      tenant: 'globex',
      lastInterval: { start: '2026-03-02T10:00:00Z' },
    });
  });

  it('asks whose prod, as two tenants have one', async () => {
    const r = await s().call('GET', '/api/v1/clusters/prod/status');
    expect(r.status).toBe(400);
    expect(r.json().error).toEqual({
      code: 'INVALID_ARGUMENT',
      message: 'several tenants have a cluster named prod: say whose',
      hint: 'add ?tenant=<tenant> (acme, globex)',
    });
    const acme = await s().call('GET', '/api/v1/clusters/prod?tenant=acme');
    expect(acme.json()).toMatchObject({ name: 'prod', tenant: 'acme' });
  });

  it('live views name the clusters, or the tenants, to choose from', async () => {
    const which = await s().call('GET', '/api/v1/live/users/alice?tenant=globex');
    expect([which.status, which.json().error]).toEqual([
      400,
      {
        code: 'INVALID_ARGUMENT',
        message: 'several clusters: say which',
        hint: 'add ?cluster=<name> (edge, prod)',
      },
    ]);
    const whose = await s().call('GET', '/api/v1/live/projects/ml-alice?cluster=prod');
    expect(whose.json().error).toMatchObject({
      message: 'several tenants have a cluster named prod: say whose',
      hint: 'add ?tenant=<tenant> (acme, globex)',
    });
  });

  it('still answers 404 for a name no tenant has, and for another tenant of a tenant token', async () => {
    expect((await s().call('GET', '/api/v1/clusters/nope')).status).toBe(404);
    const token = (
      await s().call('POST', '/api/v1/tokens', { body: { role: 'viewer', tenant: 'acme' } })
    ).json().token as string;
    expect((await s().call('GET', '/api/v1/clusters/edge', { token })).status).toBe(404);
    expect((await s().call('GET', '/api/v1/clusters/prod', { token })).json()).toMatchObject({
      tenant: 'acme',
    });
  });
});
