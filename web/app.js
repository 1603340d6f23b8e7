// The kubetally dashboard: a page over the HTTP API (docs/api.md), nothing else. The token stays
// in this tab's sessionStorage; every number shown is the API's, rounded only for display (each
// cell keeps the exact value in data-value).

const TOKEN_KEY = 'kubetally-token';
const $ = (id) => document.getElementById(id);

class ApiError extends Error {
  constructor(status, body) {
    const e = body?.error;
    super(e ? `${e.message}${e.hint ? ` (${e.hint})` : ''}` : `the API answered ${status}`);
    this.status = status;
  }
}

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** GET /api/v1/{path}; a 403 (the token's role may not read it) comes back as null. */
async function api(path, params = {}) {
  const qs = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== '' && v !== undefined));
  const res = await fetch(`/api/v1/${path}${qs.size > 0 ? `?${qs}` : ''}`, {
    headers: { authorization: `Bearer ${token()}` },
  });
  if (res.status === 403) return null;
  const body = await res.json().catch(() => undefined);
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

// ---- formatting -------------------------------------------------------------------------------

const two = (x) =>
  x === null || x === undefined
    ? '–'
    : x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const percent = (x) => (x === null || x === undefined ? '–' : `${Math.round(x * 100)} %`);
const day = (iso) => iso.slice(0, 10);
const when = (iso) => iso.replace('T', ' ').replace(/(:\d\d)(\.\d+)?Z$/, '$1 UTC');

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

/**
 * A table of `rows` with `columns` ({key, label, format?, num?}); headers sort by their column.
 * Each cell carries data-field and, for numbers, data-value: the API's exact number.
 */
function renderTable(table, columns, rows, opts = {}) {
  let sortKey = opts.sortKey;
  let descending = true;
  const draw = () => {
    const sorted =
      sortKey === undefined
        ? rows
        : [...rows].sort((a, b) => compare(a[sortKey], b[sortKey]) * (descending ? -1 : 1));
    const head = el(
      'tr',
      {},
      ...columns.map((c) =>
        el('th', { 'data-sort': c.key, class: c.num ? 'num' : '', scope: 'col' }, c.label),
      ),
    );
    const body = sorted.map((r) =>
      el(
        'tr',
        { class: opts.special?.(r) ? 'special' : '' },
        ...columns.map((c) => {
          const v = r[c.key];
          const attrs = { 'data-field': c.key, class: c.num ? 'num' : '' };
          if (typeof v === 'number') attrs['data-value'] = String(v);
          return el('td', attrs, c.format ? c.format(v, r) : v === null || v === undefined ? '–' : String(v));
        }),
      ),
    );
    table.replaceChildren(
      el('thead', {}, head),
      el(
        'tbody',
        {},
        ...(body.length > 0
          ? body
          : [
              el(
                'tr',
                {},
                el(
                  'td',
                  { colspan: String(columns.length), class: 'empty' },
                  opts.empty ?? 'nothing in this range',
                ),
              ),
            ]),
      ),
    );
    for (const th of table.querySelectorAll('th[data-sort]')) {
      th.addEventListener('click', () => {
        descending = sortKey === th.dataset.sort ? !descending : true;
        sortKey = th.dataset.sort;
        draw();
      });
    }
  };
  draw();
}

function compare(a, b) {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a ?? '').localeCompare(String(b ?? ''));
}

// ---- panels -----------------------------------------------------------------------------------

const GROUP_LABELS = {
  owner: 'owner',
  project: 'project',
  namespace: 'namespace',
  computeType: 'compute type',
  cluster: 'cluster',
};

