import type { Db } from './db.js';
import { ts } from './columns.js';
import type { CleanupOptions, CleanupResult } from './types.js';

export const DEFAULT_RAW_RETENTION_MS = 30 * 60_000;
export const DEFAULT_POD_DETAIL_RETENTION_MS = 14 * 86_400_000;

/**
 * Deletes what has served its purpose: raw observations taken before the end of a cluster's last
 * interval that closed at least `rawRetentionMs` ago (intervals close in order, so all earlier
 * samples are integrated or recorded as gaps), and pod-level detail of intervals that started
 * more than `podDetailRetentionMs` ago. The grouped ledger and its rollups are kept.
 */
export async function cleanup(db: Db, o: CleanupOptions): Promise<CleanupResult> {
  const raw = await db.query<{ n: unknown }>(
    `WITH closed AS (
       SELECT cluster_id, MAX(interval_end) AS until FROM collection_runs
       WHERE interval_end <= $1::timestamptz GROUP BY cluster_id
     ), d AS (
       DELETE FROM raw_observations r USING closed c
       WHERE r.cluster_id = c.cluster_id AND r.sampled_at < c.until RETURNING 1
     ) SELECT COUNT(*) AS n FROM d`,
    [ts(o.now - o.rawRetentionMs)],
  );
  const pods = await db.query<{ n: unknown }>(
    `WITH d AS (DELETE FROM usage_pod_interval WHERE interval_start < $1::timestamptz RETURNING 1)
     SELECT COUNT(*) AS n FROM d`,
    [ts(o.now - o.podDetailRetentionMs)],
  );
  return { rawDeleted: Number(raw[0]?.n ?? 0), podRowsDeleted: Number(pods[0]?.n ?? 0) };
}
