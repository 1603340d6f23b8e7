/**
 * `kubetally usage` and `costs` (the CLI reads every tenant unless `--tenant`) over two tenants
 * that each have a cluster `prod` and an owner `alice`: the tables and CSV carry the tenant, so
 * that the rows neither merge nor look alike.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp } from '../../src/app/context.js';
import { cliDataDir, type CliDataDir } from '../support/cli.js';
import { writeTwoTenants } from '../support/two-tenants.js';

const RANGE = ['--from', '2026-03-02T10:00:00Z', '--to', '2026-03-02T11:00:00Z'];

describe('ledger commands over two tenants', () => {
  let d: CliDataDir;
  beforeAll(async () => {
    d = await cliDataDir('kubetally-tenants-');
    const ctx = await openApp({ env: d.env });
    try {
      await writeTwoTenants(ctx.store);
    } finally {
      await ctx.close();
    }
  }, 60_000);
  afterAll(async () => {
    await d?.remove();
  });

  it('usage --by cluster prints whose cluster each row is', async () => {
    const r = await d.run('usage', ...RANGE, '--by', 'cluster');
    expect(r.code).toBe(0);
    const lines = r.out
      .trim()
      .split('\n')
      .map((l) => l.split(/\s+/).slice(0, 3).join(' '));
    expect(lines).toEqual(['TENANT CLUSTER CPU', 'acme prod 1.00', 'globex prod 2.00', 'globex edge 4.00']);
  });

  it("costs --by owner -o csv keeps two tenants' alice apart", async () => {
    const r = await d.run('costs', ...RANGE, '--by', 'owner', '-o', 'csv');
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^tenant,owner,/);
    const cpuCost = lines[0]!.split(',').indexOf('cpuCost');
    expect(lines.slice(1).map((l) => [...l.split(',').slice(0, 2), l.split(',')[cpuCost]])).toEqual([
      ['acme', 'alice', '0.031611'],
      ['globex', 'alice', '0.063222'],
      ['globex', 'bob', '0.126444'],
    ]);
  });

  it('costs names the tenant of each gap', async () => {
    const r = await d.run('costs', ...RANGE, '--by', 'cluster');
    expect(r.out).toContain(
      '  prod (acme) 2026-03-02T10:01:00Z – 2026-03-02T10:02:00Z: metrics API unavailable\n',
    );
    expect(r.out).toContain(
      '  prod (globex) 2026-03-02T10:01:00Z – 2026-03-02T10:02:00Z: metrics API unavailable\n',
    );
  });

  it('--tenant reads one tenant, without the tenant column', async () => {
    const r = await d.run('usage', ...RANGE, '--by', 'owner', '--tenant', 'globex', '-o', 'csv');
    expect(r.out.split('\n').map((l) => l.split(',').slice(0, 2).join(','))).toEqual([
      'owner,cpuCoreHours',
      'alice,2',
      'bob,4',
      '',
    ]);
  });
});
