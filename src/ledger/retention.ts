import type { Db } from './db.js';
import { ts } from './columns.js';
import type { CleanupOptions, CleanupResult, Json } from './types.js';

export const DEFAULT_RAW_RETENTION_MS = 30 * 60_000;
export const DEFAULT_POD_DETAIL_RETENTION_MS = 14 * 86_400_000;
/** How long the newest counter sample outlives its interval, to bridge an outage. */
export const COUNTER_BRIDGE_MS = 86_400_000;

/**
 * Deletes what has served one cluster: raw observations taken before the end of its last interval
 * that closed at least `rawRetentionMs` ago (intervals close in order, so all earlier samples are
 * integrated or recorded as gaps), and pod-level detail of intervals that started more than
 * `podDetailRetentionMs` ago. The grouped ledger and its rollups are kept. Each cluster is cleaned
 * by its own time and settings: clusters' clocks and retentions differ (the pod detail of removed
 * clusters, which collect no more, goes with the cleanup of a live cluster of their tenant, by
 * each removed cluster's own retention).
 *
 * Two exceptions:
 * - what the next interval still needs stays, whatever the retention: the samples of the last
 *   `openWindowMs` before the end of the last closed interval (its observation window reaches back
 *   before its start, and its inventory deltas build on a full inventory taken earlier). With
 *   intervals longer than the retention (1 h against 30 min) they would otherwise go before use.
 * - of the samples to delete, the newest counter sample (`summary` kinds) is kept for up to a day:
 *   a source or collector that comes back after an outage reads its counters again, and the
 *   difference is what was used across the gap.
 */
export async function cleanup(db: Db, o: CleanupOptions): Promise<CleanupResult> {
  const raw = await db.query<{ n: unknown }>(
    `WITH runs AS (
       SELECT MAX(interval_end) FILTER (WHERE interval_end <= $2::timestamptz) AS until,
              MAX(interval_end) AS last
       FROM collection_runs WHERE cluster_id = $1
     ), closed AS (
       SELECT LEAST(until, last - $4::interval) AS until FROM runs WHERE until IS NOT NULL
     ), d AS (
       DELETE FROM raw_observations r USING closed c
       WHERE r.cluster_id = $1 AND r.sampled_at < c.until
         AND NOT (r.kind LIKE 'summary%' AND r.sampled_at >= $3::timestamptz AND NOT EXISTS (
           SELECT 1 FROM raw_observations x
           WHERE x.cluster_id = r.cluster_id AND x.kind = r.kind
             AND x.sampled_at > r.sampled_at AND x.sampled_at < c.until))
       RETURNING 1
     ) SELECT COUNT(*) AS n FROM d`,
    [
      o.clusterId,
      ts(o.now - o.rawRetentionMs),
      ts(o.now - COUNTER_BRIDGE_MS),
      `${Math.max(0, Math.round(o.openWindowMs))} milliseconds`,
    ],
  );
  const cutoff = ts(o.now - o.podDetailRetentionMs);
  const pods = await db.query<{ n: unknown }>(
    `WITH d AS (DELETE FROM usage_pod_interval WHERE cluster_id = $1 AND interval_start < $2::timestamptz
       RETURNING 1)
     SELECT COUNT(*) AS n FROM d`,
    [o.clusterId, cutoff],
  );
  // Removed clusters no longer clean up after themselves: a live cluster of their tenant goes
  // through their detail, by its time and each removed cluster's own retention. Never another
  // tenant's cluster: its clock and settings say nothing of this tenant's data.
  const removed = await db.query<{ id: unknown; collection: unknown }>(
    `SELECT id, collection FROM clusters
     WHERE deleted_at IS NOT NULL AND tenant = (SELECT tenant FROM clusters WHERE id = $1)`,
    [o.clusterId],
  );
  let removedDeleted = 0;
  for (const r of removed) {
    const gone = await db.query<{ n: unknown }>(
      `WITH d AS (DELETE FROM usage_pod_interval WHERE cluster_id = $1 AND interval_start < $2::timestamptz
         RETURNING 1)
       SELECT COUNT(*) AS n FROM d`,
      [Number(r.id), ts(o.now - o.podDetailRetentionOf((r.collection ?? {}) as Json))],
    );
    removedDeleted += Number(gone[0]?.n ?? 0);
  }
  return {
    rawDeleted: Number(raw[0]?.n ?? 0),
    podRowsDeleted: Number(pods[0]?.n ?? 0) + removedDeleted,
  };
}
