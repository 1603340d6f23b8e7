/**
 * The owner rollup (migration 003) answers what the full daily rollup answers: usage by owner
 * over whole days equals the sum of the finer rows, on both engines.
 */
import { describe, expect, it } from 'vitest';
import { USAGE_FIELDS, zeroUsage, addUsage } from '../../src/domain/usage.js';
import { createStore, migrate } from '../../src/ledger/index.js';
import { ENGINES, freshDatabase } from '../support/databases.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 1);

describe.each(ENGINES)('owner rollup on %s', (engine) => {
  it('equals the sum by owner of the finest rows', async () => {
    const td = await freshDatabase(engine);
    try {
      await migrate(td.db);
      const store = createStore(td.db);
      const c = await store.createCluster({ name: 'c1', connection: 'in-cluster' });
      for (let i = 0; i < 8; i++) {
        const start = T0 + i * 6 * 3_600_000; // across two days
        await store.writeInterval({
          clusterId: c.id,
          intervalStart: start,
          intervalEnd: start + 900_000,
          status: 'complete',
          coverage: 1,
          sampleCount: 15,
          gaps: [],
          errors: [],
          podRows: ['a', 'b', 'c'].flatMap((owner, j) =>
            ['p1', 'p2'].map((project, k) => ({
              podUid: `${owner}-${project}-${i}`,
              namespace: `${project}-${owner}`,
              podName: 'x',
              owner,
              project,
              computeType: 'job',
              usage: {
                cpuCoreNanos: BigInt((i + 1) * (j + 1) * (k + 2)) * 1_000_000_000n,
                podMillis: 900_000n,
              },
            })),
          ),
        });
      }
      const q = { from: T0, to: T0 + 2 * DAY, step: 'total' as const };
      const byOwner = await store.queryUsage({ ...q, groupBy: ['owner'] });
      const fine = await store.queryUsage({ ...q, groupBy: ['owner', 'project'] });
      expect(byOwner.map((r) => r.group.owner)).toEqual(['a', 'b', 'c']);
      for (const r of byOwner) {
        const sum = zeroUsage();
        for (const f of fine.filter((x) => x.group.owner === r.group.owner)) addUsage(sum, f.usage);
        for (const f of USAGE_FIELDS) expect(r.usage[f], `${r.group.owner} ${f}`).toBe(sum[f]);
      }
      expect(byOwner[0]!.usage.cpuCoreNanos).toBe(36n * 5n * 1_000_000_000n);
      const daily = await store.queryUsage({ ...q, groupBy: ['owner'], step: 'day' });
      expect(daily).toHaveLength(6);
    } finally {
      await td.dispose();
    }
  });
});
