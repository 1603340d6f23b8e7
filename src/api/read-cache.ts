/**
 * Answers of the read endpoints kept for a few seconds: the ledger changes once per interval
 * (every 15 minutes), while dashboards and scripts ask the same month of usage over and over.
 * Keyed by what the caller may see (role, tenant, owner) and the full URL, so one caller never
 * gets another's answer. Once stale, an answer is served while one refresh runs, for at most
 * another `ttlMs`; an older one is not served at all (so an answer is at most twice `ttlMs` old).
 * Bounded; the oldest entry goes first.
 */
import type { Principal } from './auth.js';

interface Entry {
  at: number;
  ttl: number;
  value: Promise<unknown>;
  settled: boolean;
  refreshing: boolean;
}

export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  constructor(
    private readonly ttlMs = 30_000,
    private readonly max = 1_000,
  ) {}

  get<T>(p: Principal, url: string, compute: () => Promise<T>, now = Date.now()): Promise<T> {
    const key = `${p.role}\u0000${p.tenant ?? '*'}\u0000${p.owner ?? '*'}\u0000${url}`;
    const hit = this.entries.get(key);
    if (hit !== undefined && now - hit.at < hit.ttl) return hit.value as Promise<T>;
    // Long unasked, an answer is not given again: it is computed anew, and waited for.
    if (hit !== undefined && hit.settled && now - hit.at >= hit.ttl + this.ttlMs) {
      return this.start(key, compute, now, undefined);
    }
    if (hit !== undefined && hit.settled && !hit.refreshing) {
      // Stale: answer with it while one refresh runs, so that a busy endpoint never stalls.
      hit.refreshing = true;
      this.start(key, compute, now, hit);
      return hit.value as Promise<T>;
    }
    if (hit !== undefined) return hit.value as Promise<T>;
    return this.start(key, compute, now, undefined);
  }

  private start<T>(
    key: string,
    compute: () => Promise<T>,
    now: number,
    stale: Entry | undefined,
  ): Promise<T> {
    const value = compute();
    // Lifetimes spread over ±25 %, so that answers computed together are not refreshed together.
    const ttl = Math.round(this.ttlMs * (0.75 + Math.random() / 2));
    const entry: Entry = { at: now, ttl, value, settled: false, refreshing: false };
    value.then(
      () => {
        entry.settled = true;
        this.entries.delete(key);
        this.entries.set(key, entry);
        if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
      },
      () => {
        // A failure is not kept; a stale answer may be refreshed again.
        if (stale !== undefined) stale.refreshing = false;
        else if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    if (stale === undefined) this.entries.set(key, entry);
    return value;
  }
}
