/**
 * Account requests a user gets wrong: an unknown tenant is named (it was a 500 from the failed
 * insert), `__idle__`/`__unowned__` cannot be given settings, as they cannot be credited, and a
 * low-balance threshold past what a balance holds is refused (it was a 500: numeric overflow), and
 * an owner with a control character, which no label value holds, is refused (a token was made).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support.js';

describe('account inputs', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s?.close());

  const noTenant = {
    code: 'NOT_FOUND',
    message: 'tenant nope does not exist',
    hint: 'check the tenant name, or create the tenant first: POST /api/v1/tenants {"name": "..."}',
  };

  it('a top-up or settings for an account of a tenant that does not exist', async () => {
    const top = await s.call('POST', '/api/v1/accounts/alice/credits?tenant=nope', {
      body: { amount: '5', reason: 'invoice 1' },
    });
    expect([top.status, top.json().error]).toEqual([404, noTenant]);
    const put = await s.call('PUT', '/api/v1/accounts/alice?tenant=nope', { body: { externalId: 'u-1' } });
    expect([put.status, put.json().error]).toEqual([404, noTenant]);
  });

  it('no account for the shares no owner pays', async () => {
    for (const owner of ['__idle__', '__unowned__']) {
      const r = await s.call('PUT', `/api/v1/accounts/${owner}`, { body: { externalId: 'x' } });
      expect(r.status).toBe(400);
      expect(r.json().error.message).toBe(
        `${owner} is not an account: it is the share of the cost no owner pays`,
      );
    }
    expect((await s.call('GET', '/api/v1/accounts')).json().accounts).toEqual([]);
  });

  it('a low-balance threshold is bounded as a credit is', async () => {
    for (const lowBalance of [1e308, '1e40', '1000000000000.000001']) {
      const r = await s.call('PUT', '/api/v1/accounts/alice', { body: { lowBalance } });
      expect([r.status, r.json().error], r.text).toEqual([
        400,
        {
          code: 'INVALID_ARGUMENT',
          message: 'lowBalance may be at most 1 000 000 000 000',
          hint: 'give the threshold in the price sheet currency, with up to six decimals, or null for none',
        },
      ]);
    }
    const top = await s.call('PUT', '/api/v1/accounts/alice', { body: { lowBalance: '1000000000000' } });
    expect([top.status, top.json().lowBalanceThreshold]).toEqual([200, 1e12]);
  });

  it('no account, and no token, for an owner with a control character', async () => {
    const refused = (owner: string) => ({
      code: 'INVALID_ARGUMENT',
      message: `${JSON.stringify(owner)} is not an owner name: it has a control character`,
      hint: 'give the owner as attribution names it (kubetally usage --by owner lists them)',
    });
    for (const owner of ['a\nb', 'a\u0001b', 'al\tice', 'bob\u0085']) {
      const token = await s.call('POST', '/api/v1/tokens', {
        body: { role: 'user', tenant: 'default', owner },
      });
      expect([token.status, token.json().error]).toEqual([400, refused(owner)]);
      const path = `/api/v1/accounts/${encodeURIComponent(owner)}`;
      const credit = await s.call('POST', `${path}/credits`, { body: { amount: '5', reason: 'x' } });
      expect([credit.status, credit.json().error]).toEqual([400, refused(owner)]);
      const put = await s.call('PUT', path, { body: { externalId: 'u-2' } });
      expect([put.status, put.json().error]).toEqual([400, refused(owner)]);
    }
  });
});
