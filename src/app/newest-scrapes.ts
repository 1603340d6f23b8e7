/**
 * The scrape records of a cluster's newest stored sample: what each source said, and the lists'
 * versions the watches resume from. Raw records are kept for a while only, so a cluster long
 * unsampled has none.
 */
import type { Millis } from '../domain/duration.js';
import type { CollectionLedger } from '../ledger/store.js';
import type { ClusterId } from '../ledger/types.js';
import { scrapeErrors, type ScrapeRecord } from '../metering/observations.js';

export async function newestScrapes(
  store: Pick<CollectionLedger, 'latestObservationTime' | 'readObservations'>,
  clusterId: ClusterId,
): Promise<{ time: Millis; scrapes: ScrapeRecord[] } | undefined> {
  const time = await store.latestObservationTime(clusterId, 'scrapes', Date.UTC(9999, 0, 1));
  if (time === undefined) return undefined;
  const [stored] = await store.readObservations(clusterId, time, time + 1, ['scrapes']);
  return { time, scrapes: (stored?.payload ?? []) as ScrapeRecord[] };
}

/** What each source of a sample failed to read, optional lists refused included. */
export function sampleErrors(
  scrapes: readonly ScrapeRecord[],
): { source: string; node?: string; error: string }[] {
  return scrapes.flatMap((s) =>
    scrapeErrors(s).map((error) => ({
      source: s.source,
      ...(s.node === undefined ? {} : { node: s.node }),
      error,
    })),
  );
}
