/**
 * GET /api/v1/clusters/{name} shows the sheet that prices the cluster's next interval, in the
 * cluster's time (SPEC §7), not this machine's: a cluster whose ledger is in January, with a price
 * change scheduled for February, is still priced at January's sheet. It used to show February's,
 * because this machine's clock was past it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../api/support.js';

const MIN = 60_000;
const JAN = Date.UTC(2026, 0, 5, 10, 0);
const FEB = Date.UTC(2026, 1, 1);

describe('the price sheet in force, in the cluster time', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
    const created = await s.call('POST', '/api/v1/clusters', {
      body: { name: 'prod', inCluster: true, pricing: { cpuCoreHour: '0.03' } },
    });
    expect(created.status).toBe(201);
  });
  afterAll(async () => s?.close());

  const writeInterval = async (start: number) => {
    const [prod] = await s.ctx.store.listClusters();
    await s.ctx.store.writeInterval({
      clusterId: prod!.id,
      intervalStart: start,
      intervalEnd: start + 15 * MIN,
      status: 'complete',
      coverage: 1,
      sampleCount: 15,
      errors: [],
      podRows: [],
      gaps: [],
    });
  };
  const sheet = async () => (await s.call('GET', '/api/v1/clusters/prod')).json().priceSheet;

  it('is the sheet of the end of what is billed until the change takes effect', async () => {
    await writeInterval(JAN);
    const patched = await s.call('PATCH', '/api/v1/clusters/prod', {
      body: { pricing: { cpuCoreHour: '0.05', effectiveFrom: '2026-02-01' } },
    });
    expect(patched.status).toBe(200);
    expect(await sheet()).toMatchObject({ id: null, cpuCoreHour: '0.03' });
    await writeInterval(FEB - 15 * MIN);
    expect(await sheet()).toMatchObject({ effectiveFrom: '2026-02-01T00:00:00Z', cpuCoreHour: '0.05' });
  });
});
