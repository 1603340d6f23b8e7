/**
 * `GET /api/v1/savings?cluster=`: recommendations for each cluster (or the one named), as of the
 * end of its last written interval (the cluster's time, not the local clock). Windows: 7 days of
 * per-workload distributions for right-sizing, 24 h for idle notebooks and LoadBalancers, 7 days
 * for unmounted claims. Savings are per 730-hour month at the sheet in force now.
 */
import { KubetallyError } from '../domain/errors.js';
import { rfc3339 } from '../domain/time.js';
import type { ClusterRecord } from '../ledger/types.js';
import type { ClusterRegistry, CollectionLedger, PriceSheetStore, SavingsReader } from '../ledger/store.js';
import { microsToNumber } from '../pricing/decimal.js';
import {
  idleLoadBalancers,
  idleNotebooks,
  rightSize,
  unmountedClaims,
  type IdleLoadBalancer,
  type IdleNotebook,
  type RightSizing,
  type UnmountedClaim,
} from '../pricing/savings/recommend.js';
import { workloadKeyText } from '../pricing/savings/workload-day.js';

const DAY = 86_400_000;
export const RIGHT_SIZE_WINDOW_MS = 7 * DAY;
export const IDLE_WINDOW_MS = DAY;
export const CLAIM_WINDOW_MS = 7 * DAY;

type Store = ClusterRegistry & Pick<CollectionLedger, 'lastClosedInterval'> & SavingsReader & PriceSheetStore;
type Recommendation = RightSizing | IdleNotebook | UnmountedClaim | IdleLoadBalancer;

export async function savingsView(store: Store, q: { tenant?: string; cluster?: string }) {
  const all = await store.listClusters(q.tenant);
  const clusters = q.cluster === undefined ? all : all.filter((c) => c.name === q.cluster);
  if (q.cluster !== undefined && clusters.length === 0) {
    throw new KubetallyError('NOT_FOUND', `no cluster named ${q.cluster}`, {
      hint: 'kubetally cluster list',
    });
  }
  const out = [];
  for (const c of clusters) out.push(await clusterSavings(store, c));
  return { clusters: out };
}

async function clusterSavings(store: Store, cluster: ClusterRecord) {
  const last = await store.lastClosedInterval(cluster.id);
  if (last === undefined) {
    return {
      cluster: cluster.name,
      tenant: cluster.tenant,
      asOf: null,
      currency: null,
      totalMonthlySaving: 0,
      recommendations: [],
    };
  }
  const now = last.intervalEnd;
  const { sheet } = await store.clusterSheetAt(cluster.id, last.intervalStart);
  // Whole UTC days before the day of `now` (the current day is still filling).
  const dayEnd = Math.floor(now / DAY) * DAY;
  const days = await store.workloadDays(cluster.id, { from: dayEnd - RIGHT_SIZE_WINDOW_MS, to: dayEnd });
  const byWorkload = new Map<string, (typeof days)[number][]>();
  for (const d of days)
    byWorkload.set(workloadKeyText(d), [...(byWorkload.get(workloadKeyText(d)) ?? []), d]);
  const first = (await store.firstIntervalStart(cluster.id)) ?? now;
  const recs: Recommendation[] = [];
  const last24h = { from: now - IDLE_WINDOW_MS, to: now };
  const notebooks = idleNotebooks(await store.notebookWindows(cluster.id, last24h), IDLE_WINDOW_MS);
  recs.push(...notebooks);
  // Stopping an idle notebook supersedes right-sizing it: counting both would double the saving.
  const stopped = new Set(notebooks.map(workloadKeyText));
  // A cluster with less history is judged over the time it has: from its first interval when
  // that falls inside the first day (a partial day would otherwise count as whole, and every
  // average and saving come out low).
  const firstDay = days.reduce((m, d) => Math.min(m, d.day), dayEnd);
  const since = Math.max(firstDay, Math.min(first, dayEnd));
  for (const [key, ds] of byWorkload) {
    if (stopped.has(key)) continue;
    // A one-off Job that did not run on the last day will not run again: its requests cost nothing.
    const lastDay = ds.reduce((m, d) => Math.max(m, d.day), 0);
    if (ds.every((d) => d.workloadKind === 'Job') && lastDay < dayEnd - DAY) continue;
    // A workload younger than the window is averaged over the days it has, not diluted over all.
    const born = ds.reduce((m, d) => Math.min(m, d.day), dayEnd);
    const r = rightSize(ds, dayEnd - Math.max(since, born), sheet);
    if (r !== undefined) recs.push(r);
  }
  // "Not mounted for 7 days" and "no pods for 24 h" need that much history to be true.
  if (first <= now - CLAIM_WINDOW_MS) {
    const claims = await store.claimWindows(cluster.id, { from: now - CLAIM_WINDOW_MS, to: now });
    recs.push(...unmountedClaims(claims.claims, claims.writtenIntervals, CLAIM_WINDOW_MS));
  }
  if (first <= now - IDLE_WINDOW_MS) {
    recs.push(...idleLoadBalancers(await store.loadBalancerWindows(cluster.id, last24h), IDLE_WINDOW_MS));
  }
  recs.sort((a, b) =>
    a.monthlySavingMicros > b.monthlySavingMicros
      ? -1
      : a.monthlySavingMicros < b.monthlySavingMicros
        ? 1
        : 0,
  );
  return {
    cluster: cluster.name,
    // Two tenants may name a cluster alike: an admin of every tenant tells them apart by this.
    tenant: cluster.tenant,
    asOf: rfc3339(now),
    currency: sheet.currency,
    totalMonthlySaving: microsToNumber(recs.reduce((s, r) => s + r.monthlySavingMicros, 0n)),
    recommendations: recs.map(recommendationJson),
  };
}

/** Exact integers to JSON: money as decimals, CPU in millicores, memory in MiB. */
export function recommendationJson(r: Recommendation): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) {
    if (typeof v !== 'bigint') out[k] = v;
    else if (k.endsWith('Micros')) out[k.replace(/Micros$/, '')] = microsToNumber(v);
    else if (k.endsWith('Bytes')) out[k.replace(/Bytes$/, 'MiB')] = Number(v) / 1_048_576;
    else if (k === 'storageByteSeconds') out.storageGiBHours = Number(v) / 2 ** 30 / 3600;
    else out[k] = Number(v);
  }
  return out;
}
