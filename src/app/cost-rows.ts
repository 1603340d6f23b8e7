/**
 * The SPEC §5 shape of a usage-and-cost row: the usage row (usage-view.ts) plus egress and money
 * as decimal numbers in the cluster's currency. Exact integers are converted here, once.
 */
import { BYTES_PER_GIB, ledgerRatio } from '../domain/usage.js';
import type { CostRow } from '../ledger/cost-query.js';
import { microsToNumber } from '../pricing/decimal.js';
import { COST_FIELDS, type CostBreakdown } from '../pricing/costs.js';
import { usageRowJson, type UsageRowJson } from './usage-view.js';

export type CostRowJson = UsageRowJson & { networkEgressGiB: number } & Record<keyof CostBreakdown, number>;

export function costRowJson(r: CostRow): CostRowJson {
  const out = {
    ...usageRowJson(r),
    networkEgressGiB: ledgerRatio(r.usage.networkTxBytes, BYTES_PER_GIB),
  } as CostRowJson;
  for (const f of COST_FIELDS) out[f] = microsToNumber(r.cost[f]);
  return out;
}