function renderSummary(costs, reader) {
  const rows = costs.rows.filter((r) => r[costs.groupBy[0]] !== '__idle__');
  const sum = (f) => rows.reduce((s, r) => s + (r[f] ?? 0), 0);
  const idle = costs.rows
    .filter((r) => r[costs.groupBy[0]] === '__idle__')
    .reduce((s, r) => s + r.totalCost, 0);
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
  if (!reader) cards.splice(1, 1); // a user's own costs have no idle share
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

function renderGaps(gaps) {
  $('gapsPanel').hidden = gaps.length === 0;
  $('gaps').tBodies[0].replaceChildren(
    ...gaps.map((g) =>
      el(
        'tr',
        {},
        el('td', {}, g.cluster ?? ''),
        el('td', {}, when(g.start)),
        el('td', {}, when(g.end)),
        el('td', {}, g.reason),
      ),
    ),
  );
}

function renderDaily(daily) {
  const byDay = new Map();
  for (const r of daily.rows) byDay.set(day(r.start), (byDay.get(day(r.start)) ?? 0) + r.totalCost);
  const days = [...byDay].sort((a, b) => a[0].localeCompare(b[0]));
  const box = $('daily');
  if (days.length === 0) {
    box.replaceChildren(el('p', { class: 'empty' }, 'nothing in this range'));
    return;
  }
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  const w = 1000;
  const h = 180;
  svg.setAttribute('viewBox', `0 0 ${w} ${h}`);
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', 'cost per day');
  const max = Math.max(...days.map(([, v]) => v), 1e-9);
  const slot = w / days.length;
  days.forEach(([d, v], i) => {
    const bh = Math.max(1, (v / max) * (h - 30));
    const rect = document.createElementNS(ns, 'rect');
    rect.setAttribute('x', String(i * slot + slot * 0.15));
    rect.setAttribute('width', String(slot * 0.7));
    rect.setAttribute('y', String(h - 15 - bh));
    rect.setAttribute('height', String(bh));
    rect.setAttribute('data-day', d);
    rect.setAttribute('data-value', String(v));
    const title = document.createElementNS(ns, 'title');
    title.textContent = `${d}: ${two(v)} ${daily.currency ?? ''}`;
    rect.append(title);
    const label = document.createElementNS(ns, 'text');
    label.setAttribute('x', String(i * slot + slot / 2));
    label.setAttribute('y', String(h - 3));
    label.setAttribute('text-anchor', 'middle');
    label.textContent = d.slice(5);
    svg.append(rect, label);
  });
  box.replaceChildren(svg);
}

function renderCosts(costs) {
  const key = costs.groupBy[0];
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
    { sortKey: 'totalCost', special: (r) => String(r[key]).startsWith('__') },
  );
}

function renderClusters(answer) {
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
}

/** Each cluster's collection state from its status: how far the ledger goes, and how that went. */
async function withStatus(answer) {
  const clusters = await Promise.all(
    answer.clusters.map(async (c) => {
      const status = await api(`clusters/${encodeURIComponent(c.cluster)}/status`, { tenant: c.tenant });
      return {
        ...c,
        collectedUntil: status?.lastInterval?.end ?? null,
        lastStatus: status?.runs[0]?.status ?? '–',
      };
    }),
  );
  return { ...answer, clusters };
}

