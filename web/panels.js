// The dashboard's panels, each drawn from one API answer.
import { api } from './api.js';
import { $, day, el, percent, renderTable, two, when } from './ui.js';

const SVG = 'http://www.w3.org/2000/svg';

const GROUP_LABELS = {
  owner: 'owner',
  project: 'project',
  namespace: 'namespace',
  computeType: 'compute type',
  cluster: 'cluster',
  tenant: 'tenant',
};

/**
 * The key the table was asked for: an answer over several tenants puts `tenant` before it (two
 * tenants' "alice" or "prod" are not the same), and the idle rows are named in the asked key.
 */
const askedKey = (groupBy) => groupBy.find((k) => k !== 'tenant') ?? groupBy[0];

/** `clusters` is the range's /costs/clusters answer (readers only): idle as the clusters count it. */
export function renderSummary(costs, clusters) {
  const rows = costs.rows.filter((r) => r[askedKey(costs.groupBy)] !== '__idle__');
  const sum = (f) => rows.reduce((s, r) => s + (r[f] ?? 0), 0);
  // By cluster the idle share is inside each cluster's row: the clusters' own figure says it.
  const idle = (clusters?.clusters ?? []).reduce((s, c) => s + c.idleCost, 0);
  const currency = costs.currency ?? 'mixed currencies';
  const cards = [
    [
      'total cost',
      costs.totals?.clusterCost ?? costs.totals?.totalCost ?? sum('totalCost'),
      currency,
      'totalCost',
    ],
    ['idle cost', idle, currency, 'idleCost'],
    ['CPU core-hours used', sum('cpuCoreHours'), '', 'cpuCoreHours'],
    ['memory GiB-hours used', sum('memoryGiBHours'), '', 'memoryGiBHours'],
    ['GPU hours', sum('gpuHours'), '', 'gpuHours'],
    ['gaps', costs.gaps.length, '', 'gaps'],
  ];
  if (clusters === null) cards.splice(1, 1); // a user's own costs have no idle share
  $('summary').replaceChildren(
    ...cards.map(([label, value, unit, key]) =>
      el(
        'div',
        { class: 'card', 'data-card': key },
        el('div', { class: 'label' }, label),
        el(
          'div',
          { class: 'value', 'data-value': String(value) },
          key === 'gaps' ? String(value) : `${two(value)}${unit ? ` ${unit}` : ''}`,
        ),
      ),
    ),
  );
}

export function renderGaps(gaps) {
  $('gapsPanel').hidden = gaps.length === 0;
  $('gaps').tBodies[0].replaceChildren(
    ...gaps.map((g) =>
      el(
        'tr',
        {},
        // Over several tenants a gap says whose cluster: two tenants may both have a "prod".
        el('td', {}, g.tenant === undefined ? (g.cluster ?? '') : `${g.cluster} (${g.tenant})`),
        el('td', {}, when(g.start)),
        el('td', {}, when(g.end)),
        el('td', {}, g.reason),
      ),
    ),
  );
}

/** The chart's last answer and the width it was drawn at: a new width draws it again. */
let dailyDrawn;
const dailyResized = new ResizeObserver(() => {
  const width = $('daily').clientWidth;
  if (dailyDrawn !== undefined && width > 0 && width !== dailyDrawn.width) renderDaily(dailyDrawn.daily);
});

/** Room a day's label ("12-31" at 10px) needs, in CSS pixels. */
const LABEL_WIDTH = 40;

