// The kubetally dashboard: a page over the HTTP API (docs/api.md), nothing else. The token stays
// in this tab's sessionStorage; every number shown is the API's, rounded only for display (each
// cell keeps the exact value in data-value).

import { api, download, TOKEN_KEY, token } from './api.js';
import {
  renderAccounts,
  renderClusters,
  renderCosts,
  renderDaily,
  renderGaps,
  renderSavings,
  renderSummary,
  withStatus,
} from './panels.js';
import { $, el, when } from './ui.js';

// The API takes times from 1970 to 9999; the day after the last one chosen must be one of them.
const FIRST_DAY = '1970-01-01';
const LAST_DAY = '9999-12-30';

/**
 * The range asked for: a span back from now, or whole UTC days (the last one included);
 * {problem} when the chosen days make no range, {} while they are not chosen yet.
 */
function range() {
  const preset = $('range').value;
  $('custom').hidden = preset !== 'custom';
  if (preset !== 'custom') return { from: preset, to: 'now' };
  const from = $('fromDay').value;
  const last = $('toDay').value;
  if (from === '' || last === '') return {};
  const problem = daysProblem(from, last);
  for (const id of ['fromDay', 'toDay']) $(id).setAttribute('aria-invalid', String(problem !== undefined));
  if (problem !== undefined) return { problem };
  const to = new Date(Date.parse(`${last}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  return { from, to };
}

/**
 * What is wrong with the chosen days, said here rather than asked of the API: while a year is
 * typed the field holds 0002-…, 0020-… or six digits, each of which was a refused request (or a
 * RangeError) before the year was complete.
 */
function daysProblem(first, last) {
  for (const d of [first, last]) {
    if (!/^\d{4}-\d\d-\d\d$/.test(d) || d < FIRST_DAY || d > LAST_DAY)
      return `${d} is outside the days the ledger can hold: choose days from ${FIRST_DAY} to ${LAST_DAY}`;
  }
  if (first > last) return `the first day (${first}) is after the last (${last}): swap them`;
  return undefined;
}

let loading = 0;

/** The costs table's question, as last asked: the CSV download asks the same. */
let shown;

async function load() {
  const mine = ++loading;
  const { from, to, problem } = range();
  if (problem !== undefined) return showProblem(`No range: ${problem}`);
  if (from === undefined) return; // dates not chosen yet
  // "tenant/name", or "tenant/" for all of a tenant's: an admin of every tenant may see two
  // clusters of one name, and tenants that price in different currencies.
  const [tenant, cluster] = $('cluster').value === '' ? [undefined, ''] : $('cluster').value.split('/');
  const groupBy = $('groupBy').value;
  try {
    // A user token reads its owner's costs and account only: the tenant's panels are not asked for.
    const reader = me.role !== 'user';
    const [costs, daily, clusters, savings, accounts] = await Promise.all([
      api('costs', { from, to, groupBy, cluster, tenant }),
      api('costs', { from, to, groupBy: 'cluster', step: 'day', cluster, tenant }),
      reader ? api('costs/clusters', { from, to, cluster, tenant }).then(withStatus) : null,
      reader ? api('savings', { cluster, tenant }) : null,
      api('accounts', { tenant }), // the chosen tenant's; a user token's: its own, or none yet
    ]);
    if (mine !== loading) return; // a newer choice is on its way
    shown = { from: costs.from, to: costs.to, groupBy, cluster, tenant }; // the range as resolved
    $('status').hidden = true;
    $('dashboard').hidden = false;
    $('rangeShown').textContent =
      `${when(costs.from)} to ${when(costs.to)} (end excluded)` +
      (tenantChosenFor === undefined
        ? ''
        : ` of tenant ${tenant}: ${tenantChosenFor}, so one tenant is shown (Cluster chooses another)`);
    renderSummary(costs, clusters);
    renderGaps(costs.gaps);
    renderDaily(daily);
    renderCosts(costs, emptyNote(costs, clusters));
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
    // Over every tenant, the one question the page asks that the API refuses: tenants pricing in
    // different currencies, whose costs are not added (the API's hint names its parameters).
    if (err.status === 400 && tenant === undefined && tenants.length > 1) {
      // Nobody chose every tenant yet (the page opened on it): show the first tenant instead of
      // an error, and say why.
      if (!clusterChosen) {
        $('cluster').value = `${tenants[0]}/`;
        tenantChosenFor = err.reason;
        return load();
      }
      return showProblem(
        `Could not load: ${err.reason}: choose one tenant's clusters under Cluster (all clusters of ${tenants[0]}, …)`,
      );
    }
    showProblem(`Could not load: ${err.message}`);
  }
}

