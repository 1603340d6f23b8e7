/**
 * The SPEC §5 shape of a usage-and-cost row: group keys, `start` (unless step=total), usage in
 * hours and GiB, money as decimal numbers in the cluster's currency, and efficiencies. Exact
 * integers are converted here, at the edge, once.
 */
import { rfc3339 } from '../domain/time.js';
import { ratio, toCoreHours, toGiB, toGiBHours, toHours } from '../domain/usage.js';
import type { CostRow } from '../ledger/cost-query.js';
import { microsToNumber } from '../pricing/decimal.js';
import { COST_FIELDS } from '../pricing/costs.js';

export interface CostRowJson {
  [key: string]: string | number | null | undefined;
  start?: string;
  cpuCoreHours: number;
  cpuRequestCoreHours: number;
  memoryGiBHours: number;
  memoryRequestGiBHours: number;
  gpuHours: number;
  storageGiBHours: number;
  /** Received + sent. */
  networkGiB: number;
  networkEgressGiB: number;
  podHours: number;
  cpuCost: number;
  memoryCost: number;
  gpuCost: number;
  storageCost: number;
  networkCost: number;
  loadBalancerCost: number;
  totalCost: number;
  /** CPU used / requested; null when nothing was requested. */
  cpuEfficiency: number | null;
  memoryEfficiency: number | null;
}

const efficiency = (used: bigint, requested: bigint) => (requested === 0n ? null : ratio(used, requested));

export function costRowJson(r: CostRow): CostRowJson {
  const u = r.usage;
  const out: CostRowJson = {
    ...r.group,
    ...(r.start === undefined ? {} : { start: rfc3339(r.start) }),
    cpuCoreHours: toCoreHours(u.cpuCoreNanos),
    cpuRequestCoreHours: toCoreHours(u.cpuRequestCoreNanos),
    memoryGiBHours: toGiBHours(u.memoryByteSeconds),
    memoryRequestGiBHours: toGiBHours(u.memoryRequestByteSeconds),
    gpuHours: toHours(u.gpuMillis),
    storageGiBHours: toGiBHours(u.storageByteSeconds),
    networkGiB: toGiB(u.networkRxBytes + u.networkTxBytes),
    networkEgressGiB: toGiB(u.networkTxBytes),
    podHours: toHours(u.podMillis),
    cpuCost: 0,
    memoryCost: 0,
    gpuCost: 0,
    storageCost: 0,
    networkCost: 0,
    loadBalancerCost: 0,
    totalCost: 0,
    cpuEfficiency: efficiency(u.cpuCoreNanos, u.cpuRequestCoreNanos),
    memoryEfficiency: efficiency(u.memoryByteSeconds, u.memoryRequestByteSeconds),
  };
  for (const f of COST_FIELDS) out[f] = microsToNumber(r.cost[f]);
  return out;
}
