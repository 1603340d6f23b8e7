/**
 * A cluster's `collection.interval` changed while it is collected (PATCH /clusters/{name}): the
 * intervals after the change stay on the clock's grid of the new length, the stretch between the
 * old grid and the new one is an interval of its own, none crosses an hour boundary, and nothing
 * is lost or counted twice across the change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectNow } from '../../src/app/collect.js';
import { rfc3339 } from '../../src/domain/time.js';
import { startRig, truthAmounts, type Rig } from '../support/collection.js';

const MIN = 60_000;
const SCENARIO = `
start: 2026-03-01T10:00:00Z
pods:
  - { name: steady, namespace: team-a, labels: { owner: alice }, containers: [{ name: main,
      requests: { cpu: 1500m, memory: 1Gi }, usage: { cpu: 500m, memory: 500Mi } }] }
nodes: [{ name: n-0, capacity: { cpu: '8', memory: 32Gi } }]
name: interval-change
`;

let rig: Rig;

beforeAll(async () => {
  rig = await startRig({ scenarioYaml: SCENARIO });
  // 15-minute intervals until 10:40 (the last closed one ends at 10:30), then 20 minutes.
  await rig.collectUntil(rig.t0 + 40 * MIN, MIN);
  const changed = await rig.ctx.store.updateCluster(rig.cluster.id, { collection: { interval: '20m' } });
  while (rig.sim.clock.now() < rig.t0 + 110 * MIN) {
    rig.sim.clock.advance(MIN);
    await collectNow(rig.ctx, changed);
  }
}, 120_000);
afterAll(() => rig?.close());

describe('an interval length changed from 15 to 20 minutes', () => {
  it('closes the stretch up to the new grid, then intervals on it, none across an hour', async () => {
    const rows = await rig.ctx.db.query<{ s: Date; e: Date }>(
      'SELECT interval_start AS s, interval_end AS e FROM collection_runs ORDER BY interval_start',
    );
    const runs = rows.map((r) => `${rfc3339(new Date(r.s).getTime())} ${rfc3339(new Date(r.e).getTime())}`);
    expect(runs).toEqual([
      '2026-03-01T10:00:00Z 2026-03-01T10:15:00Z',
      '2026-03-01T10:15:00Z 2026-03-01T10:30:00Z',
      '2026-03-01T10:30:00Z 2026-03-01T10:40:00Z',
      '2026-03-01T10:40:00Z 2026-03-01T11:00:00Z',
      '2026-03-01T11:00:00Z 2026-03-01T11:20:00Z',
      '2026-03-01T11:20:00Z 2026-03-01T11:40:00Z',
    ]);
  });

  it('counts each hour exactly once: requests and pod time equal the truth', async () => {
    const rows = await rig.ctx.store.queryUsage({
      from: rig.t0,
      to: rig.t0 + 100 * MIN,
      groupBy: ['owner'],
      step: 'hour',
      owner: 'alice',
    });
    const hours = [
      [rig.t0, rig.t0 + 60 * MIN],
      [rig.t0 + 60 * MIN, rig.t0 + 100 * MIN],
    ] as const;
    expect(rows).toHaveLength(2);
    hours.forEach(([from, to], i) => {
      const want = truthAmounts(
        rig.sim.world.truth(from, to, 'label:owner').groups.find((g) => g.key === 'alice'),
      );
      expect(rows[i]!.usage.podMillis).toBe(want.podMillis);
      expect(rows[i]!.usage.cpuRequestCoreNanos).toBe(want.cpuRequestCoreNanos);
    });
  });
});
