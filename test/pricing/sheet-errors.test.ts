/**
 * Price sheets a user gets wrong, through the API: each is refused with 400, a message naming the
 * field and the problem, and a hint with the fix; nothing is registered or changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../api/support.js';

describe('price sheets refused with the problem and the fix', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s?.close());

  const register = (name: string, pricing: unknown) =>
    s.call('POST', '/api/v1/clusters', { body: { name, inCluster: true, pricing } });

  it('an unknown currency code, and one in lower case, naming what was meant', async () => {
    const xyz = await register('a', { currency: 'XYZ', cpuCoreHour: '-1' });
    expect(xyz.status).toBe(400);
    expect(xyz.json().error.message).toBe(
      'invalid price sheet: currency: "XYZ" is not an ISO 4217 currency code (e.g. USD, EUR, GBP, JPY); cpuCoreHour: must not be negative (got -1)',
    );
    const lower = await register('a', { currency: 'eur' });
    expect(lower.status).toBe(400);
    expect(lower.json().error.message).toBe(
      'invalid price sheet: currency: "eur" is not written as ISO 4217 writes it: use EUR',
    );
    expect((await s.call('GET', '/api/v1/clusters/a')).status).toBe(404);
  });

  it('an unknown currency in a later sheet', async () => {
    expect((await register('b', { currency: 'EUR' })).status).toBe(201);
    const r = await s.call('PATCH', '/api/v1/clusters/b', {
      body: { pricing: { currency: 'EUD', effectiveFrom: '2026-07-01' } },
    });
    expect(r.status).toBe(400);
    expect(r.json().error.message).toBe(
      'invalid price sheet: currency: "EUD" is not an ISO 4217 currency code (e.g. USD, EUR, GBP, JPY)',
    );
    const sheet = (await s.call('GET', '/api/v1/clusters/b')).json().priceSheet;
    expect(sheet.currency).toBe('EUR');
  });

  it('an effectiveFrom at registration, which used to be dropped without a word', async () => {
    const r = await register('c', { currency: 'EUR', cpuCoreHour: '0.05', effectiveFrom: '2026-07-01' });
    expect(r.status).toBe(400);
    expect(r.json().error).toEqual({
      code: 'INVALID_ARGUMENT',
      message:
        'invalid price sheet: effectiveFrom: a cluster is registered with the sheet that prices it from its first interval on',
      hint: 'leave effectiveFrom out; to change prices from a later time, set a new sheet once the cluster is registered: PATCH /api/v1/clusters/c {"pricing": {"effectiveFrom": "2026-07-01", ...}}',
    });
    expect((await s.call('GET', '/api/v1/clusters/c')).status).toBe(404);
  });
});
