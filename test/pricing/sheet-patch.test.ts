/**
 * A price change through the API (PATCH /clusters/{name} {pricing}) keeps what it does not name,
 * inside the price maps too: changing one instance type's price used to drop every other node
 * price, whose nodes then fell back to resource prices. The answer shows the sheet recorded (it
 * used to show the cluster alone, `"pricing": {}` and no price, as if nothing had changed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../api/support.js';

describe('a price change merges node and storage class prices entry by entry', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s?.close());

  it('changes, adds and removes only the entries named', async () => {
    const created = await s.call('POST', '/api/v1/clusters', {
      body: {
        name: 'prod',
        inCluster: true,
        pricing: {
          currency: 'EUR',
          nodes: { 'm5.large': { hour: '0.096' }, 'm5.xlarge': { hour: '0.192', spotHour: '0.07' } },
          storageClasses: { gp3: '0.08', io2: '0.125' },
        },
      },
    });
    expect(created.status).toBe(201);
    const patched = await s.call('PATCH', '/api/v1/clusters/prod', {
      body: {
        pricing: {
          effectiveFrom: '2026-07-01',
          nodes: {
            'm5.large': { hour: '0.1' },
            'm5.xlarge': { spotHour: null },
            'c5.large': { hour: '0.085' },
          },
          storageClasses: { io2: null, st1: '0.045' },
        },
      },
    });
    expect(patched.status).toBe(200);
    expect(patched.json().priceSheet).toMatchObject({
      id: 1,
      currency: 'EUR',
      effectiveFrom: '2026-07-01T00:00:00Z',
      nodes: { 'm5.large': { hour: '0.1' }, 'm5.xlarge': { hour: '0.192' }, 'c5.large': { hour: '0.085' } },
      storageClasses: { gp3: '0.08', st1: '0.045' },
    });
    const sheet = (await s.call('GET', '/api/v1/clusters/prod')).json().priceSheet;
    expect(sheet).toMatchObject({
      currency: 'EUR',
      effectiveFrom: '2026-07-01T00:00:00Z',
      nodes: { 'm5.large': { hour: '0.1' }, 'm5.xlarge': { hour: '0.192' }, 'c5.large': { hour: '0.085' } },
      storageClasses: { gp3: '0.08', st1: '0.045' },
    });
    expect(Object.keys(sheet.nodes).sort()).toEqual(['c5.large', 'm5.large', 'm5.xlarge']);
    expect(sheet.nodes['m5.xlarge']).toEqual({ hour: '0.192' });
    const renamed = await s.call('PATCH', '/api/v1/clusters/prod', { body: { context: undefined } });
    expect(renamed.json().priceSheet).toBeUndefined();
  });
});
