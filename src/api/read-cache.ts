/**
 * Answers of the read endpoints kept for a few seconds: the ledger changes once per interval
 * (every 15 minutes), while dashboards and scripts ask the same month of usage over and over.
 * Keyed by what the caller may see (role, tenant, owner) and the full URL, so one caller never
 * gets another's answer. Once stale, an answer is served while one refresh runs, for at most
 * another `ttlMs`; an older one is not served at all (so an answer is at most twice `ttlMs` old).
 * Bounded by entries and by the rows they hold (an answer may hold up to 200,000): the oldest
 * go first, and answers too old to be served go at the next one kept.
 */
import type { Principal } from './auth.js';

interface Entry {
  at: number;
  ttl: number;
  value: Promise<unknown>;
  settled: boolean;
  refreshing: boolean;
  /** Rows held (an answer's `rows`), 1 at least: what the bound on rows counts. */
  weight: number;
}

function weightOf(value: unknown): number {
  const rows = (value as { rows?: unknown } | null)?.rows;
  return 1 + (Array.isArray(rows) ? rows.length : 0);
}

export class ReadCache {
  private readonly entries = new Map<string, Entry>();
  /** Σ weight of the settled entries. */
  private held = 0;
  constructor(
    private readonly ttlMs = 30_000,
    private readonly max = 1_000,
    private readonly maxRows = 500_000,
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
    const entry: Entry = { at: now, ttl, value, settled: false, refreshing: false, weight: 1 };
    value.then(
      (answer) => {
        this.remove(key); // this entry on its way, or the stale one it refreshes
        entry.settled = true;
        entry.weight = weightOf(answer);
        this.entries.set(key, entry);
        this.held += entry.weight;
        this.evict(now);
      },
      () => {
        // A failure is not kept; a stale answer may be refreshed again.
        if (stale !== undefined) stale.refreshing = false;
        else if (this.entries.get(key) === entry) this.remove(key);
      },
    );
    if (stale === undefined) this.entries.set(key, entry);
    return value;
  }

  private remove(key: string): void {
    const e = this.entries.get(key);
    if (e === undefined) return;
    if (e.settled) this.held -= e.weight;
    this.entries.delete(key);
  }

  /**
   * Oldest first (settled entries are kept in the order they settled): those past serving, then
   * as many as the bounds need. An answer larger than the bound on rows is not kept at all.
   */
  private evict(now: number): void {
    for (const [key, e] of this.entries) {
      if (!e.settled) continue; // on its way: its callers wait for it
      const expired = now - e.at >= e.ttl + this.ttlMs;
      if (!expired && this.entries.size <= this.max && this.held <= this.maxRows) return;
      this.remove(key);
    }
  }
}
