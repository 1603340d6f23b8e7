/**
 * Savings on a cluster whose history starts in the afternoon: its first day is partial, and a
 * workload that ran all along must average one pod over the time there is history for (it came
 * out two thirds of a pod here, every saving as low).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savingsView } from '../../src/app/savings-view.js';
import { startRig, type Rig } from '../support/collection.js';

const SCENARIO = `
name: afternoon
start: 2026-03-01T16:00:00Z
nodes:
  - { name: n1, capacity: { cpu: '8', memory: 32Gi } }
pods:
  - name: api
    namespace: shop
    controller: Deployment
    labels: { owner: ann, project: shop, compute-type: serving }
    containers:
      - name: app
        requests: { cpu: '4', memory: 8Gi }
        usage: { cpu: 100m, memory: 500Mi }
`;

describe('savings with a partial first day', () => {
  let dir: string;
  let rig: Rig;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubetally-savings-'));
    await writeFile(join(dir, 'afternoon.yaml'), SCENARIO);
    rig = await startRig({ scenario: join(dir, 'afternoon.yaml'), collection: { sampleEvery: '5m' } });
    // From 16:00 on day 1 to 01:00 on day 3: one partial day and one whole day of history.
    await rig.collectUntil(Date.parse('2026-03-03T01:00:00Z'), 5 * 60_000);
  }, 300_000);
  afterAll(async () => {
    await rig?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('averages the pods over the history there is', async () => {
    const recs = (await savingsView(rig.ctx.store, {})).clusters[0]!.recommendations;
    const api = recs.find((r) => r.kind === 'right-size' && r.workloadName === 'api')!;
    expect(api).toBeDefined();
    // One pod all along, bar the seconds before it first ran.
    expect(api.averagePods as number).toBeGreaterThan(0.99);
    expect(api.averagePods as number).toBeLessThanOrEqual(1);
  });
});
