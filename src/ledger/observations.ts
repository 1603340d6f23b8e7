import { gunzipSync, gzipSync } from 'node:zlib';
import type { Millis } from '../domain/duration.js';
import { toBuffer, toMillis, type Db } from './db.js';
import { ts, toJson } from './columns.js';
import type { ClusterId, RawSample, StoredSample } from './types.js';

const ROWS_PER_STATEMENT = 500;

/**
 * Appends raw samples as they arrive, so that a crash loses at most the sample in flight.
 * Payloads are stored as gzipped JSON (bigints as decimal strings): inventories repeat a lot, and
 * fewer bytes make both the write and the read back several times faster. A payload that is
 * already bytes (a binary encoding of the caller's) is stored as it is and read back as bytes; it
 * must not begin like gzip or JSON (`{`, `[`).
 */
export async function recordObservations(db: Db, clusterId: ClusterId, samples: RawSample[]): Promise<void> {
  for (let i = 0; i < samples.length; i += ROWS_PER_STATEMENT) {
    const chunk = samples.slice(i, i + ROWS_PER_STATEMENT);
    const params: unknown[] = [clusterId];
    const values = chunk.map((s) => {
      const bytes = s.payload instanceof Uint8Array ? s.payload : gzipSync(toJson(s.payload), { level: 1 });
      params.push(ts(s.time), s.kind, bytes);
      const n = params.length;
      return `($1, $${n - 2}::timestamptz, $${n - 1}, $${n})`;
    });
    await db.query(
      `INSERT INTO raw_observations (cluster_id, sampled_at, kind, payload) VALUES ${values.join(', ')}`,
      params,
    );
  }
}

/** Samples of one cluster taken in [from, to), oldest first (ties in arrival order). */
export async function readObservations(
  db: Db,
  clusterId: ClusterId,
  from: Millis,
  to: Millis,
  kinds?: readonly string[],
): Promise<StoredSample[]> {
  const rows = await db.query<{ id: unknown; sampled_at: unknown; kind: string; payload: unknown }>(
    `SELECT id, sampled_at, kind, payload FROM raw_observations
     WHERE cluster_id = $1 AND sampled_at >= $2::timestamptz AND sampled_at < $3::timestamptz
       ${kinds === undefined ? '' : 'AND kind = ANY($4::text[])'}
     ORDER BY sampled_at, id`,
    kinds === undefined ? [clusterId, ts(from), ts(to)] : [clusterId, ts(from), ts(to), [...kinds]],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    time: toMillis(r.sampled_at),
    kind: r.kind,
    payload: unpack(toBuffer(r.payload)),
  }));
}

/** The time of the cluster's oldest stored sample: where its first interval starts. */
export const firstObservationTime = (db: Db, clusterId: ClusterId): Promise<Millis | undefined> =>
  boundTime(db, clusterId, 'min');

/**
 * The time of the cluster's newest stored sample that read its inventory (a time the cluster told;
 * a failure alone may be stored at this process's estimate): a sample before it means the
 * cluster's clock went back.
 */
export const lastObservationTime = (db: Db, clusterId: ClusterId): Promise<Millis | undefined> =>
  boundTime(db, clusterId, 'max', `AND kind <> 'scrapes'`);

async function boundTime(
  db: Db,
  clusterId: ClusterId,
  agg: 'min' | 'max',
  where = '',
): Promise<Millis | undefined> {
  const rows = await db.query<{ t: unknown }>(
    `SELECT ${agg}(sampled_at) AS t FROM raw_observations WHERE cluster_id = $1 ${where}`,
    [clusterId],
  );
  return timeOf(rows);
}

/** Gzipped JSON (as written now) or plain JSON, parsed; any other bytes as they are. */
function unpack(bytes: Buffer): unknown {
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return JSON.parse(gunzipSync(bytes).toString('utf8'));
  if (bytes[0] === 0x7b || bytes[0] === 0x5b) return JSON.parse(bytes.toString('utf8'));
  return bytes;
}

/** The time of the newest sample of `kind` taken at or before `t`. */
export async function latestObservationTime(
  db: Db,
  clusterId: ClusterId,
  kind: string,
  t: Millis,
): Promise<Millis | undefined> {
  const rows = await db.query<{ t: unknown }>(
    `SELECT max(sampled_at) AS t FROM raw_observations
     WHERE cluster_id = $1 AND kind = $2 AND sampled_at <= $3::timestamptz`,
    [clusterId, kind, ts(t)],
  );
  return timeOf(rows);
}

/**
 * The time of the cluster's first sample at or after `t` that holds more than the scrapes: a
 * successful inventory (every other source is only read once the inventory was).
 */
export async function nextInventoryTime(
  db: Db,
  clusterId: ClusterId,
  t: Millis,
): Promise<Millis | undefined> {
  const rows = await db.query<{ t: unknown }>(
    `SELECT min(sampled_at) AS t FROM raw_observations
     WHERE cluster_id = $1 AND sampled_at >= $2::timestamptz AND kind <> 'scrapes'`,
    [clusterId, ts(t)],
  );
  return timeOf(rows);
}

/** The distinct kinds of the samples taken in [from, to). */
export async function observationKinds(
  db: Db,
  clusterId: ClusterId,
  from: Millis,
  to: Millis,
): Promise<string[]> {
  const rows = await db.query<{ kind: string }>(
    `SELECT DISTINCT kind FROM raw_observations
     WHERE cluster_id = $1 AND sampled_at >= $2::timestamptz AND sampled_at < $3::timestamptz ORDER BY kind`,
    [clusterId, ts(from), ts(to)],
  );
  return rows.map((r) => r.kind);
}

/** The time an aggregate (`min`, `max`) answered, undefined when it found no row. */
function timeOf(rows: readonly { t: unknown }[]): Millis | undefined {
  const t = rows[0]?.t;
  return t === null || t === undefined ? undefined : toMillis(t);
}
