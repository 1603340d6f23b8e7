/**
 * `usage_between(from, to)` (migration 008), the SQL function Grafana's ledger panels read:
 * whole UTC days from usage_daily and the partial days from usage_interval add up to what the
 * API counts for the same range (the intervals that start in it), on both engines.
 */
import { describe, expect, it } from 'vitest';
import { USAGE_FIELDS } from '../../src/domain/usage.js';
import { columnOf } from '../../src/ledger/columns.js';
import { createStore, migrate } from '../../src/ledger/index.js';
import { ENGINES, freshDatabase } from '../support/databases.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 2, 1);

describe.each(ENGINES)('usage_between on %s', (engine) => {
  it('sums, over ranges that cut days or not, what the API counts', async () => {
    const td = await freshDatabase(engine);
    try {
      await migrate(td.db);
      const store = createStore(td.db);
      const c = await store.createCluster({ name: 'c1', connection: 'in-cluster' });
      // An interval every 1 h 45 min over three and a half days: every hour of the day is hit.
      for (let i = 0; i < 48; i++) {
        const start = T0 + i * 105 * MIN;
        await store.writeInterval({
          clusterId: c.id,
          intervalStart: start,
          intervalEnd: start + 15 * MIN,
          status: 'complete',
          coverage: 1,
          sampleCount: 15,
          gaps: [],
          errors: [],
          podRows: ['a', 'b'].map((owner, j) => ({
            podUid: `${owner}-${i}`,
            namespace: 'ns',
            podName: 'x',
            owner,
            project: 'p',
            computeType: 'job',
            usage: {
              cpuCoreNanos: BigInt((i + 1) * (j + 3)) * 1_000_000_007n,
              memoryByteSeconds: BigInt(i + j + 1) * 1_073_741_824n,
              gpuMillis: BigInt(i * 1000),
              podMillis: 900_000n,
            },
          })),
        });
      }
      const columns = USAGE_FIELDS.map(columnOf);
      const sums = columns.map((col) => `SUM(${col})::text AS ${col}`).join(', ');
      const ranges: [number, number, number][] = [
        // [from, to, whole days read from usage_daily]
        [T0, T0 + 3 * DAY, 3],
        [T0 - 5 * HOUR, T0 + 2 * DAY + 7 * HOUR + 20 * MIN, 2],
        [T0 + 37 * MIN, T0 + 10 * HOUR + 10 * MIN, 0],
        [T0 + 23 * HOUR + 50 * MIN, T0 + 2 * DAY + 10 * MIN, 1],
        [T0 + 20 * HOUR, T0 + DAY + 4 * HOUR, 0],
        [T0 + DAY, T0 + DAY + 1, 0],
        [T0 + 90 * MIN, T0 + 10 * DAY, 3],
      ];
      for (const [from, to, days] of ranges) {
        const label = `${new Date(from).toISOString()} – ${new Date(to).toISOString()}`;
        const [row] = await td.db.query<Record<string, string | null>>(
          `SELECT ${sums}, COUNT(DISTINCT start_at) FILTER (WHERE grain = 'day')::int AS days
           FROM usage_between($1::timestamptz, $2::timestamptz)`,
          [new Date(from).toISOString(), new Date(to).toISOString()],
        );
        const [api] = await store.queryUsage({ from, to, step: 'total', groupBy: [] });
        for (const [k, field] of USAGE_FIELDS.entries()) {
          expect(BigInt(row![columns[k]!] ?? 0), `${label} ${field}`).toBe(api?.usage[field] ?? 0n);
        }
        expect(row!.days, label).toBe(days);
      }
      // Ranges with intervals in them, so that the comparison above is not of zeros.
      const [all] = await store.queryUsage({ from: T0, to: T0 + 3 * DAY, step: 'total', groupBy: [] });
      expect(all!.usage.podMillis).toBe(2n * 42n * 900_000n);
    } finally {
      await td.dispose();
    }
  });
});
