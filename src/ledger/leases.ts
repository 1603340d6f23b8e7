import type { Millis } from '../domain/duration.js';
import { invalidArgument } from '../domain/errors.js';
import type { Db } from './db.js';
import { ts } from './columns.js';
import type { ClusterId } from './types.js';

/**
 * Takes the cluster's lease for `holder` until `now + ttlMs` when it is free, expired, or already
 * held by `holder` (then it is extended). One statement: PostgreSQL's INSERT … ON CONFLICT DO
 * UPDATE … WHERE locks the row, so of two racing replicas exactly one gets a row back.
 * `now` is the caller's clock; replicas should share a clock source within the TTL's slack.
 */
export async function acquireLease(
  db: Db,
  clusterId: ClusterId,
  holder: string,
  ttlMs: Millis,
  now: Millis,
): Promise<boolean> {
  if (!(ttlMs > 0)) throw invalidArgument(`lease TTL ${ttlMs} ms must be positive`);
  const rows = await db.query(
    `INSERT INTO leases AS l (cluster_id, holder, acquired_at, expires_at)
     VALUES ($1, $2, $3::timestamptz, $4::timestamptz)
     ON CONFLICT (cluster_id) DO UPDATE
       SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at,
           acquired_at = CASE WHEN l.holder = EXCLUDED.holder THEN l.acquired_at ELSE EXCLUDED.acquired_at END
       WHERE l.expires_at <= EXCLUDED.acquired_at OR l.holder = EXCLUDED.holder
     RETURNING holder`,
    [clusterId, holder, ts(now), ts(now + ttlMs)],
  );
  return rows.length > 0;
}

/**
 * Extends a lease that `holder` still holds. False when another holder has taken it (then stop
 * working on the cluster). A holder whose lease lapsed but that nobody took keeps it.
 */
export async function renewLease(
  db: Db,
  clusterId: ClusterId,
  holder: string,
  ttlMs: Millis,
  now: Millis,
): Promise<boolean> {
  const rows = await db.query(
    `UPDATE leases SET expires_at = $3::timestamptz WHERE cluster_id = $1 AND holder = $2 RETURNING holder`,
    [clusterId, holder, ts(now + ttlMs)],
  );
  return rows.length > 0;
}

/** Gives the lease up (graceful shutdown), if `holder` has it. */
export async function releaseLease(db: Db, clusterId: ClusterId, holder: string): Promise<void> {
  await db.query('DELETE FROM leases WHERE cluster_id = $1 AND holder = $2', [clusterId, holder]);
}