/** Bars of the rows' cost per day; the management fee is per cluster, not per row: said beside. */
export function renderDaily(daily) {
  const fee = daily.totals?.managementCost;
  $('dailyNote').hidden = !(fee > 0);
  $('dailyFee').textContent = `${two(fee ?? 0)} ${daily.currency ?? ''}`;
  $('dailyFee').setAttribute('data-value', String(fee ?? 0));
  const byDay = new Map();
  for (const r of daily.rows) byDay.set(day(r.start), (byDay.get(day(r.start)) ?? 0) + r.totalCost);
  const box = $('daily');
  if (dailyDrawn === undefined) dailyResized.observe(box);
  // Drawn at the width it is shown at: a fixed viewBox stretched to the box (preserveAspectRatio
  // none) squeezed the day labels into illegible slivers on a phone.
  const w = box.clientWidth > 0 ? box.clientWidth : 1000;
  dailyDrawn = { daily, width: box.clientWidth };
  if (byDay.size === 0) {
    box.replaceChildren(el('p', { class: 'empty' }, 'nothing in this range'));
    return;
  }
  const svg = document.createElementNS(SVG, 'svg');
  const h = 180;
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  // Every day of the range has its slot: a day nothing was collected on stays an empty slot,
  // where the days on either side used to close up over it.
  const days = slotDays(daily, [...byDay.keys()].sort()).map((d) => [d, byDay.get(d)]);
  // The figures, for those who cannot hover a bar for its title (keyboard, screen readers).
  svg.setAttribute(
    'aria-label',
    `cost per day (${daily.currency ?? 'mixed currencies'}): ${days
      .filter(([, v]) => v !== undefined)
      .map(([d, v]) => `${d} ${two(v)}`)
      .join(', ')}`,
  );
  const max = Math.max(...byDay.values(), 1e-9);
  const slot = w / days.length;
  const labelEvery = Math.ceil(days.length / Math.max(1, Math.floor(w / LABEL_WIDTH)));
  days.forEach(([d, v], i) => {
    // A label wider than its slot stays inside the chart at either end.
    const x = Math.min(Math.max((i + 0.5) * slot, LABEL_WIDTH / 2), w - LABEL_WIDTH / 2);
    if (i % labelEvery === 0) svg.append(dayLabel(d, x, h));
    if (v === undefined) return;
    const bh = Math.max(1, (v / max) * (h - 30));
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('x', String(i * slot + slot * 0.15));
    rect.setAttribute('width', String(slot * 0.7));
    rect.setAttribute('y', String(h - 15 - bh));
    rect.setAttribute('height', String(bh));
    rect.setAttribute('data-day', d);
    rect.setAttribute('data-value', String(v));
    const title = document.createElementNS(SVG, 'title');
    title.textContent = `${d}: ${two(v)} ${daily.currency ?? ''}`;
    rect.append(title);
    svg.append(rect);
  });
  box.replaceChildren(svg);
}

/**
 * The days the chart has a slot for: each UTC day [from, to) touches; over more than a year
 * (chosen days may span centuries) only those from the first day with costs to the last.
 */
function slotDays(daily, withCosts) {
  const long = Date.parse(daily.to) - Date.parse(daily.from) > 400 * 86_400_000;
  if (!long) return rangeDays(daily.from, daily.to);
  return rangeDays(withCosts[0], `${withCosts.at(-1)}T00:00:01Z`);
}

/** The UTC days [from, to) touches, as YYYY-MM-DD. */
function rangeDays(from, to) {
  const days = [];
  for (let t = Date.parse(`${day(from)}T00:00:00Z`); t < Date.parse(to); t += 86_400_000) {
    days.push(new Date(t).toISOString().slice(0, 10));
  }
  return days;
}

function dayLabel(d, x, h) {
  const label = document.createElementNS(SVG, 'text');
  label.setAttribute('x', String(x));
  label.setAttribute('y', String(h - 3));
  label.setAttribute('text-anchor', 'middle');
  label.setAttribute('data-day', d);
  label.textContent = d.slice(5);
  return label;
}

/** `empty`: what to say when the range holds no costs (else the table's default). */
export function renderCosts(costs, empty) {
  const key = askedKey(costs.groupBy);
  $('costsTitle').textContent =
    `Costs by ${GROUP_LABELS[key] ?? key} (${costs.currency ?? 'mixed currencies'})`;
  renderTable(
    $('costs'),
    [
      ...costs.groupBy.map((k) => ({ key: k, label: GROUP_LABELS[k] ?? k })),
      { key: 'totalCost', label: 'total cost', num: true, format: two },
      { key: 'cpuCoreHours', label: 'CPU core-h', num: true, format: two },
      { key: 'cpuEfficiency', label: 'CPU eff.', num: true, format: percent },
      { key: 'memoryGiBHours', label: 'memory GiB-h', num: true, format: two },
      { key: 'memoryEfficiency', label: 'mem. eff.', num: true, format: percent },
      { key: 'gpuHours', label: 'GPU h', num: true, format: two },
      { key: 'storageGiBHours', label: 'storage GiB-h', num: true, format: two },
      { key: 'networkGiB', label: 'network GiB', num: true, format: two },
      { key: 'cpuCost', label: 'CPU', num: true, format: two },
      { key: 'memoryCost', label: 'memory', num: true, format: two },
      { key: 'gpuCost', label: 'GPU', num: true, format: two },
      { key: 'storageCost', label: 'storage', num: true, format: two },
      { key: 'networkCost', label: 'network', num: true, format: two },
      { key: 'loadBalancerCost', label: 'load bal.', num: true, format: two },
    ],
    costs.rows,
    {
      sortKey: 'totalCost',
      special: (r) => String(r[key]).startsWith('__'),
      ...(empty === undefined ? {} : { empty }),
    },
  );
}

