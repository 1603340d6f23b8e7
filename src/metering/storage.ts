/**
 * Claims and LoadBalancer services over time. A claim counts its capacity from creation to
 * deletion (a claim that vanished ends at its deletionTimestamp, kept within [last seen, first
 * seen gone], else halfway between those two inventories, as a vanished pod does: see
 * lifecycles.ts). At each instant, the capacity (and the used
 * bytes, when volume stats know them) is split equally among the running pods that mount the
 * claim; when none does, it goes to the claim itself, a row of its namespace without a pod.
 * Splits are kept exact (common denominator) and rounded once per pod.
 */
import type { Millis } from '../domain/duration.js';
import type { PodLifecycle } from './lifecycles.js';
import type { InventorySnapshot, VolumeSample } from './observations.js';
import { SCALE, constantSegment, shareOf, type Segment } from './segments.js';
import { levelSegments, type SeriesOptions } from './series.js';

interface Lifetime<O> {
  last: O;
  start: Millis;
  end: Millis;
  /** Capacity or other value changes: (time, observation) in time order. */
  seen: { time: Millis; obs: O }[];
  open: boolean;
}

type Lived = { namespace: string; name: string; createdAt: Millis; deletingAt?: Millis; departed?: true };

/**
 * Lifetimes of claims, LoadBalancers or nodes keyed by `namespace/name`. One that vanished ends at
 * its deletionTimestamp (kept within [last seen, first seen gone]), which the watch's final state
 * (a `departed` observation: not listed at that inventory) carries; without one it ends halfway
 * to the first inventory without it, unless that is more than `maxBridgeMs` later (an outage):
 * then where it was last seen. One that came and went between two inventories is known only
 * from its final state, and lives from its creation to its deletion.
 */
export function lifetimes<O extends Lived>(
  inventories: readonly InventorySnapshot[],
  list: (s: InventorySnapshot) => readonly O[],
  opts: { maxBridgeMs: Millis },
): Map<string, Lifetime<O>> {
  const snaps = [...inventories].sort((x, y) => x.time - y.time);
  const out = new Map<string, Lifetime<O>>();
  const lastSeen = new Map<string, Millis>();
  for (const s of snaps) {
    for (const o of list(s)) {
      const key = `${o.namespace}/${o.name}`;
      let life = out.get(key);
      if (o.departed === true) {
        // How it ended, not a sight of it: the end below comes from its deletion time.
        if (life === undefined)
          out.set(key, {
            last: o,
            start: o.createdAt,
            end: o.createdAt,
            seen: [{ time: s.time, obs: o }],
            open: false,
          });
        else if (o.createdAt === life.start) life.last = o;
        continue;
      }
      if (life === undefined)
        out.set(key, (life = { last: o, start: o.createdAt, end: s.time, seen: [], open: false }));
      life.last = o;
      life.seen.push({ time: s.time, obs: o });
      lastSeen.set(key, s.time);
    }
  }
  for (const [key, life] of out) {
    const seen = lastSeen.get(key);
    const del = life.last.deletingAt;
    if (seen === undefined) {
      // Never listed: its final state from the watch is all there is.
      life.end = del ?? life.start;
    } else {
      const goneAt = snaps.find((s) => s.time > seen)?.time;
      life.open = goneAt === undefined;
      if (goneAt === undefined) life.end = seen;
      else if (del !== undefined) life.end = Math.min(Math.max(del, seen), goneAt);
      else life.end = goneAt - seen <= opts.maxBridgeMs ? seen + Math.floor((goneAt - seen) / 2) : seen;
    }
    life.end = Math.max(life.end, life.start);
  }
  return out;
}

export interface StorageShares {
  /** Per pod uid: capacity and used byte-seconds. */
  pods: Map<string, { storageByteSeconds: bigint; storageUsedByteSeconds: bigint }>;
  /** Per claim `namespace/name` not mounted by a running pod at the time. */
  claims: Map<
    string,
    {
      namespace: string;
      name: string;
      labels: Record<string, string>;
      storageByteSeconds: bigint;
      storageUsedByteSeconds: bigint;
    }
  >;
}

