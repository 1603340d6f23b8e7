/**
 * `kubetally usage` on a ledger filled with intervals whose usage is known exactly, on PGlite (a
 * data directory) and on the machine's PostgreSQL: core-hours, GiB-hours, GPU-hours, pod-hours and
 * network GiB equal the written integers converted once; steps, filters, gaps, JSON and CSV forms.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/context.js';
import type { PodUsageRow } from '../../src/ledger/types.js';
import { freshDatabase, type Engine, type TestDatabase } from '../support/databases.js';
import { runCli } from '../support/cli.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0);
const MIN = 60_000;
const CORE_HOUR = 3_600n * 1_000_000_000n; // core-nanoseconds
const GIB_HOUR = 3_600n << 30n; // byte-seconds
const HOUR_MS = 3_600_000n;

function row(owner: string, project: string, n: bigint): PodUsageRow {
  return {
    podUid: `${owner}-${project}`,
    namespace: `${project}-${owner}`,
    podName: `${owner}-nb`,
    owner,
    project,
    computeType: 'notebook',
    usage: {
      cpuCoreNanos: n * CORE_HOUR, // n core-hours
      cpuRequestCoreNanos: 2n * n * CORE_HOUR,
      memoryByteSeconds: 3n * n * GIB_HOUR,
      memoryRequestByteSeconds: 4n * n * GIB_HOUR,
      gpuMillis: n * HOUR_MS,
      storageByteSeconds: 10n * GIB_HOUR,
      networkRxBytes: 1n << 30n,
      networkTxBytes: 1n << 29n,
      podMillis: 15n * 60_000n,
    },
  };
}

for (const engine of ['pglite', 'postgres'] as Engine[]) {
  describe(`kubetally usage on ${engine}`, () => {
    let dataDir: string;
    let pg: TestDatabase | undefined;
    let env: NodeJS.ProcessEnv;

    const run = (...args: string[]) => runCli(env, ...args);
    const json = async (...args: string[]) => JSON.parse((await run('usage', ...args, '-o', 'json')).out);

    beforeAll(async () => {
      dataDir = await mkdtemp(join(tmpdir(), 'kubetally-usage-'));
      env = { KUBETALLY_DATA_DIR: dataDir, KUBETALLY_ENCRYPTION_KEY: 'cd'.repeat(32) };
      if (engine === 'postgres') {
        pg = await freshDatabase('postgres');
        env.DATABASE_URL = pg.url;
      }
      const ctx = await openApp({ env });
      try {
        const east = await ctx.store.createCluster({ name: 'east', connection: 'in-cluster' });
        const base = { clusterId: east.id, coverage: 1, sampleCount: 15, errors: [] };
        await ctx.store.writeInterval({
          ...base,
          intervalStart: T0,
          intervalEnd: T0 + 15 * MIN,
          status: 'complete',
          podRows: [row('alice', 'ml', 1n), row('bob', 'web', 2n)],
          gaps: [],
        });
        await ctx.store.writeInterval({
          ...base,
          intervalStart: T0 + 15 * MIN,
          intervalEnd: T0 + 30 * MIN,
          status: 'partial',
          coverage: 0.5,
          podRows: [row('alice', 'ml', 3n), row('alice', 'etl', 1n)],
          gaps: [{ start: T0 + 20 * MIN, end: T0 + 27 * MIN, reason: 'metrics API unavailable' }],
        });
      } finally {
        await ctx.close();
      }
    }, 60_000);

    afterAll(async () => {
      await pg?.dispose();
      if (dataDir) await rm(dataDir, { recursive: true, force: true });
    });

    const FROM = new Date(T0).toISOString();
    const TO = new Date(T0 + 60 * MIN).toISOString();

    it('totals by owner, in exact units, with the gaps of the range', async () => {
      const v = await json('--from', FROM, '--to', TO);
      expect(v).toMatchObject({
        from: '2026-01-05T10:00:00Z',
        to: '2026-01-05T11:00:00Z',
        groupBy: ['owner'],
        step: 'total',
        gaps: [
          {
            cluster: 'east',
            start: '2026-01-05T10:20:00Z',
            end: '2026-01-05T10:27:00Z',
            reason: 'metrics API unavailable',
          },
        ],
      });
      const alice = v.rows.find((r: { owner: string }) => r.owner === 'alice');
      // alice: 1 + 3 + 1 = 5 "n" over three pod rows.
      expect(alice).toEqual({
        owner: 'alice',
        cpuCoreHours: 5,
        cpuRequestCoreHours: 10,
        memoryGiBHours: 15,
        memoryRequestGiBHours: 20,
        gpuHours: 5,
        storageGiBHours: 30,
        networkGiB: 4.5,
        podHours: 0.75,
        loadBalancerHours: 0,
        cpuEfficiency: 0.5,
        memoryEfficiency: 0.75,
      });
      expect(v.rows.find((r: { owner: string }) => r.owner === 'bob')).toMatchObject({
        cpuCoreHours: 2,
        gpuHours: 2,
        podHours: 0.25,
      });
      expect(v.rows).toHaveLength(2);
    });

    it('steps by interval with a start, and filters by owner and cluster', async () => {
      const v = await json(
        '--from',
        FROM,
        '--to',
        TO,
        '--by',
        'owner,project',
        '--step',
        'interval',
        '--owner',
        'alice',
        '--cluster',
        'east',
      );
      const got = v.rows.map((r: Record<string, unknown>) => [r.start, r.project, r.cpuCoreHours]);
      expect(got.sort()).toEqual([
        ['2026-01-05T10:00:00Z', 'ml', 1],
        ['2026-01-05T10:15:00Z', 'etl', 1],
        ['2026-01-05T10:15:00Z', 'ml', 3],
      ]);
      // An interval starting at `to` is outside [from, to).
      const first = await json('--from', FROM, '--to', new Date(T0 + 15 * MIN).toISOString());
      expect(first.rows.find((r: { owner: string }) => r.owner === 'alice').cpuCoreHours).toBe(1);
    });

    it('writes CSV with the group keys first and a table by default', async () => {
      const csvRun = await run('usage', '--from', FROM, '--to', TO, '--by', 'project', '-o', 'csv');
      // The gap is not in the CSV (rows only) but is told on stderr.
      expect(csvRun.err).toMatch(/^1 gap\(s\) in this range: .*not counted as zero/);
      const csv = csvRun.out.trim().split('\n');
      expect(csv[0]).toBe(
        'project,cpuCoreHours,cpuRequestCoreHours,memoryGiBHours,memoryRequestGiBHours,gpuHours,storageGiBHours,networkGiB,podHours,loadBalancerHours,cpuEfficiency,memoryEfficiency',
      );
      expect(csv.slice(1).sort()).toEqual([
        'etl,1,2,3,4,1,10,1.5,0.25,0,0.5,0.75',
        'ml,4,8,12,16,4,20,3,0.5,0,0.5,0.75',
        'web,2,4,6,8,2,10,1.5,0.25,0,0.5,0.75',
      ]);
      const table = await run('usage', '--from', FROM, '--to', TO);
      expect(table.out).toMatch(/^OWNER\s+CPU CORE-H/);
      expect(table.out).toMatch(/\nalice\s+5\.00\s+10\.00\s+15\.00/);
      expect(table.err).toMatch(/1 gap\(s\)/);
    });

    it('heads the compute-type column as costs and top do, in table and CSV', async () => {
      for (const command of ['usage', 'costs']) {
        const table = await run(command, '--from', FROM, '--to', TO, '--by', 'compute-type,owner');
        expect(table.out, command).toMatch(/^COMPUTE TYPE {2,}OWNER {2,}/);
        expect(table.out, command).toMatch(/\nnotebook {2,}alice /);
        const csv = await run(command, '--from', FROM, '--to', TO, '--by', 'compute-type', '-o', 'csv');
        expect(csv.out, command).toMatch(/^computeType,/);
      }
    });

    it('names bad times, keys and clusters with a hint and a distinct exit status', async () => {
      const cases: [string[], number, RegExp][] = [
        [['--from', 'last tuesday'], 2, /invalid time "last tuesday"/],
        [['--from', '2026-01-05T10:00:00'], 2, /invalid time/],
        [['--to', '-3x'], 2, /invalid time "-3x"/],
        [['--from', TO, '--to', FROM], 2, /must be before/],
        [['--by', 'owner,planet'], 2, /invalid groupBy "planet"/],
        [['--by', 'owner,owner'], 2, /groupBy names "owner" twice/],
        [['--by', ''], 2, /groupBy is empty/],
        [['--cluster', 'west'], 9, /no cluster named west/],
      ];
      for (const [args, code, message] of cases) {
        const r = await run('usage', ...args);
        expect([r.code, r.err], args.join(' ')).toEqual([code, expect.stringMatching(message)]);
        expect(r.err).toMatch(/\nhint: /);
      }
      expect((await run('usage', '--step', 'week')).code).toBe(2);
    });

    it('refuses a backwards or empty range in costs as in usage, naming both ends', async () => {
      for (const command of ['usage', 'costs']) {
        const back = await run(command, '--from', TO, '--to', FROM);
        expect([back.code, back.err], command).toEqual([
          2,
          `error: from (${TO}) must be before to (${FROM})\nhint: swap them\n`,
        ]);
        const empty = await run(command, '--from', FROM, '--to', FROM);
        expect([empty.code, empty.err], command).toEqual([
          2,
          `error: from and to are the same time (${FROM}, ${FROM}): the range is empty\nhint: to is exclusive: give a later to, e.g. the next day\n`,
        ]);
      }
    });

    it('lists the first ten gaps under the costs table and says how many it left out', async () => {
      const start = T0 + 120 * MIN;
      const ctx = await openApp({ env });
      try {
        const [east] = await ctx.store.listClusters();
        await ctx.store.writeInterval({
          clusterId: east!.id,
          coverage: 0.5,
          sampleCount: 4,
          errors: [],
          intervalStart: start,
          intervalEnd: start + 15 * MIN,
          status: 'partial',
          podRows: [row('dora', 'ml', 1n)],
          gaps: Array.from({ length: 12 }, (_, i) => ({
            start: start + i * MIN,
            end: start + i * MIN + 30_000,
            reason: `outage ${i}`,
          })),
        });
      } finally {
        await ctx.close();
      }
      const at = (ms: number) => new Date(ms).toISOString();
      const r = await run('costs', '--from', at(start), '--to', at(start + 15 * MIN));
      const listed = r.out.split('\n').filter((l) => l.startsWith('  '));
      expect([listed.length, listed[9], listed[10]]).toEqual([
        11,
        '  east 2026-01-05T12:09:00Z – 2026-01-05T12:09:30Z: outage 9',
        '  … and 2 more (-o json lists every gap)',
      ]);
      expect(r.out).toContain('\n12 gap(s) in the range:');
    });

    // Last: it removes east and registers it again, which the other cases do not expect.
    it('sums a cluster removed and registered again under its name in one row, as --cluster does', async () => {
      const ctx = await openApp({ env });
      try {
        const [old] = await ctx.store.listClusters();
        await ctx.store.removeCluster(old!.id);
        const again = await ctx.store.createCluster({ name: 'east', connection: 'in-cluster' });
        await ctx.store.writeInterval({
          clusterId: again.id,
          coverage: 1,
          sampleCount: 15,
          errors: [],
          intervalStart: T0 + 60 * MIN,
          intervalEnd: T0 + 75 * MIN,
          status: 'complete',
          podRows: [row('carol', 'ml', 1n)],
          gaps: [],
        });
      } finally {
        await ctx.close();
      }
      const to = new Date(T0 + 75 * MIN).toISOString();
      const byCluster = await json('--from', FROM, '--to', to, '--by', 'cluster');
      // 1 + 2 (first interval) + 3 + 1 (second) of the first east, 1 of the second.
      expect(
        byCluster.rows.map((r: Record<string, unknown>) => [r.cluster, r.cpuCoreHours, r.podHours]),
      ).toEqual([['east', 8, 1.25]]);
      const named = await json('--from', FROM, '--to', to, '--cluster', 'east', '--by', 'cluster');
      expect(named.rows).toEqual(byCluster.rows);
      const costs = JSON.parse(
        (await run('costs', '--from', FROM, '--to', to, '--by', 'cluster', '-o', 'json')).out,
      );
      expect(costs.rows.map((r: Record<string, unknown>) => [r.cluster, r.cpuCoreHours])).toEqual([
        ['east', 8],
      ]);
      const table = await run('usage', '--from', FROM, '--to', to, '--by', 'cluster', '--step', 'hour');
      expect(
        table.out
          .trim()
          .split('\n')
          .map((l) => l.split(/\s{2,}/).slice(0, 3)),
      ).toEqual([
        ['CLUSTER', 'START', 'CPU CORE-H'],
        ['east', '2026-01-05T10:00:00Z', '7.00'],
        ['east', '2026-01-05T11:00:00Z', '1.00'],
      ]);
    });
  });
}
