/**
 * The dashboard once a cluster is removed: its history stays in the costs (docs/cli.md), so the
 * clusters panel still lists it, but it has no status any more. The page asked each listed
 * cluster's status and a removed one's 404 failed it whole: "Could not load: cluster edge not found".
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApp, type AppContext } from '../../src/app/context.js';
import { writeTwoTenants } from '../support/two-tenants.js';
import { hasChromium, startDashboard } from './support.js';

const ADMIN = 'dashboard-removed-token-0123456789';

describe.skipIf(!hasChromium)('dashboard with a removed cluster', () => {
  let dir: string;
  let ctx: AppContext;
  let url: string;
  let close: () => Promise<void>;
  let browser: Browser;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubetally-dash-removed-'));
    ctx = await openApp({ database: dir, env: { KUBETALLY_DATA_DIR: dir } });
    await writeTwoTenants(ctx.store);
    ({ url, browser, close } = await startDashboard(ctx, ADMIN));
  }, 120_000);

  afterAll(async () => {
    await close?.();
    await ctx?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('lists a removed cluster with its costs, as removed, and asks nothing of it', async () => {
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${url}/api/v1/${path}`, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    expect((await call('DELETE', 'clusters/edge?tenant=globex')).status).toBe(204);
    const viewer = (await (await call('POST', 'tokens', { role: 'viewer', tenant: 'globex' })).json()) as {
      token: string;
    };

    const page = await browser.newPage();
    const errors: string[] = [];
    const asked: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('request', (r) => {
      if (r.url().includes('/api/')) asked.push(r.url().slice(url.length));
    });
    await page.goto(`${url}/#token=${viewer.token}`);
    await page.selectOption('#range', 'custom');
    await page.fill('#fromDay', '2026-03-02');
    await page.fill('#toDay', '2026-03-02');
    await page.dispatchEvent('#toDay', 'change');
    await expect.poll(() => page.textContent('#rangeShown'), { timeout: 20_000 }).toMatch(/^2026-03-02/);

    expect(await page.isVisible('#status')).toBe(false);
    const clusters = await page.$$eval('#clusters tbody tr', (rows) =>
      rows.map((r) =>
        ['cluster', 'totalCost', 'collectedUntil', 'lastStatus'].map(
          (k) => r.querySelector(`td[data-field="${k}"]`)!.textContent,
        ),
      ),
    );
    // Each cluster's cost is bob's or alice's CPU plus a quarter hour's management fee (0.10 / 4).
    expect(clusters).toEqual([
      ['edge', '0.15', '–', 'removed'],
      ['prod', '0.09', '2026-03-02 10:15:00 UTC', 'partial'],
    ]);
    // Bob's costs, written on edge before it was removed, are still there.
    expect(
      await page.$$eval('#costs tbody tr', (rows) =>
        rows.map((r) => [
          r.querySelector('td[data-field="owner"]')!.textContent,
          r.querySelector('td[data-field="totalCost"]')!.getAttribute('data-value'),
        ]),
      ),
    ).toEqual([
      ['bob', '0.126444'],
      ['alice', '0.063222'],
    ]);
    expect(asked.filter((a) => a.startsWith('/api/v1/clusters/edge'))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
