/**
 * Nodes over an interval: how long each existed in [a, b) and its allocatable capacity × that
 * time. This is what the cluster's nodes cost is computed from (and so idle: node cost not
 * allocated to pods). A node's lifetime follows the inventories as claims do (storage.ts).
 */
import type { Millis } from '../domain/duration.js';
import type { InventorySnapshot } from './observations.js';
import { overlap } from './segments.js';
import { lifetimes } from './storage.js';

/** A node's presence in one interval: what the cluster's nodes cost, and so idle, come from it. */
export interface NodeIntervalRow {
  node: string;
  /** `node.kubernetes.io/instance-type` (or the beta label); `''` when unknown. */
  instanceType: string;
  capacityType: 'on-demand' | 'spot';
  /** Time the node existed within the interval. */
  millis: bigint;
  /** Allocatable CPU × time present, core-nanoseconds. */
  cpuAllocatableCoreNanos: bigint;
  /** Allocatable memory × time present, byte-seconds. */
  memoryAllocatableByteSeconds: bigint;
  /** Allocatable `nvidia.com/gpu` × time present, GPU-milliseconds. */
  gpuAllocatableMillis: bigint;
}

export function nodeRows(
  inventories: readonly InventorySnapshot[],
  window: { a: Millis; b: Millis },
  opts: { maxBridgeMs: Millis },
): NodeIntervalRow[] {
  const rows: NodeIntervalRow[] = [];
  for (const life of lifetimes(inventories, (s) => s.nodes ?? [], opts).values()) {
    const ms = BigInt(overlap(window.a, window.b, life.start, life.end));
    if (ms === 0n) continue;
    const n = life.last;
    rows.push({
      node: n.name,
      instanceType: n.instanceType,
      capacityType: n.capacityType,
      millis: ms,
      cpuAllocatableCoreNanos: (n.allocatable.cpuNanoCores * ms) / 1000n,
      memoryAllocatableByteSeconds: (n.allocatable.memoryBytes * ms) / 1000n,
      gpuAllocatableMillis: n.allocatable.gpus * ms,
    });
  }
  return rows.sort((x, y) => x.node.localeCompare(y.node));
}
