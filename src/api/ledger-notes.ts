/**
 * The `notes` of a usage, costs or expenses answer without intervals whose range misses the ledger (or while the
 * ledger holds nothing): where its intervals are and the query that reads them, as the CLI's note
 * says it (cli/ledger-extent.ts). Empty rows alone read as "nothing was used".
 */
import { ledgerExtent, noClusterWhy } from '../app/ledger-extent.js';
import { rfc3339 } from '../domain/time.js';

type Store = Parameters<typeof ledgerExtent>[0];
type Read = { tenant?: string | undefined; cluster?: string | undefined; from: number; to: number };

/** The answer, with `notes` when it has no rows and the ledger says why. */
export async function withLedgerNotes<T extends { rows: readonly unknown[] }>(
  store: Store,
  read: Read,
  body: T,
): Promise<T & { notes?: string[] }> {
  return { ...body, ...(await notesWhenEmpty(store, read, body.rows.length === 0)) };
}

/**
 * `{notes}` for an answer that summed no interval (the clusters' costs and expenses list every
 * cluster, with zeros), when the ledger says why; `{}` otherwise.
 */
export async function notesWhenEmpty(
  store: Store,
  read: Read,
  empty: boolean,
): Promise<{ notes?: string[] }> {
  if (!empty) return {};
  const notes = await emptyAnswerNotes(store, read);
  return notes.length === 0 ? {} : { notes };
}

async function emptyAnswerNotes(store: Store, read: Read): Promise<string[]> {
  const extent = await ledgerExtent(store, read, read);
  switch (extent.kind) {
    case 'inside':
      return [];
    case 'no-cluster':
      return [`${noClusterWhy(read)} (register one with POST /api/v1/clusters)`];
    case 'no-interval':
      return [
        "the ledger holds no interval yet: an interval is written once the cluster's time has passed its end (every 15 minutes by default), by the collector or POST /api/v1/clusters/{name}/collect",
      ];
    case 'outside': {
      const [first, last] = [rfc3339(extent.first), rfc3339(extent.last)];
      return [
        `the ledger holds intervals from ${first} to ${last} (the clusters' time), none in this range: ask with from=${first}&to=${last}`,
      ];
    }
  }
}
