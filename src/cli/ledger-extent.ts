/**
 * When a ledger read comes back empty because its range misses every interval the ledger holds
 * (a simulator on a manual clock lives in its own time; the default range is the last 7 days of
 * this machine's clock), the note that says where the usage is, so that an empty table is not
 * read as "nothing was used".
 */
import { rfc3339 } from '../domain/time.js';
import type { ClusterRegistry, CollectionLedger, SavingsReader } from '../ledger/store.js';

type Store = Pick<ClusterRegistry, 'listClusters'> &
  Pick<CollectionLedger, 'lastClosedInterval'> &
  Pick<SavingsReader, 'firstIntervalStart'>;

export async function outsideLedgerNote(
  store: Store,
  scope: { tenant?: string | undefined; cluster?: string | undefined },
  range: { from: number; to: number },
): Promise<string> {
  const named = (c: { name: string }) => scope.cluster === undefined || c.name === scope.cluster;
  const clusters = (await store.listClusters(scope.tenant, { removed: true })).filter(named);
  let first = Infinity;
  let last = -Infinity;
  for (const c of clusters) {
    const start = await store.firstIntervalStart(c.id);
    const end = (await store.lastClosedInterval(c.id))?.intervalEnd;
    if (start !== undefined) first = Math.min(first, start);
    if (end !== undefined) last = Math.max(last, end);
  }
  if (!(first < last)) {
    // Removed clusters aside: one removed before it wrote anything leaves nothing to wait for.
    return emptyLedgerNote((await store.listClusters(scope.tenant)).filter(named).length);
  }
  if (range.from < last && range.to > first) return '';
  return `note: the ledger holds intervals from ${rfc3339(first)} to ${rfc3339(last)} (the clusters' time), none in this range: pass --from ${rfc3339(first)} --to ${rfc3339(last)}\n`;
}

/** Nothing is in the ledger yet (for this scope): what writes it, so that the user knows the next step. */
function emptyLedgerNote(clusters: number): string {
  if (clusters === 0) {
    return 'note: the ledger is empty: no cluster is registered (kubetally cluster add NAME --kubeconfig FILE, then kubetally serve or kubetally collect)\n';
  }
  return "note: the ledger holds no interval yet: an interval is written once the cluster's time has passed its end (every 15 minutes by default), by kubetally serve's collector or kubetally collect\n";
}
