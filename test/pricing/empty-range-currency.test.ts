/**
 * The currency of a costs answer whose range holds no interval yet comes from the clusters'
 * sheets. Where those name different currencies (two tenants, USD and EUR), there is no one
 * currency to name: the answer says null, as its schema and /expenses say, where it used to say
 * USD, which an EUR tenant's zero was not.
 */
import { describe, expect, it } from 'vitest';
import { suiteServer } from '../api/support.js';

const RANGE = 'from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z';

describe('the currency of an empty costs answer', () => {
  const server = suiteServer();

  it('is null over clusters that price in different currencies, and theirs over one', async () => {
    const s = server();
    expect((await s.call('POST', '/api/v1/tenants', { body: { name: 'acme' } })).status).toBe(201);
    for (const body of [
      { name: 'us', inCluster: true },
      { name: 'eu', tenant: 'acme', inCluster: true, pricing: { currency: 'EUR' } },
    ]) {
      const r = await s.call('POST', '/api/v1/clusters', { body });
      expect(r.status, r.text).toBe(201);
    }
    const currency = async (query: string) =>
      (await s.call('GET', `/api/v1/costs?${RANGE}${query}`)).json().currency;
    expect(await currency('')).toBeNull();
    expect(await currency('&tenant=acme')).toBe('EUR');
    expect(await currency('&tenant=default')).toBe('USD');
    expect((await s.call('GET', `/api/v1/expenses?${RANGE}`)).json().currency).toBeNull();
  });
});