export function storageShares(
  inventories: readonly InventorySnapshot[],
  pods: ReadonlyMap<string, PodLifecycle>,
  volumes: readonly VolumeSample[],
  window: { a: Millis; b: Millis },
  opts: SeriesOptions,
): StorageShares {
  const out: StorageShares = { pods: new Map(), claims: new Map() };
  const byClaim = new Map<string, { uid: string; start: Millis; end: Millis }[]>();
  for (const [uid, p] of pods) {
    if (p.span === undefined) continue;
    for (const claim of p.pod.claims) {
      const key = `${p.pod.namespace}/${claim}`;
      const list = byClaim.get(key) ?? [];
      list.push({ uid, start: p.span.start, end: p.span.end });
      byClaim.set(key, list);
    }
  }
  for (const [key, life] of lifetimes(inventories, (s) => s.claims, opts)) {
    const { namespace, name } = life.last;
    // Capacity: one constant segment per capacity value, from creation (or the change) on.
    const cap: Segment[] = [];
    life.seen.forEach((v, i) => {
      const prev = life.seen[i - 1];
      if (prev !== undefined && prev.obs.capacityBytes === v.obs.capacityBytes) return;
      const from = prev === undefined ? life.start : v.time;
      const next = life.seen.slice(i + 1).find((n) => n.obs.capacityBytes !== v.obs.capacityBytes);
      cap.push(constantSegment(from, next?.time ?? life.end, (v.obs.capacityBytes * SCALE) / 1000n));
    });
    const used = levelSegments(
      volumes
        .filter((v) => v.namespace === namespace && v.claim === name)
        .map((v) => ({ time: v.time, level: v.usedBytes })),
      { start: life.start, end: life.open ? undefined : life.end },
      opts,
    );
    const mounters = byClaim.get(key) ?? [];
    const a = Math.max(window.a, life.start);
    const b = Math.min(window.b, life.end);
    const cuts = new Set([a, b]);
    for (const m of mounters) for (const t of [m.start, m.end]) if (t > a && t < b) cuts.add(t);
    const sorted = [...cuts].sort((x, y) => x - y);
    const pieces: { x0: Millis; x1: Millis; uids: string[] }[] = [];
    for (let i = 1; i < sorted.length && a < b; i++) {
      const x0 = sorted[i - 1] as Millis;
      const x1 = sorted[i] as Millis;
      const uids = mounters.filter((m) => m.start <= x0 && m.end >= x1).map((m) => m.uid);
      pieces.push({ x0, x1, uids });
    }
    const lcm = pieces.reduce((l, p) => (p.uids.length > 0 ? lcmOf(l, BigInt(p.uids.length)) : l), 1n);
    const podNum = new Map<string, { cap: bigint; used: bigint }>();
    let claimCap = 0n;
    let claimUsed = 0n;
    for (const p of pieces) {
      const c = shareOf(cap, p.x0, p.x1);
      const u = shareOf(used, p.x0, p.x1);
      if (p.uids.length === 0) {
        claimCap += c;
        claimUsed += u;
        continue;
      }
      const k = lcm / BigInt(p.uids.length);
      for (const uid of p.uids) {
        const acc = podNum.get(uid) ?? { cap: 0n, used: 0n };
        acc.cap += c * k;
        acc.used += u * k;
        podNum.set(uid, acc);
      }
    }
    for (const [uid, n] of podNum) {
      const acc = out.pods.get(uid) ?? { storageByteSeconds: 0n, storageUsedByteSeconds: 0n };
      acc.storageByteSeconds += n.cap / lcm;
      acc.storageUsedByteSeconds += n.used / lcm;
      out.pods.set(uid, acc);
    }
    if (claimCap > 0n || claimUsed > 0n) {
      out.claims.set(key, {
        namespace,
        name,
        labels: life.last.labels ?? {},
        storageByteSeconds: claimCap,
        storageUsedByteSeconds: claimUsed,
      });
    }
  }
  return out;
}

/** LoadBalancer service lifetime within [a, b), ms, keyed by `namespace/name`. */
/** A LoadBalancer's time in a window, with what attributes it. */
export interface LoadBalancerTime {
  namespace: string;
  name: string;
  labels: Record<string, string>;
  selector?: Record<string, string>;
  millis: bigint;
}

export function loadBalancerMillis(
  inventories: readonly InventorySnapshot[],
  window: { a: Millis; b: Millis },
  opts: { maxBridgeMs: Millis },
): Map<string, LoadBalancerTime> {
  const out = new Map<string, LoadBalancerTime>();
  for (const [key, life] of lifetimes(inventories, (s) => s.loadBalancers, opts)) {
    const millis = shareOf([constantSegment(life.start, life.end, SCALE)], window.a, window.b);
    const { namespace, name, labels, selector } = life.last;
    if (millis <= 0n) continue;
    out.set(key, {
      namespace,
      name,
      labels: labels ?? {},
      ...(selector === undefined ? {} : { selector }),
      millis,
    });
  }
  return out;
}

function gcd(x: bigint, y: bigint): bigint {
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function lcmOf(x: bigint, y: bigint): bigint {
  return (x / gcd(x, y)) * y;
}
