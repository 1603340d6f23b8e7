/**
 * Savings end to end on the ledger (PGlite): 7 days and an hour of synthetic hourly intervals are
 * written through writeInterval, then savingsView must find exactly the planted cases, with
 * savings this test computes by hand from the planted usage and the SPEC §7 prices.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { savingsView } from '../../src/app/savings-view.js';
import { migrate } from '../../src/ledger/migrate.js';
import { createStore, type LedgerStore } from '../../src/ledger/store.js';
import type { ClusterId, PodUsageRow } from '../../src/ledger/types.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const D0 = Date.parse('2026-04-01T00:00:00Z');
const GiB = 1n << 30n;
const MiB = 1n << 20n;
const H = BigInt(HOUR);
const SECONDS = 3600n;

/** A pod running the whole hour: millicores used and requested, memory used and requested. */
function pod(o: {
  uid: string;
  ns: string;
  kind: string;
  workload: string;
  owner: string;
  computeType: string;
  cpu: bigint;
  cpuRequest: bigint;
  memory: bigint;
  memoryRequest: bigint;
}): PodUsageRow {
  const cpu = o.cpu * 1_000_000n * SECONDS;
  const req = o.cpuRequest * 1_000_000n * SECONDS;
  return {
    podUid: o.uid,
    namespace: o.ns,
    podName: o.uid,
    workloadKind: o.kind,
    workloadName: o.workload,
    owner: o.owner,
    project: o.ns,
    computeType: o.computeType,
    usage: {
      podMillis: H,
      cpuCoreNanos: cpu,
      cpuRequestCoreNanos: req,
      cpuMaxCoreNanos: cpu > req ? cpu : req,
      memoryByteSeconds: o.memory * SECONDS,
      memoryRequestByteSeconds: o.memoryRequest * SECONDS,
      memoryMaxByteSeconds: (o.memory > o.memoryRequest ? o.memory : o.memoryRequest) * SECONDS,
    },
  };
}

const api = { ns: 'shop', kind: 'Deployment', workload: 'api', owner: 'alice', computeType: 'serving' };
const rows: PodUsageRow[] = [
  // Over-requested: 2 replicas using 200m and 1 GiB, requesting 2 cores and 4 GiB.
  pod({ ...api, uid: 'api-0', cpu: 200n, cpuRequest: 2000n, memory: GiB, memoryRequest: 4n * GiB }),
  pod({ ...api, uid: 'api-1', cpu: 200n, cpuRequest: 2000n, memory: GiB, memoryRequest: 4n * GiB }),
  // Well sized: requests equal to the recommendation.
  pod({
    ...api,
    uid: 'fit-0',
    workload: 'fit',
    cpu: 200n,
    cpuRequest: 230n,
    memory: GiB,
    memoryRequest: 1178n * MiB,
  }),
  // An idle notebook (2m of 500m) and a busy one.
  pod({
    uid: 'nb-0',
    ns: 'ml',
    kind: 'StatefulSet',
    workload: 'nb',
    owner: 'bob',
    computeType: 'notebook',
    cpu: 2n,
    cpuRequest: 500n,
    memory: GiB,
    memoryRequest: GiB,
  }),
  pod({
    uid: 'busy-0',
    ns: 'ml',
    kind: 'StatefulSet',
    workload: 'busy',
    owner: 'bob',
    computeType: 'notebook',
    cpu: 400n,
    cpuRequest: 500n,
    memory: GiB,
    memoryRequest: GiB,
  }),
  // A claim nobody mounts, 100 GiB.
  {
    podUid: 'pvc:ml/data',
    namespace: 'ml',
    podName: 'data',
    owner: 'bob',
    project: 'ml',
    computeType: 'other',
    usage: { storageByteSeconds: 100n * GiB * SECONDS },
    storageByClass: { gp3: 100n * GiB * SECONDS },
  },
  // A LoadBalancer in a namespace without pods, and one in front of the api.
  {
    podUid: 'svc:ghost/web',
    namespace: 'ghost',
    podName: 'web',
    owner: 'carol',
    project: 'ghost',
    computeType: 'other',
    usage: { loadBalancerMillis: H },
  },
  {
    podUid: 'svc:shop/web',
    namespace: 'shop',
    podName: 'web',
    owner: 'alice',
    project: 'shop',
    computeType: 'other',
    usage: { loadBalancerMillis: H },
  },
];

// Over-requested too: a Deployment on a spot node that began two days before the end, and a
// one-off Job that ran on the first day only.
const young: PodUsageRow = {
  ...pod({
    ns: 'shop',
    kind: 'Deployment',
    workload: 'young',
    owner: 'alice',
    computeType: 'serving',
    uid: 'young-0',
    cpu: 200n,
    cpuRequest: 2000n,
    memory: GiB,
    memoryRequest: 4n * GiB,
  }),
  node: 'spot-1',
  capacityType: 'spot',
};
const once = pod({
  ns: 'ml',
  kind: 'Job',
  workload: 'once',
  owner: 'bob',
  computeType: 'job',
  uid: 'once-0',
  cpu: 200n,
  cpuRequest: 2000n,
  memory: GiB,
  memoryRequest: 4n * GiB,
});

