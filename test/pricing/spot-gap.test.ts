/**
 * A pod on a spot node pays spot prices in every interval, a gap included. In a gap the capacity
 * is unknown (no node cost, no idle) and rows are priced at resource prices: those of the node the
 * pod ran on, which its row records from the interval's node rows. The pod runs in a namespace
 * whose shard (of the default 8) is not the nodes' one, as most pods do.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, type Rig } from '../support/collection.js';

const MIN = 60_000;
const SCENARIO = `
name: spot-gap
seed: 7
start: 2026-01-05T00:00:00Z
nodes:
  - name: gpu-{i}
    instanceType: g5.xlarge
    capacityType: spot
    capacity: { cpu: '4', memory: 16Gi, nvidia.com/gpu: '1' }
pods:
  - name: train
    namespace: team-b
    pending: 0s
    labels: { owner: bob }
    containers:
      - name: app
        requests: { cpu: '2', memory: 4Gi, nvidia.com/gpu: '1' }
        usage: { cpu: '1', memory: 2Gi }
`;

let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ scenarioYaml: SCENARIO });
  // 00:00–00:15 collected, 00:15–00:45 the collector is down (gaps), then 00:45–01:15 again.
  await rig.collectUntil(rig.t0 + 15 * MIN, MIN);
  rig.sim.clock.set(rig.t0 + 46 * MIN);
  await rig.collectUntil(rig.t0 + 76 * MIN, MIN);
}, 120_000);
afterAll(async () => rig?.close());

describe('a pod on a spot node across a gap', () => {
  it('pays the spot GPU and CPU prices in the gap, as around it', async () => {
    const rows = await rig.ctx.db.query<{ at: string; status: string; gpu: unknown; cpu: unknown }>(
      `SELECT to_char(u.interval_start AT TIME ZONE 'UTC', 'HH24:MI') AS at, r.status,
              u.gpu_cost_micros AS gpu, u.cpu_cost_micros AS cpu
       FROM usage_interval u JOIN collection_runs r
         ON r.cluster_id = u.cluster_id AND r.interval_start = u.interval_start
       WHERE u.owner = 'bob' ORDER BY u.interval_start`,
    );
    // A GPU for 15 minutes at the spot 0.308 an hour is 0.077; 2 requested cores (basis max) at
    // the spot 0.006655 are 0.0033275, 0.003328 rounded half up. The node has no hourly price, so
    // pods pay resource prices whether the capacity is known or not.
    expect(rows.map((r) => [r.at, r.status, BigInt(String(r.gpu)), BigInt(String(r.cpu))])).toEqual([
      ['00:00', 'complete', 77_000n, 3_328n],
      ['00:15', 'gap', 77_000n, 3_328n],
      ['00:30', 'gap', 77_000n, 3_328n],
      ['00:45', 'partial', 77_000n, 3_328n],
      ['01:00', 'complete', 77_000n, 3_328n],
    ]);
  });

  it('is recorded as on spot in its pod rows, whichever shard its namespace falls in', async () => {
    const rows = await rig.ctx.db.query<{ capacity_type: string; n: unknown }>(
      `SELECT capacity_type, count(*) AS n FROM usage_pod_interval WHERE owner = 'bob' GROUP BY capacity_type`,
    );
    expect(rows.map((r) => [r.capacity_type, Number(r.n)])).toEqual([['spot', 5]]);
  });
});
