/**
 * Right-sizing pods whose request holds more than their app containers ask: RuntimeClass overhead
 * and an init container larger than the app. Lowering the app containers' requests cannot release
 * either, so the recommendation is what the scheduler would still reserve (max(app, init) +
 * overhead) and the saving only the part that really goes. One whole day of history at default
 * prices, on PGlite and on PostgreSQL, read through GET /api/v1/savings; savings computed by hand.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminToken } from '../../src/api/bootstrap.js';
import { buildServer } from '../../src/api/server.js';
import { startRig, type Rig } from '../support/collection.js';

const SCENARIO = `
name: held
start: 2026-03-01T00:00:00Z
nodes:
  - { name: n1, capacity: { cpu: '16', memory: 64Gi } }
pods:
  - name: web
    namespace: shop
    controller: Deployment
    labels: { owner: ann, project: shop }
    pending: 0s
    overhead: { cpu: 100m, memory: 64Mi }
    containers:
      - name: app
        requests: { cpu: '2', memory: 4Gi }
        usage: { cpu: 500m, memory: 1Gi }
  - name: migrate
    namespace: shop
    controller: Deployment
    labels: { owner: ann, project: shop }
    pending: 0s
    overhead: { cpu: 250m, memory: 256Mi }
    initContainers: [{ name: schema, requests: { cpu: '3', memory: 2Gi } }]
    containers:
      - name: app
        requests: { cpu: '1', memory: 1Gi }
        usage: { cpu: 200m, memory: 512Mi }
`;
const TOKEN = 'admin-token-for-held-requests-0123';

describe.each(['pglite', 'postgres'] as const)(
  'savings of pods with overhead and large init containers (%s)',
  (engine) => {
    let rig: Rig;
    let savings: { recommendations: Record<string, unknown>[]; totalMonthlySaving: number };
    beforeAll(async () => {
      rig = await startRig({ scenarioYaml: SCENARIO, engine, collection: { sampleEvery: '5m' } });
      // The whole of 2026-03-01, and the first hour of the next day.
      await rig.collectUntil(Date.parse('2026-03-02T01:00:00Z'), 5 * 60_000);
      await ensureAdminToken(rig.ctx, TOKEN);
      const { app } = await buildServer(rig.ctx, { logger: false });
      const res = await app.inject({ url: '/api/v1/savings', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(res.statusCode).toBe(200);
      savings = res.json().clusters[0];
      await app.close();
    }, 300_000);
    afterAll(async () => rig?.close());

    it('recommends the request the scheduler would still reserve, overhead included', () => {
      const web = savings.recommendations.find((r) => r.workloadName === 'web');
      // CPU: p90 500m + 15 % = 575m for the app, + 100m overhead = 675m of 2100m.
      // Memory: 1024 MiB + 15 % = 1178 MiB, + 64 MiB = 1242 MiB of 4160 MiB.
      // Saving: 1.425 cores × 730 h × 0.031611 + 2918/1024 GiB × 730 h × 0.004237.
      expect(web).toMatchObject({
        cpuRequestMillicores: 2100,
        cpuRecommendedMillicores: 675,
        memoryRequestMiB: 4160,
        memoryRecommendedMiB: 1242,
        averagePods: 1,
        monthlySaving: 41.697213,
      });
    });

    it('saves nothing where the init container holds the request whatever the app asks', () => {
      // max(230m, 3000m) + 250m = 3250m and max(589 MiB, 2048 MiB) + 256 MiB = 2304 MiB: the
      // pod's requests as they are.
      expect(savings.recommendations.map((r) => r.workloadName)).toEqual(['web']);
      expect(savings.totalMonthlySaving).toBe(41.697213);
    });
  },
);
