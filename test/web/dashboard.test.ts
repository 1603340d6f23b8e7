/**
 * The web dashboard in a real headless Chromium (Debian's `chromium`, driven by playwright-core),
 * over a server in this process whose ledger holds three collected hours of the `demo` simulator
 * with a metrics outage: what the page shows is what the API answers, to the unit.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, type Rig } from '../support/collection.js';
import { CHROMIUM, hasChromium, startDashboard } from './support.js';

if (!hasChromium)
  console.warn(`${CHROMIUM} is not installed: the dashboard tests are skipped (apt-get install chromium)`);

const ADMIN = 'dashboard-admin-token-0123456789';
const MIN = 60_000;
const DAY = 86_400_000;

let rig: Rig;
let url: string;
let close: () => Promise<void>;
let browser: Browser;
let userToken: string;
let fromDay: string;
let lastDay: string;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's answers, read field by field
async function api(path: string, token = ADMIN): Promise<any> {
  const res = await fetch(`${url}/api/v1/${path}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status, path).toBe(200);
  return res.json();
}

const day = (t: number) => new Date(t).toISOString().slice(0, 10);
const range = () => `from=${fromDay}&to=${day(Date.parse(lastDay) + DAY)}`;

async function open(token: string | undefined, width = 1280): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(token === undefined ? `${url}/` : `${url}/#token=${token}`);
  return { page, errors };
}

/** Chooses the collected days, then waits for the costs table of that range. */
async function showCollectedDays(page: Page): Promise<void> {
  await page.selectOption('#range', 'custom');
  await page.fill('#fromDay', fromDay);
  await page.fill('#toDay', lastDay);
  await page.dispatchEvent('#toDay', 'change');
  await expect
    .poll(() => page.textContent('#rangeShown'), { timeout: 20_000 })
    .toMatch(new RegExp(`^${fromDay}`));
}

/** The costs table as {group: totalCost}, from the cells' exact values. */
async function tableTotals(page: Page, key: string): Promise<Record<string, number>> {
  return page.$$eval(
    '#costs tbody tr',
    (rows, k) =>
      Object.fromEntries(
        rows.map((r) => [
          r.querySelector(`td[data-field="${k}"]`)!.textContent,
          Number(r.querySelector('td[data-field="totalCost"]')!.getAttribute('data-value')),
        ]),
      ),
    key,
  );
}

