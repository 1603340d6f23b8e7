/**
 * A cluster's price sheets over time. A sheet applies from its `effectiveFrom` until the next
 * sheet's; an interval is priced with the sheet in force at its start. Billed history is never
 * rewritten: a new sheet may only take effect at or after the end of what is already billed.
 */
import type { Millis } from '../domain/duration.js';
import { KubetallyError } from '../domain/errors.js';
import { rfc3339 } from '../domain/time.js';
import { defaultPriceSheet, type PriceSheet } from './price-sheet.js';

/**
 * The sheet in force at `at`: the one with the latest `effectiveFrom` ≤ `at`. With no sheet at
 * all, or none in force yet, the SPEC §7 defaults apply (they are in force since the epoch).
 */
export function sheetInForce(sheets: readonly PriceSheet[], at: Millis): PriceSheet {
  let best: PriceSheet | undefined;
  for (const s of sheets) {
    if (s.effectiveFrom <= at && (best === undefined || s.effectiveFrom >= best.effectiveFrom)) best = s;
  }
  return best ?? defaultPriceSheet();
}

/**
 * Checks that adding `next` to `sheets` rewrites no billed interval: `billedUntil` is the end of
 * the last interval already priced (epoch ms; 0 when nothing is billed). Returns the new history,
 * sorted by `effectiveFrom`; a sheet with the same `effectiveFrom` is replaced only when that
 * time is not yet billed.
 */
export function addSheet(sheets: readonly PriceSheet[], next: PriceSheet, billedUntil: Millis): PriceSheet[] {
  assertNotBilled(next.effectiveFrom, billedUntil);
  const kept = sheets.filter((s) => s.effectiveFrom !== next.effectiveFrom);
  return [...kept, next].sort((a, b) => a.effectiveFrom - b.effectiveFrom);
}

/** Refuses a sheet that would take effect before `billedUntil` (the end of what is already billed). */
export function assertNotBilled(effectiveFrom: Millis, billedUntil: Millis): void {
  if (effectiveFrom < billedUntil) {
    throw new KubetallyError(
      'CONFLICT',
      `a price sheet effective from ${rfc3339(effectiveFrom)} would reprice intervals already billed (up to ${rfc3339(billedUntil)})`,
      {
        hint: `set effectiveFrom to ${rfc3339(billedUntil)} or later; billed costs are never rewritten`,
        details: { effectiveFrom, billedUntil },
      },
    );
  }
}
