/**
 * A ledger of two tenants that name things alike: `acme` and `globex` each have a cluster `prod`
 * and an owner `alice` (two different people), with usage known exactly. acme's alice used 1
 * core-hour, globex's 2 (requested as used, so CPU costs request × 0.031611 at the default
 * prices); each cluster has one gap. globex also has a cluster `edge` with bob's 4 core-hours.
 */
import { afterAll, beforeAll } from 'vitest';
import type { ClusterRegistry, CollectionLedger } from '../../src/ledger/store.js';
import { startTestServer, type TestServer } from '../api/support.js';
import type { PodUsageRow } from '../../src/ledger/types.js';

export const TWO_TENANTS_T0 = Date.UTC(2026, 2, 2, 10, 0);
export const TWO_TENANTS_RANGE = 'from=2026-03-02T10:00:00Z&to=2026-03-02T11:00:00Z';
const CORE_HOUR = 3_600n * 1_000_000_000n; // core-nanoseconds
const QUARTER = 15 * 60_000;

function notebook(owner: string, coreHours: bigint): PodUsageRow {
  return {
    podUid: `${owner}-nb`,
    namespace: `ml-${owner}`,
    podName: `${owner}-nb`,
    owner,
    project: 'ml',
    computeType: 'notebook',
    usage: {
      cpuCoreNanos: coreHours * CORE_HOUR,
      cpuRequestCoreNanos: coreHours * CORE_HOUR,
      podMillis: BigInt(QUARTER),
    },
  };
}

/** Writes the two tenants' clusters and intervals (the tenants are created here too). */
export async function writeTwoTenants(store: ClusterRegistry & CollectionLedger): Promise<void> {
  const clusters: [string, string, PodUsageRow][] = [
    ['acme', 'prod', notebook('alice', 1n)],
    ['globex', 'prod', notebook('alice', 2n)],
    ['globex', 'edge', notebook('bob', 4n)],
  ];
  for (const [tenant, name, row] of clusters) {
    await store.createTenant(tenant);
    const c = await store.createCluster({ tenant, name, connection: 'in-cluster' });
    await store.writeInterval({
      clusterId: c.id,
      intervalStart: TWO_TENANTS_T0,
      intervalEnd: TWO_TENANTS_T0 + QUARTER,
      status: 'partial',
      coverage: 0.9,
      sampleCount: 14,
      podRows: [row],
      gaps:
        name === 'prod'
          ? [
              {
                start: TWO_TENANTS_T0 + 60_000,
                end: TWO_TENANTS_T0 + 120_000,
                reason: 'metrics API unavailable',
              },
            ]
          : [],
      errors: [],
    });
  }
}

/** A suite's API server over the two tenants' ledger: started before its tests, closed after. */
export function twoTenantServer(): () => TestServer {
  let s: TestServer | undefined;
  beforeAll(async () => {
    s = await startTestServer();
    await writeTwoTenants(s.ctx.store);
  }, 60_000);
  afterAll(async () => {
    await s?.close();
  });
  return () => s!;
}
