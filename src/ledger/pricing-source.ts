/**
 * Which price sheet prices an interval of a cluster: the cluster's own sheet history
 * (`price_sheets.cluster_id`) in force at the interval's start, else the `pricing` settings the
 * cluster was created with, else the SPEC §7 defaults. Read inside the transaction that writes the
 * interval, so the interval is priced with exactly one sheet and its costs are never rewritten.
 */
import type { Millis } from '../domain/duration.js';
import { KubetallyError, isKubetallyError } from '../domain/errors.js';
import { defaultPriceSheet, parsePriceSheet, type PriceSheet } from '../pricing/price-sheet.js';
import type { Db } from './db.js';
import { ts } from './columns.js';
import type { ClusterId, Json } from './types.js';

export interface SheetInForce {
  sheet: PriceSheet;
  /** The `price_sheets` row, or null for the cluster's settings or the defaults. */
  priceSheetId: number | null;
}

export async function sheetInForceFor(db: Db, clusterId: ClusterId, at: Millis): Promise<SheetInForce> {
  // FOR SHARE: a sheet being set (price-sheets.ts locks the cluster FOR UPDATE) waits for this
  // interval to be written and then sees it as billed; or this read waits for the new sheet.
  const rows = await db.query<{ pricing: Json | null; id: unknown; sheet: Json | null }>(
    `SELECT c.pricing, s.id, s.sheet FROM clusters c
     LEFT JOIN LATERAL (SELECT id, sheet FROM price_sheets WHERE cluster_id = c.id
       AND effective_from <= $2::timestamptz ORDER BY effective_from DESC LIMIT 1) s ON true
     WHERE c.id = $1 FOR SHARE OF c`,
    [clusterId, ts(at)],
  );
  const row = rows[0];
  if (row?.sheet !== undefined && row.sheet !== null) {
    return { sheet: readStored(row.sheet, clusterId), priceSheetId: Number(row.id) };
  }
  const pricing = row?.pricing;
  if (pricing === undefined || pricing === null || Object.keys(pricing).length === 0) {
    return { sheet: defaultPriceSheet(), priceSheetId: null };
  }
  return { sheet: readStored({ ...pricing, effectiveFrom: 0 }, clusterId), priceSheetId: null };
}

function readStored(json: Json, clusterId: ClusterId): PriceSheet {
  try {
    return parsePriceSheet(json);
  } catch (err) {
    if (!isKubetallyError(err)) throw err;
    // Sheets are validated when they are stored; one that no longer parses is a configuration
    // error that must stop pricing rather than bill at guessed prices.
    throw new KubetallyError(
      'INVALID_ARGUMENT',
      `cluster ${clusterId}: stored pricing is invalid: ${err.message}`,
      {
        hint: 'set a valid price sheet for the cluster (PUT its pricing); no interval was written',
        cause: err,
      },
    );
  }
}
