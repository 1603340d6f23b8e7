/**
 * The parts of an interval's costs that are not rows: the cluster's interval totals (node cost,
 * idle, over-allocation, management fee), its nodes, and the owners' debits. Runs inside the
 * transaction of writeInterval, after the collection_runs row made this writer the only one; each
 * debit also carries an idempotency key, so even a replay outside that guard could not debit twice.
 */
import { rfc3339 } from '../domain/time.js';
import { IDLE, UNOWNED, nodesByName, type PricedInterval } from '../pricing/price-interval.js';
import { DEBIT_KEY_PREFIX } from './accounts.js';
import type { Db } from './db.js';
import { ts, toJson } from './columns.js';
import type { IntervalWrite } from './types.js';

export interface IntervalCosts {
  write: IntervalWrite;
  tenant: string;
  priced: PricedInterval;
  priceSheetId: number | null;
}

/** The key that makes an owner's debit for one interval of one cluster unique. */
export const debitKey = (clusterId: number, intervalStart: number, owner: string): string =>
  `${DEBIT_KEY_PREFIX}${clusterId}:${rfc3339(intervalStart)}:${owner}`;

export async function writeIntervalCosts(tx: Db, c: IntervalCosts): Promise<void> {
  const { write: w, priced: p } = c;
  const idle = p.idle.reduce((s, i) => s + i.cost.totalCost, 0n);
  await tx.query(
    `INSERT INTO interval_costs (cluster_id, tenant, interval_start, interval_end, currency, basis, price_sheet_id,
       capacity_known, node_cost_micros, idle_cost_micros, over_allocation_cost_micros, unmatched_compute_cost_micros,
       management_cost_micros, total_cost_micros, unpriced_instance_types)
     VALUES ($1, $2, $3::timestamptz, $4::timestamptz, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::jsonb)`,
    [
      w.clusterId,
      c.tenant,
      ts(w.intervalStart),
      ts(w.intervalEnd),
      p.currency,
      p.basis,
      c.priceSheetId,
      p.capacityKnown,
      p.nodeCost.toString(),
      idle.toString(),
      p.overAllocation.totalCost.toString(),
      p.unmatchedComputeCost.toString(),
      p.managementCost.toString(),
      p.totalCost.toString(),
      JSON.stringify(p.unpricedInstanceTypes),
    ],
  );
  await insertNodes(tx, c);
  await debitOwners(tx, c);
}

async function insertNodes(tx: Db, c: IntervalCosts): Promise<void> {
  const nodes = nodesByName(c.write.nodes ?? []);
  if (nodes.length === 0) return;
  // Nodes of a gap interval are kept (they existed) but not priced: their pods are unknown.
  const costOf = new Map(c.priced.nodes.map((n) => [n.node, n]));
  const rows = nodes.map((n) => {
    const k = costOf.get(n.node);
    const sum = (x: { cpu: bigint; memory: bigint; gpu: bigint } | undefined) =>
      x === undefined ? 0n : x.cpu + x.memory + x.gpu;
    return {
      node: n.node,
      instance_type: n.instanceType,
      capacity_type: n.capacityType,
      millis: n.millis,
      cpu: n.cpuAllocatableCoreNanos,
      memory: n.memoryAllocatableByteSeconds,
      gpu: n.gpuAllocatableMillis,
      price_source: k?.priceSource ?? '',
      node_cost: k?.nodeCost ?? 0n,
      allocated: sum(k?.allocatedCost),
      idle: sum(k?.idleCost),
      over: sum(k?.overAllocationCost),
    };
  });
  await tx.query(
    `INSERT INTO node_interval (cluster_id, interval_start, node, instance_type, capacity_type, millis,
       cpu_allocatable_core_nanos, memory_allocatable_byte_seconds, gpu_allocatable_millis, price_source,
       node_cost_micros, allocated_cost_micros, idle_cost_micros, over_allocation_cost_micros)
     SELECT $1, $2::timestamptz, node, instance_type, capacity_type, millis, cpu, memory, gpu, price_source,
       node_cost, allocated, idle, over
     FROM jsonb_to_recordset($3::jsonb) AS r(node text, instance_type text, capacity_type text, millis numeric,
       cpu numeric, memory numeric, gpu numeric, price_source text, node_cost numeric, allocated numeric,
       idle numeric, over numeric)`,
    [c.write.clusterId, ts(c.write.intervalStart), toJson(rows)],
  );
}

/** Each owner's cost of the interval, debited once; `__unowned__` and `__idle__` are not accounts. */
async function debitOwners(tx: Db, c: IntervalCosts): Promise<void> {
  const { write: w } = c;
  const byOwner = new Map<string, bigint>();
  w.podRows.forEach((row, i) => {
    if (row.owner === UNOWNED || row.owner === IDLE) return;
    byOwner.set(row.owner, (byOwner.get(row.owner) ?? 0n) + (c.priced.rowCosts[i]?.totalCost ?? 0n));
  });
  const debits = [...byOwner]
    .filter(([, amount]) => amount > 0n)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([owner, amount]) => ({ owner, amount, key: debitKey(w.clusterId, w.intervalStart, owner) }));
  if (debits.length === 0) return;
  // Sorted by owner so that two clusters of one tenant lock account rows in the same order. One
  // statement: the accounts the CTE creates are there when the debits' foreign key is checked.
  await tx.query(
    `WITH d AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS r(owner text, amount numeric, key text)),
     a AS (INSERT INTO accounts (tenant, owner) SELECT $1, owner FROM d ORDER BY owner
       ON CONFLICT (tenant, owner) DO NOTHING)
     INSERT INTO credit_entries (tenant, owner, amount_micros, kind, reason, cluster_id, interval_start, idempotency_key)
     SELECT $1, owner, -amount, 'debit', $3, $4, $5::timestamptz, key FROM d ORDER BY owner
     ON CONFLICT (tenant, idempotency_key) DO NOTHING`,
    [
      c.tenant,
      toJson(debits),
      `usage ${rfc3339(w.intervalStart)} – ${rfc3339(w.intervalEnd)}`,
      w.clusterId,
      ts(w.intervalStart),
    ],
  );
}
