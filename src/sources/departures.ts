/**
 * Objects that left between two inventories, in their final state, from a watch that follows the
 * inventory's list of their kind. A list every sample period cannot see how a pod ended when it
 * was deleted before the next list (Jobs with ttlSecondsAfterFinished: 0, pods removed by their
 * controller), nor a pod that lived entirely between two lists; the watch's DELETED event carries
 * the pod as it was when it went, container finish times included, so that it is accounted
 * exactly. Claims and LoadBalancer services are billed by the hour until they go: their DELETED
 * event carries the `deletionTimestamp` their finalizers kept. The watch is a help, never a source
 * of truth of its own: while it is down (refused, expired, broken) the lists alone are used, as
 * without it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { podInfo, pvcInfo, serviceInfo } from '../k8s/compact.js';
import type { Connection } from '../k8s/connection.js';
import type { PodInfo, PvcInfo, ServiceInfo } from '../k8s/types.js';

/** How long one watch request lasts before it is renewed (the server may end it sooner). */
const WATCH_SECONDS = 300;
/** After a watch was refused or broke without an answer, how long to do without it. */
const RETRY_AFTER_MS = 10 * 60_000;
/** The least time between the starts of two watch requests. */
const MIN_WATCH_MS = 1000;
/** A bound on the objects held between two samples (a sample that never comes must not grow it). */
const MAX_HELD = 100_000;

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What a watch keeps of a DELETED object: its key in the inventory, and the object. */
type Reader<T> = (object: Raw) => { key: string; value: T } | undefined;

export type WatchedResource = 'pods' | 'persistentvolumeclaims' | 'services';

export class Departures<T> {
  private controller: AbortController | undefined;
  /** The newest resourceVersion the watch has delivered (events and bookmarks). */
  private seen: string | undefined;
  private readonly departed = new Map<string, T>();
  private readonly waiters = new Set<() => void>();
  private failedAt = -Infinity;
  /**
   * Whether the watch keeps up with list versions (bookmarks after each change, as from the
   * simulator). A real API server's lists carry the revision of all of etcd, which a watch of pods
   * reaches only at its next bookmark (about once a minute): after one wait in vain, no more.
   */
  private catchesUp = true;

  constructor(
    private readonly conn: Connection,
    private readonly resource: WatchedResource,
    private readonly read: Reader<T>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Called with each list's resourceVersion: keeps the watch going, or starts it from there. */
  follow(listVersion: string | undefined): void {
    if (this.controller !== undefined || listVersion === undefined) return;
    if (this.now() - this.failedAt < RETRY_AFTER_MS) return;
    this.run(listVersion);
  }

  /**
   * The objects that left and are not in the list just taken (`listed` keys), in their final
   * state. Waits (at most `waitMs`) until the watch has caught up with the list's version, so that
   * what left before the list is there; what left after it is kept for the next sample.
   */
  async take(listed: ReadonlySet<string>, listVersion: string | undefined, waitMs = 500): Promise<T[]> {
    if (this.controller !== undefined && listVersion !== undefined && this.catchesUp)
      this.catchesUp = await this.caughtUp(listVersion, waitMs);
    const out: T[] = [];
    for (const [key, value] of this.departed) {
      if (listed.has(key)) continue;
      out.push(value);
      this.departed.delete(key);
    }
    return out;
  }

  close(): void {
    this.controller?.abort();
    this.controller = undefined;
  }

  private run(from: string): void {
    const controller = new AbortController();
    this.controller = controller;
    this.seen = from;
    this.catchesUp = true;
    const loop = async () => {
      while (!controller.signal.aborted) {
        let pending = '';
        let expired = false;
        const started = Date.now();
        const path =
          `/api/v1/${this.resource}?watch=1&allowWatchBookmarks=true&timeoutSeconds=${WATCH_SECONDS}` +
          `&resourceVersion=${encodeURIComponent(this.seen ?? from)}`;
        await this.conn.stream(
          path,
          (text) => {
            pending += text;
            for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
              if (this.event(pending.slice(0, nl)) === 'expired') expired = true;
              pending = pending.slice(nl + 1);
            }
          },
          controller.signal,
        );
        // Expired: the next list starts a new watch from its own version.
        if (expired) return;
        // A server (or proxy) that ends watches at once is not asked again at once.
        if (Date.now() - started < MIN_WATCH_MS)
          await sleep(MIN_WATCH_MS, undefined, { signal: controller.signal }).catch(() => undefined);
      }
    };
    loop()
      .catch(() => {
        // A refusal (403, 404, 405) or a broken connection: do without for a while.
        this.failedAt = this.now();
      })
      .finally(() => {
        if (this.controller === controller) this.controller = undefined;
        this.wake();
      });
  }

  private event(line: string): 'expired' | undefined {
    if (line.trim() === '') return undefined;
    let e: { type?: string; object?: Raw };
    try {
      e = JSON.parse(line) as typeof e;
    } catch {
      return undefined; // a broken line: the lists still see everything but the final states
    }
    if (e.type === 'ERROR') return e.object?.code === 410 ? 'expired' : undefined;
    const version = e.object?.metadata?.resourceVersion;
    if (e.type === 'DELETED' && e.object !== undefined && this.departed.size < MAX_HELD) {
      const kept = this.read(e.object);
      if (kept !== undefined) this.departed.set(kept.key, kept.value);
    }
    if (typeof version === 'string' && version !== '') {
      this.seen = version;
      this.wake();
    }
    return undefined;
  }

  /** Resolves to whether the watch reached `version` within `waitMs`. */
  private caughtUp(version: string, waitMs: number): Promise<boolean> {
    const target = Number(version);
    // Versions are compared as numbers where they are (etcd revisions); otherwise no wait.
    const done = () =>
      this.controller === undefined || !Number.isFinite(target) || Number(this.seen) >= target;
    if (done()) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const finish = (reached: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(reached);
      };
      const check = () => {
        if (done()) finish(true);
      };
      const timer = setTimeout(() => finish(false), waitMs);
      this.waiters.add(check);
    });
  }

  private wake(): void {
    for (const w of [...this.waiters]) w();
  }
}

/** Pods, by uid. */
export const podDepartures = (conn: Connection, now?: () => number): Departures<PodInfo> =>
  new Departures(
    conn,
    'pods',
    (o) => {
      const pod = podInfo(o);
      return pod.uid === '' ? undefined : { key: pod.uid, value: pod };
    },
    now,
  );

/** Claims, by `namespace/name` (as the inventory keys them). */
export const claimDepartures = (conn: Connection, now?: () => number): Departures<PvcInfo> =>
  new Departures(
    conn,
    'persistentvolumeclaims',
    (o) => {
      const claim = pvcInfo(o);
      return claim.name === '' ? undefined : { key: `${claim.namespace}/${claim.name}`, value: claim };
    },
    now,
  );

/** LoadBalancer services, by `namespace/name`. */
export const serviceDepartures = (conn: Connection, now?: () => number): Departures<ServiceInfo> =>
  new Departures(
    conn,
    'services',
    (o) => {
      const svc = serviceInfo(o);
      return svc.type !== 'LoadBalancer' || svc.name === ''
        ? undefined
        : { key: `${svc.namespace}/${svc.name}`, value: svc };
    },
    now,
  );

/** The watches that follow one cluster's inventory lists. */
export interface InventoryWatches {
  pods: Departures<PodInfo>;
  claims: Departures<PvcInfo>;
  services: Departures<ServiceInfo>;
}

export function inventoryWatches(conn: Connection): InventoryWatches {
  return { pods: podDepartures(conn), claims: claimDepartures(conn), services: serviceDepartures(conn) };
}