describe.skipIf(!hasChromium)('web dashboard', () => {
  beforeAll(async () => {
    rig = await startRig({ scenario: 'demo' });
    const t0 = rig.t0;
    await rig.collectUntil(t0 + 60 * MIN, MIN);
    rig.sim.faults.set({ metricsApi: 'unavailable', summaryApi: 'unavailable' });
    rig.sim.clock.advance(MIN);
    await rig.collectUntil(t0 + 80 * MIN, MIN);
    rig.sim.faults.clear();
    rig.sim.clock.advance(MIN);
    await rig.collectUntil(t0 + 180 * MIN, MIN);
    fromDay = day(t0);
    lastDay = day(t0 + 180 * MIN);
    ({ url, browser, close } = await startDashboard(rig.ctx, ADMIN));
    const res = await fetch(`${url}/api/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'user', tenant: 'default', owner: 'alice' }),
    });
    userToken = ((await res.json()) as { token: string }).token;
  }, 180_000);

  afterAll(async () => {
    await close?.();
    await rig?.close();
  });

  it('is served without a token, with a policy that allows only its own script', async () => {
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect((await fetch(`${url}/ui/app.js`)).status).toBe(200);
    expect((await fetch(`${url}/api/v1/costs`)).status).toBe(401); // the data still needs one
  });

  it('asks for a token, says when one is refused, then shows the costs the API answers', async () => {
    const { page, errors } = await open(undefined);
    await page.fill('#token', 'kt_000000000000_wrong-token-wrong-token-wrong-token');
    await page.click('#tokenForm button');
    await expect.poll(() => page.textContent('#signInError')).toMatch(/refused/);
    expect(errors).toEqual([expect.stringMatching(/401/)]); // the browser's note of the refusal
    errors.length = 0;
    await page.fill('#token', ADMIN);
    await page.click('#tokenForm button');
    await showCollectedDays(page);
    const answer = await api(`costs?${range()}&groupBy=owner`);
    expect(answer.rows.length).toBeGreaterThan(3);
    expect(await tableTotals(page, 'owner')).toEqual(
      Object.fromEntries(answer.rows.map((r: { [k: string]: number }) => [r.owner, r.totalCost])),
    );
    expect(Number(await page.getAttribute('[data-card="totalCost"] .value', 'data-value'))).toBe(
      answer.totals.clusterCost,
    );
    // The outage is listed, as the API lists it.
    expect(answer.gaps.length).toBeGreaterThan(0);
    expect(await page.isVisible('#gapsPanel')).toBe(true);
    expect(await page.$$eval('#gaps tbody tr', (r) => r.length)).toBe(answer.gaps.length);
    expect(await page.textContent('[data-card="gaps"] .value')).toBe(String(answer.gaps.length));
    // Cost per day: one bar per day, each the day's total.
    const daily = await api(`costs?${range()}&groupBy=cluster&step=day`);
    const bars = await page.$$eval('#daily rect', (rs) =>
      rs.map((r) => Number(r.getAttribute('data-value'))),
    );
    expect(bars.reduce((a, b) => a + b, 0)).toBeCloseTo(
      daily.rows.reduce((s: number, r: { totalCost: number }) => s + r.totalCost, 0),
      6,
    );
    // The management fee is in no bar, and the page says so: bars + fee = the total.
    const fee = Number(await page.getAttribute('#dailyFee', 'data-value'));
    expect(fee).toBe(daily.totals.managementCost);
    expect(fee).toBeGreaterThan(0);
    expect(await page.isVisible('#dailyNote')).toBe(true);
    expect(bars.reduce((a, b) => a + b, 0) + fee).toBeCloseTo(answer.totals.clusterCost, 6);
    expect(errors).toEqual([]);
    // Days that make no range: the reason, and no figures of the range before.
    await page.fill('#fromDay', '2099-01-03');
    await page.fill('#toDay', '2099-01-01');
    await page.dispatchEvent('#toDay', 'change');
    await expect.poll(() => page.textContent('#status')).toMatch(/^No range: /);
    expect(await page.isVisible('#dashboard')).toBe(false);
    await page.close();
  });

  it('groups by what is chosen, and lists clusters, savings and accounts for an admin', async () => {
    const { page, errors } = await open(ADMIN);
    await showCollectedDays(page);
    await page.selectOption('#groupBy', 'project');
    await expect.poll(() => page.textContent('#costsTitle')).toMatch(/^Costs by project/);
    const answer = await api(`costs?${range()}&groupBy=project`);
    expect(await tableTotals(page, 'project')).toEqual(
      Object.fromEntries(answer.rows.map((r: { [k: string]: number }) => [r.project, r.totalCost])),
    );
    const clusters = await api(`costs/clusters?${range()}`);
    // Idle as the clusters count it, whatever the grouping (by cluster it is inside each row).
    const idle = clusters.clusters.reduce((s: number, c: { idleCost: number }) => s + c.idleCost, 0);
    expect(idle).toBeGreaterThan(0);
    for (const by of ['project', 'cluster']) {
      await page.selectOption('#groupBy', by);
      await expect.poll(() => page.textContent('#costsTitle')).toMatch(new RegExp(`^Costs by ${by}`));
      expect(Number(await page.getAttribute('[data-card="idleCost"] .value', 'data-value'))).toBe(idle);
    }
    await page.selectOption('#groupBy', 'project');
    expect(
      await page.$$eval('#clusters td[data-field="totalCost"]', (c) =>
        c.map((x) => Number(x.getAttribute('data-value'))),
      ),
    ).toEqual(clusters.clusters.map((c: { totalCost: number }) => c.totalCost));
    // Each cluster's collection state, as its status says.
    const status = await api('clusters/sim/status');
    expect(await page.textContent('#clusters td[data-field="lastStatus"]')).toBe(status.runs[0].status);
    // The demo's price sheet has no node prices: its node and idle costs are list prices, which the
    // table alone did not say.
    const unpriced = clusters.clusters[0].unpricedInstanceTypes as string[];
    expect(unpriced.length).toBeGreaterThan(1);
    expect(await page.textContent('#clustersNote')).toBe(
      `sim: ${unpriced.join(', ')} have no node price in its price sheet, so their node and idle costs are allocatable capacity at resource prices.`,
    );
    expect(await page.textContent('#clusters td[data-field="collectedUntil"]')).toBe(
      status.lastInterval.end.replace('T', ' ').replace(/Z$/, ' UTC'),
    );
    const accounts = await api('accounts');
    expect(await page.$$eval('#accounts tbody tr', (r) => r.length)).toBe(accounts.accounts.length);
    // Balances say their currency.
    expect(
      await page.$$eval('#accounts td[data-field="currency"]', (c) => c.map((x) => x.textContent)),
    ).toEqual(accounts.accounts.map((a: { currency: string }) => a.currency));
    expect(accounts.accounts[0].currency).toBe('USD');
    expect(await page.isVisible('#savingsPanel')).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('downloads the costs shown as CSV, the same text the API answers for that range', async () => {
    const { page, errors } = await open(ADMIN);
    await showCollectedDays(page);
    await page.selectOption('#groupBy', 'namespace');
    await expect.poll(() => page.textContent('#costsTitle')).toMatch(/^Costs by namespace/);
    const [file] = await Promise.all([page.waitForEvent('download'), page.click('#costsCsv')]);
    const text = await new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      void file.createReadStream().then((s) =>
        s
          .on('data', (c: Buffer) => chunks.push(c))
          .on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
          .on('error', reject),
      );
    });
    const from = `${fromDay}T00:00:00Z`;
    const to = `${day(Date.parse(lastDay) + DAY)}T00:00:00Z`;
    expect(file.suggestedFilename()).toBe(
      `kubetally-costs-by-namespace-${from.slice(0, 16).replace(':', '')}-to-${to.slice(0, 16).replace(':', '')}.csv`,
    );
    const res = await fetch(`${url}/api/v1/costs?${range()}&groupBy=namespace&format=csv`, {
      headers: { authorization: `Bearer ${ADMIN}` },
    });
    const expected = await res.text();
    expect(expected.split('\n').length).toBeGreaterThan(3);
    expect(text).toBe(expected);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows a user token its own costs and account only, without the tenant's panels", async () => {
    const { page, errors } = await open(userToken);
    await showCollectedDays(page);
    const mine = await api(`costs?${range()}&groupBy=owner`, userToken);
    expect(Object.keys(await tableTotals(page, 'owner'))).toEqual(['alice']);
    expect(await tableTotals(page, 'owner')).toEqual({ alice: mine.rows[0].totalCost });
    for (const panel of ['#clustersPanel', '#savingsPanel'])
      expect(await page.isVisible(panel), panel).toBe(false);
    expect(await page.isVisible('#cluster')).toBe(false);
    expect(await page.$$eval('#accounts td[data-field="owner"]', (c) => c.map((x) => x.textContent))).toEqual(
      ['alice'],
    );
    expect(await page.textContent('#who')).toBe('alice (default)');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('tells a user token whose owner has no account yet so, without an error in the console', async () => {
    const res = await fetch(`${url}/api/v1/tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'user', tenant: 'default', owner: 'newcomer' }),
    });
    const { page, errors } = await open(((await res.json()) as { token: string }).token);
    await showCollectedDays(page);
    expect(await page.textContent('#who')).toBe('newcomer (default)');
    expect(await page.isVisible('#accountsPanel')).toBe(true);
    expect(await page.textContent('#accounts tbody')).toBe('no account yet');
    // The browser notes every answer of 4xx in the console: none may be asked for.
    expect(errors).toEqual([]);
    await page.close();
  });

  it('writes names as text, never as markup', async () => {
    const name = '<img src=x onerror="document.title=1">';
    const res = await fetch(`${url}/api/v1/accounts/${encodeURIComponent(name)}/credits`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: '5', reason: 'test' }),
    });
    expect(res.status).toBe(201);
    const { page } = await open(ADMIN);
    await showCollectedDays(page);
    const owners = await page.$$eval('#accounts td[data-field="owner"]', (c) => c.map((x) => x.textContent));
    expect(owners).toContain(name);
    expect(await page.$$('#accounts img')).toEqual([]);
    expect(await page.title()).toBe('kubetally');
    await page.close();
  });

  it('shows a removed cluster, whose history stays in the costs, as removed', async () => {
    // Removed before anything was collected: /costs/clusters still lists it (at zero), and its
    // status is gone (404), which made the whole page "Could not load: cluster old not found".
    const old = await rig.ctx.store.createCluster({ name: 'old', connection: 'in-cluster' });
    await rig.ctx.store.removeCluster(old.id);
    const clusters = await api(`costs/clusters?${range()}`);
    expect(clusters.clusters.find((c: { cluster: string }) => c.cluster === 'old')).toMatchObject({
      clusterId: old.id,
      intervals: 0,
      removedAt: expect.stringMatching(/Z$/),
    });
    expect(clusters.clusters.find((c: { cluster: string }) => c.cluster === 'sim').removedAt).toBeUndefined();
    const { page, errors } = await open(ADMIN);
    await showCollectedDays(page);
    const states = await page.$$eval('#clusters tbody tr', (rows) =>
      rows.map((r) => [
        r.querySelector('td[data-field="cluster"]')!.textContent,
        r.querySelector('td[data-field="lastStatus"]')!.textContent,
      ]),
    );
    expect(Object.fromEntries(states)).toMatchObject({ old: 'removed' });
    expect(await page.isVisible('#status')).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits a phone-sized window: wide tables scroll inside their panel', async () => {
    const { page, errors } = await open(ADMIN, 390);
    await showCollectedDays(page);
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    expect(errors).toEqual([]);
    await page.close();
  });
});