function renderSavings(answer) {
  const rows = answer.clusters.flatMap((c) =>
    c.recommendations.map((r) => ({
      ...r,
      cluster: c.cluster,
      currency: c.currency,
      workload:
        r.workloadName !== undefined
          ? `${r.workloadKind}/${r.workloadName}`
          : r.claim !== undefined
            ? `PersistentVolumeClaim/${r.claim}`
            : `Service/${r.service}`,
    })),
  );
  const what = (_v, r) =>
    r.kind === 'right-size'
      ? `CPU ${r.cpuRequestMillicores}m → ${r.cpuRecommendedMillicores}m, memory ${r.memoryRequestMiB} → ${r.memoryRecommendedMiB} MiB`
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

function renderAccounts(answer) {
  renderTable(
    $('accounts'),
    [
      { key: 'owner', label: 'owner' },
      { key: 'tenant', label: 'tenant' },
      { key: 'balance', label: 'balance', num: true, format: two },
      { key: 'lowBalance', label: 'low', format: (v) => (v ? 'low' : '') },
    ],
    answer.accounts,
    { empty: 'no account yet' },
  );
}

// ---- wiring -----------------------------------------------------------------------------------

/** The range asked for: a span back from now, or whole UTC days (the last one included). */
function range() {
  const preset = $('range').value;
  $('custom').hidden = preset !== 'custom';
  if (preset !== 'custom') return { from: preset, to: 'now' };
  const from = $('fromDay').value;
  const last = $('toDay').value;
  if (from === '' || last === '') return {};
  const to = new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

let loading = 0;

async function load() {
  const mine = ++loading;
  const { from, to } = range();
  if (from === undefined) return; // dates not chosen yet
  const cluster = $('cluster').value;
  const groupBy = $('groupBy').value;
  try {
    // A user token reads its owner's costs and account only: the tenant's panels are not asked for.
    const reader = me.role !== 'user';
    const [costs, daily, clusters, savings, accounts] = await Promise.all([
      api('costs', { from, to, groupBy, cluster }),
      api('costs', { from, to, groupBy: 'cluster', step: 'day', cluster }),
      reader ? api('costs/clusters', { from, to, cluster }).then(withStatus) : null,
      reader ? api('savings', { cluster }) : null,
      reader ? api('accounts') : ownAccount(),
    ]);
    if (mine !== loading) return; // a newer choice is on its way
    $('status').hidden = true;
    $('dashboard').hidden = false;
    $('rangeShown').textContent = `${when(costs.from)} to ${when(costs.to)} (end excluded)`;
    renderSummary(costs, reader);
    renderGaps(costs.gaps);
    renderDaily(daily);
    renderCosts(costs);
    for (const [panel, answer, draw] of [
      ['clustersPanel', clusters, renderClusters],
      ['savingsPanel', savings, renderSavings],
      ['accountsPanel', accounts, renderAccounts],
    ]) {
      $(panel).hidden = answer === null;
      if (answer !== null) draw(answer);
    }
  } catch (err) {
    if (mine !== loading) return;
    if (err.status === 401) return signOut('the token was refused: it may be revoked or mistyped');
    $('status').textContent = `Could not load: ${err.message}`;
    $('status').hidden = false;
  }
}

/** The signed-in token: {id, role, tenant, owner}. */
let me;

async function start() {
  $('signIn').hidden = true;
  $('controls').hidden = false;
  try {
    me = await api('me');
    const list = me.role === 'user' ? null : await api('clusters');
    const select = $('cluster');
    select.replaceChildren(
      el('option', { value: '' }, 'all clusters'),
      ...(list?.clusters ?? []).map((c) =>
        el(
          'option',
          { value: c.name },
          list.clusters.some((o) => o.name === c.name && o.tenant !== c.tenant)
            ? `${c.name} (${c.tenant})`
            : c.name,
        ),
      ),
    );
    select.parentElement.hidden = list === null; // a user token sees its own costs, of every cluster
    $('who').textContent =
      me.role === 'user' ? `${me.owner} (${me.tenant})` : `${me.role}${me.tenant ? ` of ${me.tenant}` : ''}`;
  } catch (err) {
    if (err.status === 401) return signOut('the token was refused: it may be revoked or mistyped');
    $('status').textContent = `Could not load: ${err.message}`;
    $('status').hidden = false;
    return;
  }
  await load();
}

/** A user's own account, as a one-account list (none yet: nothing was debited or credited). */
async function ownAccount() {
  try {
    return { accounts: [await api(`accounts/${encodeURIComponent(me.owner)}`)] };
  } catch (err) {
    if (err.status === 404) return null;
    throw err;
  }
}

function signOut(message = '') {
  sessionStorage.removeItem(TOKEN_KEY);
  $('controls').hidden = true;
  $('dashboard').hidden = true;
  $('status').hidden = true;
  $('signIn').hidden = false;
  $('signInError').textContent = message;
}

function init() {
  // A link may carry the token in its fragment (never sent to the server): take it and drop it.
  const fromHash = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromHash) {
    sessionStorage.setItem(TOKEN_KEY, fromHash);
    history.replaceState(null, '', location.pathname + location.search);
  }
  $('tokenForm').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
    $('token').value = '';
    void start();
  });
  for (const id of ['range', 'groupBy', 'cluster', 'fromDay', 'toDay']) {
    $(id).addEventListener('change', () => void load());
  }
  $('signOut').addEventListener('click', () => signOut());
  if (token()) void start();
  else signOut();
}

init();
