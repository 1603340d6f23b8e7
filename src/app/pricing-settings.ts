/**
 * A cluster's pricing for the API and CLI: validate a sheet before it is stored with a new
 * cluster (`POST /clusters {pricing}`), set a new sheet from an unbilled time (`PATCH /clusters/
 * {name} {pricing}`), and show the sheets in force as JSON.
 */
import { KubetallyError } from '../domain/errors.js';
import { rfc3339 } from '../domain/time.js';
import type { ClusterRegistry, PriceSheetStore } from '../ledger/store.js';
import { parsePriceSheet, priceSheetToJson } from '../pricing/price-sheet.js';

/** Throws INVALID_ARGUMENT naming every bad field; returns the sheet in its canonical JSON form. */
export function validatePricing(input: unknown): Record<string, unknown> {
  const { effectiveFrom: _, ...json } = priceSheetToJson(parsePriceSheet(input ?? {}));
  return json;
}

export async function setClusterPricing(
  store: ClusterRegistry & PriceSheetStore,
  tenant: string,
  cluster: string,
  input: unknown,
) {
  const c = await store.getCluster(tenant, cluster);
  if (c === undefined) {
    throw new KubetallyError('NOT_FOUND', `no cluster named ${cluster}`, { hint: 'kubetally cluster list' });
  }
  const stored = await store.setClusterPriceSheet(c.id, input);
  return {
    cluster,
    id: stored.id,
    effectiveFrom: rfc3339(stored.effectiveFrom),
    sheet: priceSheetToJson(stored.sheet),
  };
}

export async function clusterPricingHistory(
  store: ClusterRegistry & PriceSheetStore,
  tenant: string,
  cluster: string,
) {
  const c = await store.getCluster(tenant, cluster);
  if (c === undefined) {
    throw new KubetallyError('NOT_FOUND', `no cluster named ${cluster}`, { hint: 'kubetally cluster list' });
  }
  return (await store.listClusterPriceSheets(c.id)).map((s) => ({
    id: s.id,
    effectiveFrom: rfc3339(s.effectiveFrom),
    sheet: priceSheetToJson(s.sheet),
  }));
}
