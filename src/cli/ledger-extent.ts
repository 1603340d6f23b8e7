/**
 * When a ledger read comes back empty because its range misses every interval the ledger holds
 * (the default range is the last 7 days of this machine's clock), the note that says where the
 * usage is, so that an empty table is not read as "nothing was used"; or, while the ledger holds
 * nothing, what writes it.
 */
import { ledgerExtent, noClusterWhy } from '../app/ledger-extent.js';
import { rfc3339 } from '../domain/time.js';

export async function outsideLedgerNote(
  store: Parameters<typeof ledgerExtent>[0],
  scope: { tenant?: string | undefined; cluster?: string | undefined },
  range: { from: number; to: number },
): Promise<string> {
  const extent = await ledgerExtent(store, scope, range);
  switch (extent.kind) {
    case 'inside':
      return '';
    case 'no-cluster':
      return `note: ${noClusterWhy(scope)} (kubetally cluster add NAME --kubeconfig FILE, then kubetally serve or kubetally collect)\n`;
    case 'no-interval':
      return "note: the ledger holds no interval yet: an interval is written once the cluster's time has passed its end (every 15 minutes by default), by kubetally serve's collector or kubetally collect\n";
    case 'outside': {
      const [first, last] = [rfc3339(extent.first), rfc3339(extent.last)];
      return `note: the ledger holds intervals from ${first} to ${last} (the clusters' time), none in this range: pass --from ${first} --to ${last}\n`;
    }
  }
}
