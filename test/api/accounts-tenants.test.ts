/**
 * `/accounts/{owner}` for an admin of every tenant who leaves `tenant` out, when two tenants each
 * have an `alice`: the owner's one tenant is meant when there is one; otherwise the answer asks
 * whose, rather than reading (or opening) an account in `default` that nobody's usage debits.
 */
import { describe, expect, it } from 'vitest';
import { twoTenantServer } from '../support/two-tenants.js';

describe('accounts of owners that several tenants name', () => {
  const s = twoTenantServer();

  it("reads the one tenant's account of an owner only one tenant has", async () => {
    const r = await s().call('GET', '/api/v1/accounts/bob');
    expect(r.status, r.text).toBe(200);
    expect(r.json()).toMatchObject({ tenant: 'globex', owner: 'bob', balance: -0.126444 });
  });

  it('asks whose alice, as two tenants have one', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/v1/accounts/alice', undefined],
      ['PUT', '/api/v1/accounts/alice', { externalId: 'x-1' }],
      ['POST', '/api/v1/accounts/alice/credits', { amount: 5, reason: 'top-up' }],
    ] as const) {
      const r = await s().call(method, path, body === undefined ? {} : { body });
      expect(r.status, `${method} ${path}`).toBe(400);
      expect(r.json().error).toEqual({
        code: 'INVALID_ARGUMENT',
        message: 'several tenants have an account named alice: say whose',
        hint: 'add ?tenant=<tenant> (acme, globex)',
      });
    }
    const acme = await s().call('POST', '/api/v1/accounts/alice/credits?tenant=acme', {
      body: { amount: 5, reason: 'top-up' },
    });
    expect(acme.status, acme.text).toBe(201);
    expect(acme.json().account).toMatchObject({ tenant: 'acme', owner: 'alice', balance: 4.968389 });
  });

  it('does not open an account in default for an owner no tenant has yet, and reads none (404)', async () => {
    const r = await s().call('POST', '/api/v1/accounts/carol/credits', {
      body: { amount: 5, reason: 'welcome' },
    });
    expect(r.status).toBe(400);
    expect(r.json().error).toEqual({
      code: 'INVALID_ARGUMENT',
      message: 'no tenant has an account named carol yet: say whose to open',
      hint: 'add ?tenant=<tenant> (acme, globex)',
    });
    // Reading it is no question of whose: no tenant has one, so it is 404 as with ?tenant=.
    const read = await s().call('GET', '/api/v1/accounts/carol');
    expect([read.status, read.json().error]).toEqual([
      404,
      {
        code: 'NOT_FOUND',
        message: 'no account for carol',
        hint: 'an account is created by the first top-up or the first interval that costs the owner something',
      },
    ]);
    const accounts = (await s().call('GET', '/api/v1/accounts')).json().accounts;
    expect(accounts.map((a: { tenant: string; owner: string }) => `${a.tenant}/${a.owner}`)).toEqual([
      'acme/alice',
      'globex/alice',
      'globex/bob',
    ]);
  });
});
