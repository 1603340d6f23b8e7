/**
 * Inventories are stored as deltas: most pods look the same from one minute to the next, so a
 * sample stores only the pods that changed (and the UIDs that went away), with a full inventory
 * now and then. Reading them back rebuilds every snapshot with the unchanged pods shared, so an
 * interval's 15+ inventories of 100k pods cost one copy of each pod, not fifteen.
 * Claims, LoadBalancers and nodes are few and stored whole each time.
 */
import type { Millis } from '../domain/duration.js';
import type { InventorySnapshot, PodObservation, ResourceAmounts } from '../metering/observations.js';

export const FULL_KIND = 'inventory';
export const DELTA_KIND = 'inventory-delta';

export interface InventoryRecord extends Omit<InventorySnapshot, 'pods'> {
  /** The full list (FULL_KIND), or the pods added or changed since the previous record. */
  pods: PodObservation[];
  /** UIDs gone since the previous record (deltas only). */
  gone?: string[];
  /** The time of the record a delta applies to; it is skipped unless that record came just before. */
  base?: Millis;
}

/** Per cluster and process: what the last stored inventory held, as each pod's fingerprint. */
export class InventoryEncoder {
  private last: Map<string, string> | undefined;
  private lastBucket: number | undefined;
  private lastTime: Millis | undefined;

  /**
   * `bucket` changes at least once per interval (the caller derives it from the time); a new
   * bucket, or no previous record in this process, stores a full inventory.
   */
  encode(inv: InventorySnapshot, bucket: number): { kind: string; record: InventoryRecord } {
    const now = new Map<string, string>();
    for (const p of inv.pods) now.set(p.uid, fingerprint(p));
    const full = this.last === undefined || bucket !== this.lastBucket;
    const prev = this.last ?? new Map<string, string>();
    const base = this.lastTime;
    this.last = now;
    this.lastBucket = bucket;
    this.lastTime = inv.time;
    const { pods, ...rest } = inv;
    if (full || base === undefined) return { kind: FULL_KIND, record: { ...rest, pods } };
    const changed = pods.filter((p) => prev.get(p.uid) !== now.get(p.uid));
    const gone = [...prev.keys()].filter((uid) => !now.has(uid));
    return { kind: DELTA_KIND, record: { ...rest, pods: changed, gone, base } };
  }

  /** Forget the last record (it may not have been stored): the next one is full. */
  reset(): void {
    this.last = undefined;
    this.lastTime = undefined;
  }
}

/** Fingerprints by pod object: a pod the list reused (unchanged) is not fingerprinted again. */
const fingerprints = new WeakMap<PodObservation, string>();

/**
 * What can change in a listed pod, as a string: its phase, node, deletion, labels and container
 * states. Cheaper than the pod's JSON, which it stands for when comparing two samples.
 */
function fingerprint(p: PodObservation): string {
  let s = fingerprints.get(p);
  if (s === undefined) fingerprints.set(p, (s = describe(p)));
  return s;
}

function describe(p: PodObservation): string {
  // Parts joined once: a string grown with `+=` is a tree of pieces until something reads it
  // whole, and these are kept for every pod between samples.
  const parts = [`${p.phase}|${p.node}|${p.deletingAt ?? ''}|${p.claims.join(',')}|`];
  for (const k in p.labels) parts.push(`${k}=${p.labels[k]};`);
  for (const c of p.containers) {
    // Requests can change in place (pod resize), so they are part of it too.
    parts.push(
      `|${c.name}:${c.requests.cpuNanoCores}/${c.requests.memoryBytes}/${c.requests.gpus}:${c.restartCount}:${c.runningSince ?? ''}:${c.terminated?.startedAt ?? ''}-${c.terminated?.finishedAt ?? ''}:${c.lastTerminated?.startedAt ?? ''}-${c.lastTerminated?.finishedAt ?? ''}`,
    );
  }
  return parts.join('');
}

/**
 * Rebuilds snapshots from records in time order. Deltas before the first full record have no
 * base and are skipped (the caller reads from a full record on).
 */
export function decodeInventories(
  records: readonly { kind: string; time: Millis; record: InventoryRecord }[],
): InventorySnapshot[] {
  const out: InventorySnapshot[] = [];
  let pods: Map<string, PodObservation> | undefined;
  let lastTime: Millis | undefined;
  for (const { kind, record } of records) {
    if (kind === FULL_KIND) pods = new Map(record.pods.map((p) => [p.uid, p]));
    else if (pods === undefined || record.base !== lastTime) {
      pods = undefined; // another writer's records came between: wait for the next full one
      continue;
    } else {
      for (const uid of record.gone ?? []) pods.delete(uid);
      for (const p of record.pods) pods.set(p.uid, p);
    }
    lastTime = record.time;
    const { gone: _g, pods: _p, base: _b, ...rest } = record;
    out.push({ ...rest, pods: [...pods.values()] });
  }
  return out;
}

/**
 * A stored record parsed as plain JSON, with its amounts (decimal text) made bigints again in
 * place. Where amounts are is known, which is several times faster than visiting every field of
 * every pod: an interval's read-back holds two full inventories of the cluster.
 */
export function reviveInventoryRecord(value: unknown): InventoryRecord {
  const record = value as InventoryRecord;
  for (const p of record.pods) {
    amounts(p.overhead);
    for (const c of p.containers) {
      amounts(c.requests);
      amounts(c.limits);
    }
  }
  for (const c of record.claims) if (c.capacityBytes !== undefined) c.capacityBytes = BigInt(c.capacityBytes);
  for (const n of record.nodes ?? []) amounts(n.allocatable);
  return record;
}

function amounts(a: ResourceAmounts | undefined): void {
  if (a === undefined) return;
  if (a.cpuNanoCores !== undefined) a.cpuNanoCores = BigInt(a.cpuNanoCores);
  if (a.memoryBytes !== undefined) a.memoryBytes = BigInt(a.memoryBytes);
  if (a.gpus !== undefined) a.gpus = BigInt(a.gpus);
}
