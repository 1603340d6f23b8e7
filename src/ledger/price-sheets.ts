/**
 * A cluster's price sheet history (price_sheets rows with cluster_id). A new sheet takes effect
 * from a time that is not yet billed — by default the end of the last written interval — so
 * billed costs are never rewritten; setting a sheet at the same time again replaces it, and a
 * change also holds in the sheets set for later times, but for the values they set themselves.
 */
import type { Millis } from '../domain/duration.js';
import { KubetallyError, invalidArgument } from '../domain/errors.js';
import {
  parseNewPriceSheet,
  parsePriceSheet,
  priceSheetToJson,
  type PriceSheet,
} from '../pricing/price-sheet.js';
import { assertNotBilled } from '../pricing/sheet-history.js';
import { carryChange, mergeSheetJson } from '../pricing/sheet-merge.js';
import { toMillis, type Db } from './db.js';
import { ts, toJson } from './columns.js';
import { sheetInForceFor, type SheetInForce } from './pricing-source.js';
import type { ClusterId, Json } from './types.js';

export interface StoredSheet {
  id: number;
  clusterId: ClusterId;
  effectiveFrom: Millis;
  createdAt: Millis;
  sheet: PriceSheet;
}

/** The end of the cluster's last written interval, 0 when none is written. */
export async function billedUntil(db: Db, clusterId: ClusterId): Promise<Millis> {
  const rows = await db.query<{ t: unknown }>(
    'SELECT MAX(interval_end) AS t FROM collection_runs WHERE cluster_id = $1',
    [clusterId],
  );
  return rows[0]?.t === null || rows[0]?.t === undefined ? 0 : toMillis(rows[0].t);
}

/** The currencies the tenant's intervals were billed in (its accounts hold their debits). */
export async function billedCurrencies(db: Db, tenant: string): Promise<string[]> {
  const rows = await db.query<{ currency: string }>(
    'SELECT DISTINCT currency FROM interval_costs WHERE tenant = $1 ORDER BY currency',
    [tenant],
  );
  return rows.map((r) => r.currency);
}

/**
 * Validates `input` (a price sheet in its JSON form, with `basis`; fields left out keep their value
 * in the sheet in force) and records it as the cluster's sheet from `effectiveFrom` (the input's,
 * else the end of what is billed).
 */
export async function setClusterPriceSheet(
  db: Db,
  clusterId: ClusterId,
  input: unknown,
): Promise<StoredSheet> {
  if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) {
    throw invalidArgument('a price sheet is a JSON object', 'e.g. {"cpuCoreHour": 0.04, "basis": "request"}');
  }
  const given = (input ?? {}) as Json;
  return db.transaction(async (tx) => {
    // Locks the cluster so that no interval is written between the check and the insert.
    const cluster = await tx.query<{ tenant: string }>(
      'SELECT tenant FROM clusters WHERE id = $1 FOR UPDATE',
      [clusterId],
    );
    if (cluster[0] === undefined) {
      throw new KubetallyError('NOT_FOUND', `cluster ${clusterId} does not exist`, {
        hint: 'kubetally cluster list',
      });
    }
    const billed = await billedUntil(tx, clusterId);
    // Fields not given keep their value in the sheet in force then (a change of basis alone keeps
    // the prices); the effective time is the given one, else the end of what is billed.
    const from =
      given.effectiveFrom === undefined
        ? billed
        : parsePriceSheet({ effectiveFrom: given.effectiveFrom }).effectiveFrom;
    const current = priceSheetToJson((await sheetInForceFor(tx, clusterId, from)).sheet);
    const sheet = parseNewPriceSheet({ ...mergeSheetJson(current, given), effectiveFrom: from }, given);
    assertNotBilled(sheet.effectiveFrom, billed);
    const rows = await tx.query<{ id: unknown; created_at: unknown }>(
      `INSERT INTO price_sheets (tenant, name, currency, sheet, effective_from, cluster_id)
       VALUES ($1, $2, $3, $4::jsonb, $5::timestamptz, $6)
       ON CONFLICT (cluster_id, effective_from) WHERE cluster_id IS NOT NULL
       DO UPDATE SET sheet = EXCLUDED.sheet, currency = EXCLUDED.currency, created_at = now()
       RETURNING id, created_at`,
      [
        cluster[0].tenant,
        `cluster:${clusterId}`,
        sheet.currency,
        toJson(priceSheetToJson(sheet)),
        ts(sheet.effectiveFrom),
        clusterId,
      ],
    );
    // Sheets set earlier for later times had kept the values this change replaces: it holds in
    // them too (else it would end at the first of them), but for the values they set themselves.
    const change = { before: current, after: priceSheetToJson(sheet), given };
    const later = await tx.query<{ id: unknown; sheet: Json }>(
      'SELECT id, sheet FROM price_sheets WHERE cluster_id = $1 AND effective_from > $2::timestamptz',
      [clusterId, ts(sheet.effectiveFrom)],
    );
    for (const l of later) {
      const was = priceSheetToJson(parsePriceSheet(l.sheet));
      const carried = parsePriceSheet(carryChange(was, change));
      await tx.query('UPDATE price_sheets SET sheet = $2::jsonb, currency = $3 WHERE id = $1', [
        Number(l.id),
        toJson(priceSheetToJson(carried)),
        carried.currency,
      ]);
    }
    return {
      id: Number(rows[0]!.id),
      clusterId,
      effectiveFrom: sheet.effectiveFrom,
      createdAt: toMillis(rows[0]!.created_at),
      sheet,
    };
  });
}

/** The cluster's sheets, oldest first. */
export async function listClusterPriceSheets(db: Db, clusterId: ClusterId): Promise<StoredSheet[]> {
  const rows = await db.query<{ id: unknown; sheet: Json; effective_from: unknown; created_at: unknown }>(
    'SELECT id, sheet, effective_from, created_at FROM price_sheets WHERE cluster_id = $1 ORDER BY effective_from',
    [clusterId],
  );
  return rows.map((r) => ({
    id: Number(r.id),
    clusterId,
    effectiveFrom: toMillis(r.effective_from),
    createdAt: toMillis(r.created_at),
    sheet: parsePriceSheet(r.sheet),
  }));
}

/** The sheet that prices an interval of the cluster starting at `at`. */
export const clusterSheetAt = (db: Db, clusterId: ClusterId, at: Millis): Promise<SheetInForce> =>
  sheetInForceFor(db, clusterId, at);