export function renderClusters(answer) {
  renderTable(
    $('clusters'),
    [
      { key: 'cluster', label: 'cluster' },
      { key: 'tenant', label: 'tenant' },
      { key: 'currency', label: 'currency' },
      { key: 'nodeCost', label: 'nodes', num: true, format: two },
      { key: 'idleCost', label: 'idle', num: true, format: two },
      { key: 'managementCost', label: 'management', num: true, format: two },
      { key: 'totalCost', label: 'total', num: true, format: two },
      { key: 'intervals', label: 'intervals', num: true, format: String },
      { key: 'collectedUntil', label: 'collected until', format: (v) => (v ? when(v) : '–') },
      { key: 'lastStatus', label: 'last interval' },
    ],
    answer.clusters,
    { sortKey: 'totalCost' },
  );
  // A node whose instance type has no hourly price is costed at resource prices (docs/pricing.md):
  // its node and idle costs are list prices, not what the node costs, and the table alone hid it.
  const unpriced = answer.clusters.filter((c) => c.unpricedInstanceTypes?.length > 0);
  const several = new Set(answer.clusters.map((c) => c.tenant)).size > 1;
  $('clustersNote').hidden = unpriced.length === 0;
  $('clustersNote').textContent = unpriced
    .map(
      (c) =>
        `${c.cluster}${several ? ` (${c.tenant})` : ''}: ${c.unpricedInstanceTypes.join(', ')} ${c.unpricedInstanceTypes.length > 1 ? 'have' : 'has'} no node price in its price sheet, so ${c.unpricedInstanceTypes.length > 1 ? 'their' : 'its'} node and idle costs are allocatable capacity at resource prices.`,
    )
    .join(' ');
}

/**
 * Each cluster's collection state from its status: how far the ledger goes, and how that went. A
 * removed cluster (its history stays in the costs, with its removedAt) has no status any more: it
 * reads "removed" and is not asked (its status, a 404, failed the whole page).
 */
export async function withStatus(answer) {
  const clusters = await Promise.all(
    answer.clusters.map(async (c) => {
      const status =
        c.removedAt !== undefined
          ? undefined
          : await api(`clusters/${encodeURIComponent(c.cluster)}/status`, { tenant: c.tenant }).catch(
              (err) => {
                if (err.status === 404) return undefined; // removed since the costs were read
                throw err;
              },
            );
      if (status === undefined) return { ...c, collectedUntil: null, lastStatus: 'removed' };
      return {
        ...c,
        collectedUntil: status?.lastInterval?.end ?? null,
        lastStatus: status?.runs[0]?.status ?? '–',
      };
    }),
  );
  return { ...answer, clusters };
}

export function renderSavings(answer) {
  // An admin of every tenant may see two tenants' "prod": the cluster then says whose.
  const tenants = new Set(answer.clusters.map((c) => c.tenant)).size;
  const rows = answer.clusters.flatMap((c) =>
    c.recommendations.map((r) => ({
      ...r,
      cluster: tenants > 1 ? `${c.cluster} (${c.tenant})` : c.cluster,
      currency: c.currency,
      workload:
        r.workloadName !== undefined
          ? `${r.workloadKind}/${r.workloadName}`
          : r.claim !== undefined
            ? `PersistentVolumeClaim/${r.claim}`
            : `Service/${r.service}`,
    })),
  );
  // A request is only ever lowered: one kept, or none at all, read "memory 0 → 0 MiB".
  const change = (name, request, recommended, unit) =>
    request === 0
      ? `no ${name} request`
      : recommended === request
        ? `${name} ${request}${unit} as requested`
        : `${name} ${request}${unit} → ${recommended}${unit}`;
  const what = (_v, r) =>
    r.kind === 'right-size'
      ? `${change('CPU', r.cpuRequestMillicores, r.cpuRecommendedMillicores, 'm')}, ${change('memory', r.memoryRequestMiB, r.memoryRecommendedMiB, ' MiB')}`
      : r.kind === 'idle-notebook'
        ? `idle (at most ${r.maxMillicores}m CPU): stop it`
        : r.kind === 'unmounted-claim'
          ? `mounted by no pod (${two(r.storageGiBHours)} GiB-h): delete or snapshot it`
          : r.kind === 'idle-load-balancer'
            ? 'no pod runs in its namespace: remove it'
            : r.kind;
  renderTable(
    $('savings'),
    [
      { key: 'cluster', label: 'cluster' },
      { key: 'namespace', label: 'namespace' },
      { key: 'workload', label: 'workload' },
      { key: 'owner', label: 'owner' },
      { key: 'kind', label: 'advice', format: what },
      {
        key: 'monthlySaving',
        label: 'saving a month',
        num: true,
        format: (v, r) => `${two(v)} ${r.currency}`,
      },
    ],
    rows,
    { sortKey: 'monthlySaving', empty: 'no recommendation' },
  );
}

export function renderAccounts(answer) {
  renderTable(
    $('accounts'),
    [
      { key: 'owner', label: 'owner' },
      { key: 'tenant', label: 'tenant' },
      { key: 'balance', label: 'balance', num: true, format: two },
      { key: 'currency', label: 'currency' },
      { key: 'lowBalance', label: 'low', format: (v) => (v ? 'low' : '') },
    ],
    answer.accounts,
    { empty: 'no account yet' },
  );
}
