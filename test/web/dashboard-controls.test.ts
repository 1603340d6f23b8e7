/**
 * The dashboard's controls in a real headless Chromium, over an hour of the `demo` simulator:
 * chosen days the page cannot ask for, sorting from the keyboard, and an API that does not answer.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRig, type Rig } from '../support/collection.js';
import { hasChromium, startDashboard } from './support.js';

const ADMIN = 'dashboard-controls-token-0123456789';
const MIN = 60_000;

let rig: Rig;
let url: string;
let close: () => Promise<void>;
let browser: Browser;
let firstDay: string;

interface Opened {
  page: Page;
  errors: string[];
  /** Every API request the page made, path and query. */
  asked: string[];
}

async function open(token = ADMIN): Promise<Opened> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors: string[] = [];
  const asked: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('request', (r) => {
    if (r.url().includes('/api/')) asked.push(r.url().slice(url.length));
  });
  await page.goto(`${url}/#token=${token}`);
  await page.waitForSelector('#costs tbody tr');
  return { page, errors, asked };
}

/** POST /api/v1/{path} as the admin; the answer's body. */
async function post(path: string, body: unknown): Promise<{ token: string }> {
  const res = await fetch(`${url}/api/v1/${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status, path).toBeLessThan(300);
  return (await res.json()) as { token: string };
}

/** The `notes` of GET /api/v1/costs?{query} for `token`. */
async function notes(query: string, token = ADMIN): Promise<string[]> {
  const res = await fetch(`${url}/api/v1/costs?${query}`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { notes: string[] }).notes;
}

/** The first column's texts, top to bottom. */
const firstColumn = (page: Page) =>
  page.$$eval('#costs tbody tr', (rows) => rows.map((r) => r.children[0]!.textContent));

describe.skipIf(!hasChromium)('web dashboard controls', () => {
  beforeAll(async () => {
    rig = await startRig({ scenario: 'demo' });
    await rig.collectUntil(rig.t0 + 60 * MIN, 5 * MIN);
    firstDay = new Date(rig.t0).toISOString().slice(0, 10);
    ({ url, browser, close } = await startDashboard(rig.ctx, ADMIN));
  }, 180_000);

  afterAll(async () => {
    await close?.();
    await rig?.close();
  });

  // The simulator lives in its own time (months before this machine's): the default range, the
  // last day of this browser's clock, holds nothing, and the page says where the costs are.
  it('says how far the clusters are collected when the range is after all of it', async () => {
    const { page, errors } = await open();
    const end = (await rig.ctx.store.lastClosedInterval(rig.cluster.id))!.intervalEnd;
    const until = new Date(end)
      .toISOString()
      .replace('T', ' ')
      .replace(/(:\d\d)(\.\d+)?Z$/, '$1 UTC');
    expect(await page.textContent('#costs td.empty')).toBe(
      `nothing in this range: the clusters are collected until ${until} (their time); choose earlier days`,
    );
    // A range that holds them shows them.
    await page.selectOption('#range', 'custom');
    await page.fill('#fromDay', firstDay);
    await page.fill('#toDay', firstDay);
    await page.dispatchEvent('#toDay', 'change');
    await expect.poll(() => page.$$eval('#costs tbody tr td.empty', (c) => c.length)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  // The page explained only a range after everything collected, and only to readers of the
  // clusters: before it, for a user token, or while nothing was collected, the table said
  // "nothing in this range" and the cards 0.00, as if nothing had been used. The API's notes say why.
  it('says why a range is empty before the ledger, to a user token, and while nothing is collected', async () => {
    const { page, errors } = await open();
    await page.selectOption('#range', 'custom');
    await page.fill('#fromDay', '2020-01-01');
    await page.fill('#toDay', '2020-01-02');
    await page.dispatchEvent('#toDay', 'change');
    await expect.poll(() => page.textContent('#rangeShown')).toMatch(/^2020-01-01/);
    const before = await notes('from=2020-01-01&to=2020-01-03&groupBy=owner');
    expect(before).toEqual([expect.stringMatching(/^the ledger holds intervals from /)]);
    expect(await page.textContent('#costs td.empty')).toBe(`nothing in this range: ${before.join(' ')}`);
    await page.close();

    // A user token reads no clusters: the API's note says where its costs are.
    const user = await post('tokens', { role: 'user', tenant: 'default', owner: 'alice' });
    const mine = await open(user.token);
    const userNotes = await notes('from=-7d&groupBy=owner', user.token);
    expect(userNotes).toEqual([expect.stringMatching(/^the ledger holds intervals from /)]);
    expect(await mine.page.textContent('#costs td.empty')).toBe(
      `nothing in this range: ${userNotes.join(' ')}`,
    );
    await mine.page.close();

    // A tenant without a cluster yet: its viewer is told what fills the ledger.
    await post('tenants', { name: 'newcomers' });
    const viewer = await post('tokens', { role: 'viewer', tenant: 'newcomers' });
    const empty = await open(viewer.token);
    const emptyNotes = await notes('from=-7d&groupBy=owner', viewer.token);
    expect(emptyNotes).toEqual([expect.stringMatching(/^tenant newcomers has no cluster registered/)]);
    expect(await empty.page.textContent('#costs td.empty')).toBe(
      `nothing in this range: ${emptyNotes.join(' ')}`,
    );
    await empty.page.close();
    expect([...errors, ...mine.errors, ...empty.errors]).toEqual([]);
  });

  it('says what is wrong with reversed days, and asks the API nothing for them', async () => {
    const { page, errors, asked } = await open();
    await page.selectOption('#range', 'custom');
    await page.fill('#fromDay', '2099-01-03');
    await page.fill('#toDay', '2099-01-01');
    await page.dispatchEvent('#toDay', 'change');
    await expect
      .poll(() => page.textContent('#status'))
      .toBe('No range: the first day (2099-01-03) is after the last (2099-01-01): swap them');
    expect(await page.isVisible('#dashboard')).toBe(false);
    expect(await page.getAttribute('#toDay', 'aria-invalid')).toBe('true');
    expect(asked.filter((q) => q.includes('2099'))).toEqual([]);
    expect(errors).toEqual([]);
    // Days in order again: the figures of that range.
    await page.fill('#fromDay', firstDay);
    await page.fill('#toDay', firstDay);
    await page.dispatchEvent('#toDay', 'change');
    await expect.poll(() => page.textContent('#rangeShown')).toMatch(new RegExp(`^${firstDay} 00:00:00 UTC`));
    expect(await page.isVisible('#status')).toBe(false);
    expect(await page.getAttribute('#toDay', 'aria-invalid')).toBe('false');
    await page.close();
  });

  it('waits for a typed year to be whole, and takes no year past 9999', async () => {
    const { page, errors, asked } = await open();
    await page.selectOption('#range', 'custom');
    await page.fill('#fromDay', firstDay);
    await page.dispatchEvent('#fromDay', 'change');
    // Typed digit by digit, the field holds 0002-01-02, 0020-01-02, 0202-01-02, then 2026-01-02;
    // its max keeps the year to four digits, so a fifth starts it again.
    await page.focus('#toDay');
    await page.keyboard.type('0102202612');
    await page.keyboard.press('Tab');
    expect(await page.inputValue('#toDay')).toBe('2612-01-02');
    await expect
      .poll(() => page.textContent('#rangeShown'))
      .toBe(`${firstDay} 00:00:00 UTC to 2612-01-03 00:00:00 UTC (end excluded)`);
    // Only whole years were asked for: before, each digit was a refused request.
    expect(asked.filter((q) => /\bto=0/.test(q))).toEqual([]);
    // A six-digit year (the field holds one when set, or in a browser that lets it be typed) was a
    // RangeError in the page.
    await page.$eval('#toDay', (e) => {
      // The page's input element (the test's tsconfig has no DOM types).
      const input = e as unknown as { value: string; dispatchEvent(ev: unknown): boolean };
      input.value = '202612-01-02';
      input.dispatchEvent(new Event('change'));
    });
    await expect
      .poll(() => page.textContent('#status'))
      .toBe(
        'No range: 202612-01-02 is outside the days the ledger can hold: choose days from 1970-01-01 to 9999-12-30',
      );
    expect(errors).toEqual([]);
    await page.close();
  });

  it('keeps a slot for each day of the range, with costs or not', async () => {
    const { page, errors } = await open();
    const DAY = 24 * 60 * MIN;
    const before = (n: number) => new Date(Date.parse(firstDay) - n * DAY).toISOString().slice(0, 10);
    const lastDay = new Date(rig.t0 + 60 * MIN).toISOString().slice(0, 10);
    await page.selectOption('#range', 'custom');
    await page.fill('#fromDay', before(2));
    await page.fill('#toDay', lastDay);
    await page.dispatchEvent('#toDay', 'change');
    await expect.poll(() => page.textContent('#rangeShown')).toMatch(new RegExp(`^${before(2)}`));
    const res = await fetch(
      `${url}/api/v1/costs?from=${before(2)}&to=${new Date(Date.parse(lastDay) + DAY).toISOString().slice(0, 10)}&groupBy=cluster&step=day`,
      { headers: { authorization: `Bearer ${ADMIN}` } },
    );
    const withCosts = [
      ...new Set(((await res.json()) as { rows: { start: string }[] }).rows.map((r) => r.start.slice(0, 10))),
    ];
    expect(withCosts[0]).toBe(firstDay);
    // The two days before collection began are slots without a bar, not left out.
    const slots = [before(2), before(1), ...new Set([firstDay, lastDay])];
    expect(await page.$$eval('#daily text', (t) => t.map((x) => x.getAttribute('data-day')))).toEqual(slots);
    expect(await page.$$eval('#daily rect', (r) => r.map((x) => x.getAttribute('data-day')))).toEqual(
      withCosts,
    );
    const x = (d: string) => page.getAttribute(`#daily rect[data-day="${d}"]`, 'x');
    const w = await page.$eval('#daily svg', (svg) => svg.clientWidth);
    expect(Number(await x(firstDay))).toBeCloseTo((2 * w) / slots.length + (w / slots.length) * 0.15, 6);
    expect(errors).toEqual([]);
    await page.close();
  });

  // The chart was drawn 1000 units wide and stretched to its box: on a phone its day labels were
  // squeezed to a third of their width, over a long range they ran into each other, and the first
  // and last were cut in half at the edges. Its figures were only in the bars' hover titles.
  it('draws the day labels legibly on a phone, inside the chart and apart, and says the figures', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    await page.goto(`${url}/#token=${ADMIN}`);
    await page.waitForSelector('#costs tbody tr');
    const DAY = 24 * 60 * MIN;
    const before = new Date(Date.parse(firstDay) - 60 * DAY).toISOString().slice(0, 10);
    await page.selectOption('#range', 'custom');
    await page.fill('#fromDay', before);
    await page.fill('#toDay', firstDay);
    await page.dispatchEvent('#toDay', 'change');
    await expect.poll(() => page.$$eval('#daily rect', (r) => r.length)).toBe(1);
    const chart = () =>
      page.$eval('#daily svg', (svg) => {
        const box = svg.getBoundingClientRect();
        return {
          viewBox: svg.getAttribute('viewBox'),
          width: svg.clientWidth,
          label: svg.getAttribute('aria-label'),
          labels: [...svg.querySelectorAll('text')].map((t) => {
            const r = t.getBoundingClientRect();
            return { left: r.left - box.left, right: r.right - box.left, width: box.width };
          }),
        };
      });
    // One unit a pixel: nothing is stretched.
    await expect
      .poll(async () => {
        const c = await chart();
        return c.viewBox === `0 0 ${c.width} 180` && c.width < 390;
      })
      .toBe(true);
    const small = await chart();
    expect(small.labels.length).toBeGreaterThan(3);
    for (const [i, l] of small.labels.entries()) {
      expect(l.left, `label ${i}`).toBeGreaterThanOrEqual(0);
      expect(l.right, `label ${i}`).toBeLessThanOrEqual(l.width);
      if (i > 0) expect(l.left, `label ${i}`).toBeGreaterThan(small.labels[i - 1]!.right);
    }
    const value = Number(await page.getAttribute('#daily rect', 'data-value'));
    const shown = value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(small.label).toBe(`cost per day (USD): ${firstDay} ${shown}`);
    // A wider window draws it again at its new width.
    await page.setViewportSize({ width: 1280, height: 800 });
    const drawnAtItsWidth = async () => {
      const c = await chart();
      return c.width > 1000 && c.viewBox === `0 0 ${c.width} 180`;
    };
    await expect.poll(drawnAtItsWidth).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('sorts a table from the keyboard and says how it is sorted', async () => {
    const { page, errors } = await open();
    const owners = await firstColumn(page);
    expect(await page.getAttribute('#costs th[data-sort="totalCost"]', 'aria-sort')).toBe('descending');
    await page.focus('#costs th[data-sort="owner"] button');
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.getAttribute('#costs th[data-sort="owner"]', 'aria-sort'))
      .toBe('descending');
    const byName = (a: string | null, b: string | null) => String(b).localeCompare(String(a));
    expect(await firstColumn(page)).toEqual([...owners].sort(byName));
    expect(await page.getAttribute('#costs th[data-sort="totalCost"]', 'aria-sort')).toBeNull();
    // The focus stays on the header just used, so a second Enter turns the order round.
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getAttribute('#costs th[data-sort="owner"]', 'aria-sort')).toBe('ascending');
    expect(await firstColumn(page)).toEqual([...owners].sort(byName).reverse());
    expect(errors).toEqual([]);
    await page.close();
  });

  // A request is only ever lowered (pricing/savings): one kept read "memory 70 → 70 MiB", and a
  // workload that requests no memory "memory 0 → 0 MiB".
  it('words right-sizing advice for requests kept and requests never made', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const rightSize = (
      name: string,
      cpu: [number, number],
      memory: [number, number],
      monthlySaving: number,
    ) => ({
      kind: 'right-size',
      namespace: 'kube-system',
      workloadKind: 'Deployment',
      workloadName: name,
      owner: '__unowned__',
      cpuRequestMillicores: cpu[0],
      cpuRecommendedMillicores: cpu[1],
      memoryRequestMiB: memory[0],
      memoryRecommendedMiB: memory[1],
      monthlySaving,
    });
    await page.route('**/api/v1/savings*', (r) =>
      r.fulfill({
        json: {
          clusters: [
            {
              cluster: 'sim',
              tenant: 'default',
              currency: 'USD',
              recommendations: [
                rightSize('api', [4000, 207], [8192, 805], 109.84),
                rightSize('proxy', [100, 25], [0, 0], 3.83),
                rightSize('dns', [100, 25], [70, 70], 2.1),
                rightSize('etl', [2500, 2500], [5120, 4453], 0.08),
              ],
            },
          ],
        },
      }),
    );
    await page.goto(`${url}/#token=${ADMIN}`);
    await page.waitForSelector('#savings tbody tr');
    expect(await page.$$eval('#savings td[data-field="kind"]', (c) => c.map((x) => x.textContent))).toEqual([
      'CPU 4000m → 207m, memory 8192 MiB → 805 MiB',
      'CPU 100m → 25m, no memory request',
      'CPU 100m → 25m, memory 70 MiB as requested',
      'CPU 2500m as requested, memory 5120 MiB → 4453 MiB',
    ]);
    await page.close();
  });

  // Signed in from the keyboard, the token field was hidden with the focus in it: the next Tab
  // went on from there, past Range, Group by, Cluster and Sign out, to the CSV button.
  it('puts the focus on the controls after signing in, and on the token field after signing out', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${url}/`);
    expect(await page.evaluate('document.activeElement?.id')).toBe('token');
    await page.keyboard.type(ADMIN);
    await page.keyboard.press('Enter');
    await page.waitForSelector('#costs tbody tr');
    expect(await page.evaluate('document.activeElement?.id')).toBe('range');
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.id')).toBe('groupBy');
    await page.click('#signOut');
    expect(await page.evaluate('document.activeElement?.id')).toBe('token');
    await page.close();
  });

  it('says the server did not answer when it is down', async () => {
    const { page } = await open();
    await page.route('**/api/**', (r) => r.abort('connectionrefused'));
    await page.selectOption('#groupBy', 'project');
    await expect
      .poll(() => page.textContent('#status'))
      .toBe('Could not load: the server did not answer (is kubetally running at this address?)');
    expect(await page.isVisible('#dashboard')).toBe(false);
    await page.close();
  });

  // Last: the address stays refused for the rest of the minute (valid tokens still work).
  // A refused sign-in hid the form and showed the controls of a session that never began, with the
  // wrong token kept in the tab for the next load to send again.
  it('keeps the sign-in form, with the wait, when the address has sent too many wrong tokens', async () => {
    for (let i = 0; i < 11; i++) {
      await fetch(`${url}/api/v1/me`, { headers: { authorization: `Bearer kt_000000000000_wrong-${i}` } });
    }
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${url}/`);
    await page.fill('#token', 'kt_000000000000_wrong-once-more');
    await page.click('#tokenForm button');
    await expect
      .poll(() => page.textContent('#signInError'))
      .toMatch(
        /^too many failed authentication attempts from this address \(wait \d+ s, and check the token you send\)$/,
      );
    expect(await page.isVisible('#signIn')).toBe(true);
    expect(await page.isVisible('#controls')).toBe(false);
    expect(await page.isVisible('#status')).toBe(false);
    expect(await page.evaluate('sessionStorage.length')).toBe(0);
    await page.close();
  });
});
