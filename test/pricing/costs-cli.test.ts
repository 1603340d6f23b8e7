/** `kubetally costs` on a small embedded ledger: table, JSON (SPEC §5) and CSV, and bad input. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/context.js';
import { runCli } from '../support/cli.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-06-01T00:00:00Z');
const CORE_HOUR = 3_600_000_000_000n;
const GIB_HOUR = (1n << 30n) * 3600n;
const env = { KUBETALLY_ENCRYPTION_KEY: 'cd'.repeat(32) };

const cli = (args: string[]) => runCli(env, ...args);

describe('kubetally costs', () => {
  let dir: string;
  const range = ['--from', '2026-06-01T00:00:00Z', '--to', '2026-06-01T02:00:00Z'];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubetally-costs-'));
    const ctx = await openApp({ database: dir, env });
    try {
      const id = (await ctx.store.createCluster({ name: 'lab', connection: 'in-cluster' })).id;
      for (const i of [0, 1]) {
        await ctx.store.writeInterval({
          clusterId: id,
          intervalStart: T0 + i * HOUR,
          intervalEnd: T0 + (i + 1) * HOUR,
          status: 'complete',
          coverage: 1,
          sampleCount: 60,
          podRows: [
            {
              podUid: 'p',
              namespace: 'fraud-alice',
              podName: 'nb',
              owner: 'alice',
              project: 'fraud',
              computeType: 'notebook',
              usage: {
                cpuCoreNanos: CORE_HOUR / 2n,
                cpuRequestCoreNanos: CORE_HOUR,
                cpuMaxCoreNanos: CORE_HOUR,
                memoryByteSeconds: GIB_HOUR,
                memoryRequestByteSeconds: GIB_HOUR,
                memoryMaxByteSeconds: GIB_HOUR,
                podMillis: BigInt(HOUR),
              },
            },
          ],
          gaps: [],
          errors: [],
        });
      }
    } finally {
      await ctx.close();
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints a table with the management fee and the cluster cost', async () => {
    const r = await cli(['costs', '--database', dir, ...range]);
    expect(r.code).toBe(0);
    // Per hour: 1 core × 0.031611 + 1 GiB × 0.004237 = 0.035848; two hours; management 2 × 0.10.
    expect(r.out).toMatch(/^OWNER\s+CPU CORE-H\s+MEM GIB-H\s+GPU-H\s+CPU\s+MEMORY\s/);
    expect(r.out).toMatch(
      /alice\s+1\.00\s+2\.00\s+0\.00\s+0\.0632\s+0\.0085\s+0\.0000\s+0\.0000\s+0\.0000\s+0\.0000\s+0\.0717\n/,
    );
    expect(r.out).toContain('rows total 0.0717 + management 0.2000 = cluster cost 0.2717 USD');
  });

  it('prints the SPEC §5 JSON and CSV', async () => {
    const json = JSON.parse(
      (
        await cli([
          'costs',
          '--database',
          dir,
          ...range,
          '--by',
          'project,compute-type',
          '--step',
          'hour',
          '-o',
          'json',
        ])
      ).out,
    );
    expect(json).toMatchObject({
      from: '2026-06-01T00:00:00Z',
      groupBy: ['project', 'computeType'],
      step: 'hour',
      gaps: [],
    });
    expect(json.rows).toEqual([
      expect.objectContaining({
        project: 'fraud',
        computeType: 'notebook',
        start: '2026-06-01T00:00:00Z',
        totalCost: 0.035848,
        cpuEfficiency: 0.5,
      }),
      expect.objectContaining({ start: '2026-06-01T01:00:00Z', totalCost: 0.035848 }),
    ]);
    const csv = (await cli(['costs', '--database', dir, ...range, '-o', 'csv'])).out.split('\n');
    // The columns of the API's format=csv, in its order: a script can use either.
    expect(csv[0]).toBe(
      'owner,cpuCoreHours,cpuRequestCoreHours,memoryGiBHours,memoryRequestGiBHours,gpuHours,storageGiBHours,networkGiB,podHours,loadBalancerHours,cpuEfficiency,memoryEfficiency,networkEgressGiB,cpuCost,memoryCost,gpuCost,storageCost,networkCost,loadBalancerCost,totalCost',
    );
    expect(csv[1]).toBe('alice,1,2,2,2,0,0,0,2,0,0.5,1,0,0.063222,0.008474,0,0,0,0,0.071696');
  });

  it('refuses an unknown grouping with a hint', async () => {
    const r = await cli(['costs', '--database', dir, '--by', 'team']);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('invalid groupBy "team"');
    expect(r.err).toMatch(/hint: use any of tenant, cluster, owner, project, namespace, computeType/);
  });
});
