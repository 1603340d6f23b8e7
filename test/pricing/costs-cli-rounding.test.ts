/**
 * `kubetally costs` prints amounts rounded half up, as pricing rounds: a cost of exactly 1.005 is
 * 1.01 in the table, not the 1.00 that rounding the binary double (1.00499…) gave; and a totals
 * line that would not add up in cents (1.01 + 2.68 = 3.68) gets the decimals that make it add up.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/context.js';
import { runCli } from '../support/cli.js';

const HOUR = 3_600_000;
const T0 = Date.parse('2026-06-01T00:00:00Z');
const CORE_HOUR = 3_600_000_000_000n;
const env = { KUBETALLY_ENCRYPTION_KEY: 'cd'.repeat(32) };

const cli = (args: string[]) => runCli(env, ...args);

describe('kubetally costs rounds halves up', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubetally-rounding-'));
    const ctx = await openApp({ database: dir, env });
    try {
      const id = (await ctx.store.createCluster({ name: 'lab', connection: 'in-cluster' })).id;
      await ctx.store.setClusterPriceSheet(id, {
        currency: 'EUR',
        cpuCoreHour: '1.005',
        memoryGiBHour: '0',
        managementHour: '2.675',
      });
      await ctx.store.writeInterval({
        clusterId: id,
        intervalStart: T0,
        intervalEnd: T0 + HOUR,
        status: 'complete',
        coverage: 1,
        sampleCount: 60,
        podRows: [
          {
            podUid: 'p',
            namespace: 'shop-alice',
            podName: 'web',
            owner: 'alice',
            project: 'shop',
            computeType: 'serving',
            usage: { cpuCoreNanos: CORE_HOUR, cpuRequestCoreNanos: CORE_HOUR, podMillis: BigInt(HOUR) },
          },
        ],
        gaps: [],
        errors: [],
      });
    } finally {
      await ctx.close();
    }
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints 1.005 as 1.01 and 2.675 as 2.68, as the JSON has them exactly', async () => {
    const range = ['--from', '2026-06-01T00:00:00Z', '--to', '2026-06-01T01:00:00Z'];
    const json = JSON.parse((await cli(['costs', '--database', dir, ...range, '-o', 'json'])).out);
    expect(json.rows[0]).toMatchObject({ owner: 'alice', cpuCost: 1.005, totalCost: 1.005 });
    expect(json.totals).toMatchObject({ managementCost: 2.675, clusterCost: 3.68 });
    // One owner's costs (no management fee in the totals line): cents, a half rounded up.
    const r = await cli(['costs', '--database', dir, ...range, '--owner', 'alice']);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')[1]).toMatch(
      /^alice\s+1\.00\s+0\.00\s+0\.00\s+1\.01\s+0\.00\s+0\.00\s+0\.00\s+0\.00\s+0\.00\s+1\.01$/,
    );
    expect(r.out).toContain('rows total 1.01 EUR');
  });

  it('prints the totals line so that it adds up: 1.01 + 2.68 would not make 3.68', async () => {
    const range = ['--from', '2026-06-01T00:00:00Z', '--to', '2026-06-01T01:00:00Z'];
    const r = await cli(['costs', '--database', dir, ...range]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('rows total 1.0050 + management 2.6750 = cluster cost 3.6800 EUR');
    expect(r.out.split('\n')[1]).toMatch(/^alice\s+1\.00\s+0\.00\s+0\.00\s+1\.0050\s+.*\s1\.0050$/);
  });
});
