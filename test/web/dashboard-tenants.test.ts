/**
 * The dashboard of an admin of every tenant when two tenants each have a cluster `prod` and an
 * owner `alice`: the costs table has a tenant column, so that their rows say whose, and its title
 * still names the grouping chosen; each tenant's clusters can be chosen together, and a tenant that
 * prices in another currency is chosen apart.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppContext } from '../../src/app/context.js';
import { TWO_TENANTS_T0, writeTwoTenants } from '../support/two-tenants.js';
import { hasChromium, startDashboard } from './support.js';

const ADMIN = 'dashboard-tenants-token-0123456789';

describe.skipIf(!hasChromium)('dashboard over two tenants', () => {
  let dir: string;
  let ctx: AppContext;
  let url: string;
  let close: () => Promise<void>;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubetally-dash-tenants-'));
    ctx = await openApp({ database: dir, env: { KUBETALLY_DATA_DIR: dir } });
    await writeTwoTenants(ctx.store);
    ({ url, browser, close } = await startDashboard(ctx, ADMIN));
  }, 120_000);

  afterAll(async () => {
    await close?.();
    await ctx?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** The costs table's rows as [tenant, key, totalCost], once grouped by `by`. */
  async function rows(page: Page, by: string): Promise<[string, string, number][]> {
    await page.selectOption('#groupBy', by);
    await expect.poll(() => page.textContent('#costsTitle')).toBe(`Costs by ${by} (USD)`);
    return page.$$eval(
      '#costs tbody tr',
      (trs, k) =>
        trs.map((tr) => [
          tr.querySelector('td[data-field="tenant"]')?.textContent ?? '',
          tr.querySelector(`td[data-field="${k}"]`)!.textContent!,
          Number(tr.querySelector('td[data-field="totalCost"]')!.getAttribute('data-value')),
        ]) as [string, string, number][],
      by,
    );
  }

  it('shows whose prod and whose alice each row is, never one sum of the two', async () => {
    const page = await openDay();
    // CPU at 0.031611 per core-hour: 1, 2 and 4 core-hours (the management fee is not a row).
    const sorted = (r: [string, string, number][]) => [...r].sort((a, b) => a[2] - b[2]);
    expect(sorted(await rows(page, 'cluster'))).toEqual([
      ['acme', 'prod', 0.031611],
      ['globex', 'prod', 0.063222],
      ['globex', 'edge', 0.126444],
    ]);
    expect(sorted(await rows(page, 'owner'))).toEqual([
      ['acme', 'alice', 0.031611],
      ['globex', 'alice', 0.063222],
      ['globex', 'bob', 0.126444],
    ]);
    await page.close();
  });

  /** Opens the dashboard as the admin on the days from `fromDay` to `toDay`. */
  async function openRange(fromDay: string, toDay: string): Promise<Page> {
    const page = await browser.newPage();
    await page.goto(`${url}/#token=${ADMIN}`);
    await page.selectOption('#range', 'custom');
    await page.fill('#fromDay', fromDay);
    await page.fill('#toDay', toDay);
    await page.dispatchEvent('#toDay', 'change');
    return page;
  }

  /** Chooses 2026-03-02, the day of the ledger, and waits for its figures. */
  async function openDay(): Promise<Page> {
    const page = await openRange('2026-03-02', '2026-03-02');
    await expect.poll(() => page.textContent('#rangeShown'), { timeout: 20_000 }).toMatch(/^2026-03-02/);
    return page;
  }

  // Only one cluster or every tenant's could be chosen: globex's cost (prod and edge) was nowhere,
  // and once a tenant priced in euros the page opened on an error whose hint named API parameters.
  it("chooses a tenant's clusters together, and says to when tenants' currencies differ", async () => {
    const page = await openDay();
    expect(
      await page.$$eval('#cluster option', (o) => o.map((x) => [x.getAttribute('value'), x.textContent])),
    ).toEqual([
      ['', 'all clusters of every tenant'],
      ['acme/', 'all clusters of acme'],
      ['acme/prod', 'prod (acme)'],
      ['globex/', 'all clusters of globex'],
      ['globex/edge', 'edge'],
      ['globex/prod', 'prod (globex)'],
    ]);
    await page.selectOption('#cluster', 'globex/');
    await page.selectOption('#groupBy', 'cluster');
    await expect
      .poll(() => page.$$eval('#costs td[data-field="cluster"]', (c) => c.map((x) => x.textContent).sort()))
      .toEqual(['edge', 'prod']);
    expect(await page.$$eval('#costs td[data-field="tenant"]', (c) => c.length)).toBe(0);
    // The accounts are that tenant's.
    expect(
      await page.$$eval('#accounts td[data-field="tenant"]', (c) => [
        ...new Set(c.map((x) => x.textContent)),
      ]),
    ).toEqual(['globex']);
    await page.close();

    // A tenant that prices in euros: every tenant's clusters together cannot be added up.
    const post = (path: string, body: unknown) =>
      fetch(`${url}/api/v1/${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await post('tenants', { name: 'initech' })).status).toBe(201);
    const registered = await post('clusters', {
      name: 'lab',
      tenant: 'initech',
      inCluster: true,
      pricing: { currency: 'EUR' },
    });
    expect(registered.status).toBe(201);
    const eur = (await registered.json()) as { id: number };
    await ctx.store.writeInterval({
      clusterId: eur.id,
      intervalStart: TWO_TENANTS_T0,
      intervalEnd: TWO_TENANTS_T0 + 15 * 60_000,
      status: 'complete',
      coverage: 1,
      sampleCount: 15,
      podRows: [
        {
          podUid: 'carl-nb',
          namespace: 'ml-carl',
          podName: 'carl-nb',
          owner: 'carl',
          project: 'ml',
          computeType: 'notebook',
          usage: { cpuCoreNanos: 3_600n * 1_000_000_000n, podMillis: 900_000n },
        },
      ],
      gaps: [],
      errors: [],
    });
    // Not the range asked before: the API reuses an answer for about 30 s.
    const mixed = await openRange('2026-03-01', '2026-03-02');
    // Opened on every tenant, the page shows the first tenant's clusters instead, and says why.
    await expect.poll(() => mixed.inputValue('#cluster')).toBe('acme/');
    await expect
      .poll(() => mixed.textContent('#rangeShown'))
      .toBe(
        '2026-03-01 00:00:00 UTC to 2026-03-03 00:00:00 UTC (end excluded) of tenant acme: the clusters of this range price in EUR and USD: their costs cannot be added, so one tenant is shown (Cluster chooses another)',
      );
    expect(await mixed.isVisible('#status')).toBe(false);
    // Every tenant chosen by hand: the page says what to choose instead.
    await mixed.selectOption('#cluster', '');
    await expect
      .poll(() => mixed.textContent('#status'))
      .toBe(
        "Could not load: the clusters of this range price in EUR and USD: their costs cannot be added: choose one tenant's clusters under Cluster (all clusters of acme, …)",
      );
    await mixed.selectOption('#cluster', 'initech/');
    await expect.poll(() => mixed.textContent('#costsTitle')).toBe('Costs by owner (EUR)');
    expect(await mixed.isVisible('#status')).toBe(false);
    await mixed.close();
  });
});