/**
 * Why the costs of a range are empty: after everything collected, the ledger keeps the clusters'
 * time (a simulator on its own clock may live months away from this browser's); else the API's
 * notes say it (a range before the ledger, nothing written yet, no cluster), for a user token too.
 */
function emptyNote(costs, clusters) {
  if (costs.rows.length > 0) return undefined;
  const ends = (clusters?.clusters ?? []).map((c) => c.collectedUntil).filter((e) => e !== null);
  const last = ends.sort().at(-1);
  if (last !== undefined && Date.parse(last) <= Date.parse(costs.from))
    return `nothing in this range: the clusters are collected until ${when(last)} (their time); choose earlier days`;
  return costs.notes?.length > 0 ? `nothing in this range: ${costs.notes.join(' ')}` : undefined;
}

function showProblem(message) {
  $('status').textContent = message;
  $('status').hidden = false;
  $('dashboard').hidden = true; // the last range's figures would read as this one's
}

/** The signed-in token: {id, role, tenant, owner}. */
let me;

/** The tenants of the clusters listed, when the token reads several. */
let tenants = [];

/** Whether Cluster was chosen by hand; why the page chose a tenant itself, while it shows it. */
let clusterChosen = false;
let tenantChosenFor;

async function start() {
  $('signIn').hidden = true;
  $('controls').hidden = false;
  try {
    me = await api('me');
    const list = me.role === 'user' ? null : await api('clusters');
    const select = $('cluster');
    const clusters = list?.clusters ?? [];
    tenants = [...new Set(clusters.map((c) => c.tenant))].sort();
    const option = (c) =>
      el(
        'option',
        { value: `${c.tenant}/${c.name}` },
        clusters.some((o) => o.name === c.name && o.tenant !== c.tenant) ? `${c.name} (${c.tenant})` : c.name,
      );
    // Over several tenants, each tenant's clusters can be chosen together: all of them together may
    // not add up (two currencies), and one cluster at a time is not a tenant's cost.
    select.replaceChildren(
      el('option', { value: '' }, tenants.length > 1 ? 'all clusters of every tenant' : 'all clusters'),
      ...(tenants.length > 1
        ? tenants.map((t) =>
            el(
              'optgroup',
              { label: t },
              el('option', { value: `${t}/` }, `all clusters of ${t}`),
              ...clusters.filter((c) => c.tenant === t).map(option),
            ),
          )
        : clusters.map(option)),
    );
    select.parentElement.hidden = list === null; // a user token sees its own costs, of every cluster
    $('who').textContent =
      me.role === 'user' ? `${me.owner} (${me.tenant})` : `${me.role}${me.tenant ? ` of ${me.tenant}` : ''}`;
  } catch (err) {
    if (err.status === 401) return signOut('the token was refused: it may be revoked or mistyped');
    // Too many wrong tokens from this address: the token was not even checked. The form stays,
    // with the wait, rather than the controls of a session that never began.
    if (err.status === 429) return signOut(err.message);
    $('status').textContent = `Could not load: ${err.message}`;
    $('status').hidden = false;
    return;
  }
  await load();
}

async function downloadCosts() {
  if (shown === undefined) return;
  const stamp = (t) => t.slice(0, 16).replace(':', '');
  const name = `kubetally-costs-by-${shown.groupBy}-${stamp(shown.from)}-to-${stamp(shown.to)}.csv`;
  try {
    await download('costs', shown, name.replace(/[^\w.-]+/g, '_'));
  } catch (err) {
    if (err.status === 401) return signOut('the token was refused: it may be revoked or mistyped');
    $('status').textContent = `Could not download: ${err.message}`;
    $('status').hidden = false;
  }
}

function signOut(message = '') {
  sessionStorage.removeItem(TOKEN_KEY);
  $('controls').hidden = true;
  $('dashboard').hidden = true;
  $('status').hidden = true;
  $('signIn').hidden = false;
  $('signInError').textContent = message;
  $('token').focus(); // to type the next token at once (the control used is hidden now)
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
    // The field just used is hidden now: without a new focus, Tab went on from where it was, past
    // every control, to the CSV button.
    $('range').focus();
  });
  $('cluster').addEventListener('change', () => {
    clusterChosen = true;
    tenantChosenFor = undefined;
  });
  for (const id of ['range', 'groupBy', 'cluster', 'fromDay', 'toDay']) {
    $(id).addEventListener('change', () => void load());
  }
  $('signOut').addEventListener('click', () => signOut());
  $('costsCsv').addEventListener('click', () => void downloadCosts());
  if (token()) void start();
  else signOut();
}

init();
