/**
 * An admin of every tenant reading usage and costs over two tenants that name things alike: two
 * tenants' `alice` are two people and their `prod` two clusters, so answers keep them apart (the
 * tenant becomes a group key, gaps say whose cluster) instead of adding them or printing twin rows.
 */
import { describe, expect, it } from 'vitest';
import { TWO_TENANTS_RANGE as R, twoTenantServer } from '../support/two-tenants.js';

const GAP = { start: '2026-03-02T10:01:00Z', end: '2026-03-02T10:02:00Z', reason: 'metrics API unavailable' };

describe('answers over several tenants', () => {
  const s = twoTenantServer();

  const get = async (path: string, token?: string) => {
    const r = await s().call('GET', path, token === undefined ? {} : { token });
    expect(r.status, r.text).toBe(200);
    return r;
  };

  it("keeps two tenants' alice apart in /users/{owner}/usage", async () => {
    const v = (await get(`/api/v1/users/alice/usage?${R}`)).json();
    expect(v.groupBy).toEqual(['tenant', 'owner', 'project']);
    expect(
      v.rows.map((r: Record<string, unknown>) => [r.tenant, r.owner, r.project, r.cpuCoreHours]),
    ).toEqual([
      ['acme', 'alice', 'ml', 1],
      ['globex', 'alice', 'ml', 2],
    ]);
    expect(v.gaps).toEqual([
      { cluster: 'prod', tenant: 'acme', ...GAP },
      { cluster: 'prod', tenant: 'globex', ...GAP },
    ]);
  });

  it('keeps them apart in /usage by owner, and in /costs', async () => {
    const usage = (await get(`/api/v1/usage?${R}&groupBy=owner`)).json();
    expect(usage.rows.map((r: Record<string, unknown>) => [r.tenant, r.owner, r.cpuCoreHours])).toEqual([
      ['acme', 'alice', 1],
      ['globex', 'alice', 2],
      ['globex', 'bob', 4],
    ]);
    const costs = (await get(`/api/v1/costs?${R}&groupBy=owner`)).json();
    expect(costs.groupBy).toEqual(['tenant', 'owner']);
    expect(costs.rows.map((r: Record<string, unknown>) => [r.tenant, r.owner, r.cpuCost])).toEqual([
      ['acme', 'alice', 0.031611],
      ['globex', 'alice', 0.063222],
      ['globex', 'bob', 0.126444],
    ]);
  });

  it("tells two tenants' clusters of one name apart by cluster, as JSON and CSV", async () => {
    const v = (await get(`/api/v1/costs?${R}&groupBy=cluster`)).json();
    expect(v.groupBy).toEqual(['tenant', 'cluster']);
    expect(
      v.rows.map((r: Record<string, unknown>) => [r.tenant, r.cluster, r.cpuCoreHours, r.cpuCost]),
    ).toEqual([
      ['acme', 'prod', 1, 0.031611],
      ['globex', 'prod', 2, 0.063222],
      ['globex', 'edge', 4, 0.126444],
    ]);
    const csv = (await get(`/api/v1/usage?${R}&groupBy=cluster&format=csv`)).text.split('\n');
    expect(csv[0]).toMatch(/^tenant,cluster,cpuCoreHours,/);
    expect(csv.slice(1, 4).map((l) => l.split(',').slice(0, 3).join(','))).toEqual([
      'acme,prod,1',
      'globex,prod,2',
      'globex,edge,4',
    ]);
  });

  it('says whose cluster each expense and savings entry is', async () => {
    const expenses = (await get(`/api/v1/expenses?${R}`)).json();
    expect(
      expenses.k8s_costs.k8s_cost_breakdown.map((b: Record<string, unknown>) => [
        b.tenant,
        b.cloud_account_name,
        b.cloud_account_id,
      ]),
    ).toEqual([
      ['acme', 'prod', '1'],
      ['globex', 'edge', '3'],
      ['globex', 'prod', '2'],
    ]);
    const savings = (await get('/api/v1/savings')).json();
    expect(savings.clusters.map((c: Record<string, unknown>) => [c.tenant, c.cluster])).toEqual([
      ['acme', 'prod'],
      ['globex', 'edge'],
      ['globex', 'prod'],
    ]);
    expect((await get('/api/v1/savings?format=csv')).text.split('\n')[0]).toBe(
      'cluster,tenant,currency,kind,namespace,owner,project,monthlySaving',
    );
  });

  it('answers one tenant as before: no tenant key when the scope is one tenant', async () => {
    const v = (await get(`/api/v1/users/alice/usage?${R}&tenant=globex`)).json();
    expect(v.groupBy).toEqual(['owner', 'project']);
    expect(v.rows).toMatchObject([{ owner: 'alice', project: 'ml', cpuCoreHours: 2 }]);
    expect(v.gaps).toEqual([{ cluster: 'prod', ...GAP }]);
    const edge = (await get(`/api/v1/usage?${R}&groupBy=cluster&cluster=edge`)).json();
    expect(edge.rows).toMatchObject([{ cluster: 'edge', cpuCoreHours: 4 }]);
    const token = (
      await s().call('POST', '/api/v1/tokens', { body: { role: 'viewer', tenant: 'acme' } })
    ).json().token as string;
    const viewer = (await get(`/api/v1/usage?${R}&groupBy=cluster`, token)).json();
    expect(viewer.rows).toMatchObject([{ cluster: 'prod', cpuCoreHours: 1 }]);
    expect(viewer.rows[0].tenant).toBeUndefined();
  });

  it('sums every tenant when grouped by nothing a tenant names', async () => {
    const v = (await get(`/api/v1/usage?${R}&groupBy=computeType`)).json();
    expect(v.groupBy).toEqual(['computeType']);
    expect(v.rows).toMatchObject([{ computeType: 'notebook', cpuCoreHours: 7 }]);
  });
});