const halfUp = (n: bigint, d: bigint) => (2n * n + d) / (2n * d);

describe('savings on synthetic history', () => {
  let t: TestDatabase;
  let store: LedgerStore;
  let id: ClusterId;

  beforeAll(async () => {
    t = await freshDatabase('pglite');
    await migrate(t.db);
    store = createStore(t.db);
    id = (await store.createCluster({ name: 'lab', connection: 'in-cluster' })).id;
    for (let s = D0; s <= D0 + 7 * DAY; s += HOUR) {
      await store.writeInterval({
        clusterId: id,
        intervalStart: s,
        intervalEnd: s + HOUR,
        status: 'complete',
        coverage: 1,
        sampleCount: 60,
        podRows: [...rows, ...(s >= D0 + 5 * DAY ? [young] : []), ...(s < D0 + DAY ? [once] : [])],
        gaps: [],
        errors: [],
      });
    }
  }, 120_000);
  afterAll(async () => {
    await t?.dispose();
  });

  it('finds the planted cases and nothing else, with savings computed by hand', async () => {
    const { clusters } = await savingsView(store, { cluster: 'lab' });
    const lab = clusters[0]!;
    expect(lab.asOf).toBe('2026-04-08T01:00:00Z');
    const found = Object.fromEntries(
      lab.recommendations.map((r) => [
        `${String(r.kind)} ${String(r.namespace)}/${String(r.workloadName ?? r.claim ?? r.service)}`,
        r,
      ]),
    );
    expect(Object.keys(found).sort()).toEqual([
      'idle-load-balancer ghost/web',
      'idle-notebook ml/nb',
      'right-size ml/busy',
      'right-size shop/api',
      'right-size shop/young',
      'unmounted-claim ml/data',
    ]);
    // Judged over the two days it has run, not diluted over the week; the one-off Job is done.
    // On a spot node: its saving at spot prices, 0.006655 a core-hour and 0.000892 a GiB-hour.
    const youngSaving = halfUp(1770n * 730n * 6_655n, 1000n) + halfUp(2918n * 730n * 892n, 1024n);
    expect(found['right-size shop/young']).toMatchObject({
      averagePods: 1,
      cpuRecommendedMillicores: 230,
      monthlySaving: Number(youngSaving) / 1e6,
    });
    // api: CPU (2000 − 230)m × 2 pods × 730 h × 0.031611; memory (4096 − 1178) MiB × 2 × 730 × 0.004237 per GiB-h.
    const apiSaving = halfUp(1770n * 2n * 730n * 31_611n, 1000n) + halfUp(2918n * 2n * 730n * 4_237n, 1024n);
    expect(found['right-size shop/api']).toMatchObject({
      cpuRequestMillicores: 2000,
      cpuRecommendedMillicores: 230,
      memoryRecommendedMiB: 1178,
      averagePods: 2,
      monthlySaving: Number(apiSaving) / 1e6,
    });
    // busy: CPU (500 − 460)m × 730 h × 0.031611; its 1 GiB is what it uses + 15 % would exceed
    // (1178 MiB): the request stays, a saving never raises it.
    expect(found['right-size ml/busy']).toMatchObject({
      cpuRequestMillicores: 500,
      cpuRecommendedMillicores: 460,
      memoryRequestMiB: 1024,
      memoryRecommendedMiB: 1024,
      monthlySaving: Number(halfUp(40n * 730n * 31_611n, 1000n)) / 1e6,
    });
    // Stopping the idle notebook supersedes right-sizing it (500m → 25m): no double count.
    // Idle notebook (its compute cost): each hour costs max(2m, 500m) × 0.031611 = 15805.5 → 15806 µ, + 1 GiB × 4237 µ = 20043 µ.
    expect(found['idle-notebook ml/nb']?.monthlySaving).toBe((20_043 * 730) / 1e6);
    // 100 GiB × 0.04 per GiB-month / 730 h = 5479.45 → 5479 µ per hour.
    expect(found['unmounted-claim ml/data']?.monthlySaving).toBe((5_479 * 730) / 1e6);
    expect(found['idle-load-balancer ghost/web']?.monthlySaving).toBe(18.25);
    expect(lab.currency).toBe('USD');
    const total = lab.recommendations.reduce((s, r) => s + Math.round(Number(r.monthlySaving) * 1e6), 0);
    expect(Math.round(lab.totalMonthlySaving * 1e6)).toBe(total);
  });
});
