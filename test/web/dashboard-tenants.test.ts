/**
 * The dashboard of an admin of every tenant when two tenants each have a cluster `prod` and an
 * owner `alice`: the costs table has a tenant column, so that their rows say whose, and its title
 * still names the grouping chosen.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppContext } from '../../src/app/context.js';
import { writeTwoTenants } from '../support/two-tenants.js';
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
    const page = await browser.newPage();
    await page.goto(`${url}/#token=${ADMIN}`);
    await page.selectOption('#range', 'custom');
    await page.fill('#fromDay', '2026-03-02');
    await page.fill('#toDay', '2026-03-02');
    await page.dispatchEvent('#toDay', 'change');
    await expect.poll(() => page.textContent('#rangeShown'), { timeout: 20_000 }).toMatch(/^2026-03-02/);
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
});
