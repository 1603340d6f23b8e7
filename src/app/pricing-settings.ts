/**
 * A cluster's pricing for the API and CLI: validate a sheet before it is stored with a new
 * cluster (`POST /clusters {pricing}`), set a new sheet from an unbilled time (`PATCH /clusters/
 * {name} {pricing}`), and show the sheets in force as JSON.
 */
import { KubetallyError, invalidArgument } from '../domain/errors.js';
import { rfc3339 } from '../domain/time.js';
import type { ClusterRegistry, PriceSheetStore } from '../ledger/store.js';
import type { ClusterId } from '../ledger/types.js';
import { defaultPriceSheet, parseNewPriceSheet, priceSheetToJson } from '../pricing/price-sheet.js';

/** Throws INVALID_ARGUMENT naming every bad field; returns the sheet in its canonical JSON form. */
export function validatePricing(input: unknown): Record<string, unknown> {
  const { effectiveFrom: _, ...json } = priceSheetToJson(parseNewPriceSheet(input ?? {}));
  return json;
}

/**
 * `validatePricing` for the sheet a cluster is registered with, which prices it from its first
 * interval on: an `effectiveFrom` there used to be dropped without a word (the sheet priced every
 * interval, before that time too), so it is refused, naming the way to change prices later.
 */
export function validateRegistrationPricing(input: unknown, cluster: string): Record<string, unknown> {
  const json = validatePricing(input);
  if ((input as { effectiveFrom?: unknown } | null | undefined)?.effectiveFrom !== undefined) {
    throw invalidArgument(
      'invalid price sheet: effectiveFrom: a cluster is registered with the sheet that prices it from its first interval on',
      `leave effectiveFrom out; to change prices from a later time, set a new sheet once the cluster is registered: PATCH /api/v1/clusters/${cluster} {"pricing": {"effectiveFrom": "2026-07-01", ...}}`,
    );
  }
  return json;
}

/** Later than any interval: the sheet a cluster prices with from now on. */
const FROM_NOW_ON = Date.UTC(9999, 0, 1);

/**
 * The currency of a tenant's accounts: what its intervals were billed in, else what its clusters
 * price in (one currency per tenant, see below), else the default sheet's.
 */
export async function tenantCurrency(
  store: ClusterRegistry & PriceSheetStore,
  tenant: string,
): Promise<string> {
  const [billed] = await store.billedCurrencies(tenant);
  if (billed !== undefined) return billed;
  const [first] = await store.listClusters(tenant);
  const sheet =
    first === undefined ? defaultPriceSheet() : (await store.clusterSheetAt(first.id, FROM_NOW_ON)).sheet;
  return sheet.currency;
}

/**
 * Accounts hold one currency (the debits of all the tenant's clusters add up in them) and
 * kubetally converts none: a cluster may only price in the currency its tenant's intervals were
 * billed in (its own included) and its other clusters use. `currency` is the one asked for;
 * `except` is the cluster being changed. The error's `details.tenantCurrency` is the tenant's.
 */
export async function assertTenantCurrency(
  store: ClusterRegistry & PriceSheetStore,
  tenant: string,
  currency: string,
  except?: ClusterId,
): Promise<void> {
  const billed = (await store.billedCurrencies(tenant)).filter((c) => c !== currency);
  if (billed.length > 0) {
    throw new KubetallyError(
      'INVALID_ARGUMENT',
      `tenant ${tenant} has been billed in ${billed.join(' and ')}: pricing in ${currency} would add two currencies together in its accounts and totals`,
      {
        hint: `keep pricing tenant ${tenant} in ${billed[0]} (kubetally does not convert currencies); to bill in ${currency}, register the cluster again in a tenant of its own`,
        details: { tenantCurrency: billed[0] },
      },
    );
  }
  for (const c of await store.listClusters(tenant)) {
    if (c.id === except) continue;
    const { sheet } = await store.clusterSheetAt(c.id, FROM_NOW_ON);
    if (sheet.currency === currency) continue;
    throw new KubetallyError(
      'INVALID_ARGUMENT',
      `tenant ${tenant} prices its clusters in ${sheet.currency} (cluster ${c.name}): pricing in ${currency} would add two currencies together in its accounts and totals`,
      {
        hint: `price every cluster of tenant ${tenant} in ${sheet.currency} (kubetally does not convert currencies), or register this cluster in a tenant of its own`,
        details: { tenantCurrency: sheet.currency },
      },
    );
  }
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
  const currency = (input as { currency?: unknown } | null)?.currency;
  if (typeof currency === 'string') {
    // An unknown code is named as such, before any comparison with the tenant's currency.
    parseNewPriceSheet({ currency });
    await assertTenantCurrency(store, tenant, currency, c.id);
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
