/**
 * Samples are stored in shards by namespace, so that closing an interval of a large cluster
 * integrates one shard at a time and never holds every pod's samples at once. Namespaces keep
 * together what must be integrated together: a pod and the claims it mounts. Nodes (cluster-wide)
 * travel in shard 0. The shard count is a cluster setting; records name their shard and the count
 * in their kind (`metrics#3/8`), so an interval whose records were cut in different counts (the
 * setting changed) is read whole instead of shard by shard.
 */
import type { InventorySnapshot } from '../metering/observations.js';

export function shardOf(namespace: string, shards: number): number {
  if (shards <= 1) return 0;
  let h = 0x811c9dc5; // FNV-1a, 32 bits
  for (let i = 0; i < namespace.length; i++) {
    h ^= namespace.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % shards;
}

export const shardKind = (kind: string, shard: number, of: number) => `${kind}#${shard}/${of}`;

/** `metrics#3/8` → `{ base: 'metrics', shard: 3, of: 8 }`; a kind without a shard is 0 of 1. */
export function parseKind(kind: string): { base: string; shard: number; of: number } {
  const m = /^(.*)#(\d+)\/(\d+)$/.exec(kind);
  return m === null
    ? { base: kind, shard: 0, of: 1 }
    : { base: m[1]!, shard: Number(m[2]), of: Number(m[3]) };
}

export function splitInventory(inv: InventorySnapshot, shards: number): InventorySnapshot[] {
  const out = Array.from({ length: shards }, (_, s) => ({
    time: inv.time,
    pods: [] as InventorySnapshot['pods'],
    claims: [] as InventorySnapshot['claims'],
    loadBalancers: [] as InventorySnapshot['loadBalancers'],
    nodes: s === 0 ? (inv.nodes ?? []) : [],
  }));
  for (const p of inv.pods) out[shardOf(p.namespace, shards)]!.pods.push(p);
  for (const c of inv.claims) out[shardOf(c.namespace, shards)]!.claims.push(c);
  for (const l of inv.loadBalancers) out[shardOf(l.namespace, shards)]!.loadBalancers.push(l);
  return out;
}

/** Splits samples by the shard of their namespace; samples of unknown pods are dropped. */
export function splitBy<T>(
  items: readonly T[],
  shards: number,
  namespaceOf: (item: T) => string | undefined,
): T[][] {
  // A namespace's shard once, not once per sample: a round splits every pod's readings.
  const shardOfNamespace = new Map<string, number>();
  return splitByShard(items, shards, (item) => {
    const ns = namespaceOf(item);
    if (ns === undefined) return undefined;
    let shard = shardOfNamespace.get(ns);
    if (shard === undefined) shardOfNamespace.set(ns, (shard = shardOf(ns, shards)));
    return shard;
  });
}

/** Splits samples by the shard `shardOfItem` gives (undefined: dropped), keeping their order. */
export function splitByShard<T>(
  items: readonly T[],
  shards: number,
  shardOfItem: (item: T) => number | undefined,
): T[][] {
  const out = Array.from({ length: shards }, () => [] as T[]);
  for (const item of items) {
    const shard = shardOfItem(item);
    if (shard !== undefined) out[shard]!.push(item);
  }
  return out;
}
