/**
 * Where the ledger's intervals are, for a read that came back empty: a range that misses every
 * interval (a simulator on a manual clock lives in its own time, while default ranges follow this
 * machine's clock), or a ledger with nothing in it yet. The CLI and the API each word it, so that
 * an empty answer is not read as "nothing was used".
 */
import type { Millis } from '../domain/duration.js';
import type { ClusterRegistry, CollectionLedger, SavingsReader } from '../ledger/store.js';

type Store = Pick<ClusterRegistry, 'listClusters'> &
  Pick<CollectionLedger, 'lastClosedInterval'> &
  Pick<SavingsReader, 'firstIntervalStart'>;

export type LedgerExtent =
  /** No cluster is registered (in the scope). */
  | { kind: 'no-cluster' }
  /** Clusters are registered, none has an interval written yet. */
  | { kind: 'no-interval' }
  /** The ledger holds intervals from `first` to `last` (the clusters' time), none in the range. */
  | { kind: 'outside'; first: Millis; last: Millis }
  /** The range holds some of the ledger: it is not why the read is empty. */
  | { kind: 'inside' };

export async function ledgerExtent(
  store: Store,
  scope: { tenant?: string | undefined; cluster?: string | undefined },
  range: { from: Millis; to: Millis },
): Promise<LedgerExtent> {
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
    const registered = (await store.listClusters(scope.tenant)).filter(named).length;
    return { kind: registered === 0 ? 'no-cluster' : 'no-interval' };
  }
  return range.from < last && range.to > first ? { kind: 'inside' } : { kind: 'outside', first, last };
}

/**
 * What a `no-cluster` extent means for the read that was made: only a read of the whole ledger may
 * say the ledger is empty; a read of one tenant or cluster speaks of that one (a cluster removed
 * before it wrote an interval, while others hold usage, read as "no cluster is registered").
 */
export function noClusterWhy(scope: { tenant?: string | undefined; cluster?: string | undefined }): string {
  if (scope.cluster !== undefined)
    return `cluster ${scope.cluster} was removed before it wrote an interval: the ledger holds nothing of it`;
  if (scope.tenant !== undefined) return `tenant ${scope.tenant} has no cluster registered`;
  return 'the ledger is empty: no cluster is registered';
}
