import { COST_FIELDS, zeroCost, type CostBreakdown, type CostField } from '../pricing/costs.js';
import { toBigInt } from './db.js';

/** `loadBalancerCost` → `load_balancer_cost_micros`: the exact column that holds a cost field. */
export function costColumnOf(field: CostField): string {
  return `${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)}_micros`;
}

export const COST_COLUMNS: readonly string[] = COST_FIELDS.map(costColumnOf);

/** Reads every cost field from a row whose cost columns are named by `costColumnOf`. */
export function costsFromRow(row: Record<string, unknown>): CostBreakdown {
  const c = zeroCost();
  for (const f of COST_FIELDS) c[f] = toBigInt(row[costColumnOf(f)]);
  return c;
}
