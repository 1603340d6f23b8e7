/**
 * Gaps: the parts of an interval where a source that should be there told us nothing. A source
 * has a gap between two successful scrapes more than `maxBridgeMs` (~2.5 sample periods) apart,
 * around every failed scrape (from the success before it to the success after it), and from the
 * interval's start (end) when no success is known before (after) it. The Summary API is checked
 * per node (holes between a node's scrapes, and its errors) and as a whole (edges included), so
 * nodes that come and go are not gaps, but a Summary API down for every node is.
 * Usage that stays exactly known across a gap is still returned (requests and pod time from
 * state times, counter deltas spread over the gap); nothing is filled with zeros or guesses.
 */
import type { Millis } from '../domain/duration.js';
import { OPTIONAL_LISTS, type OptionalList, type ScrapeRecord, type SourceName } from './observations.js';

export interface Gap {
  source: SourceName;
  /** The node, for a gap of one node's Summary API. */
  node?: string;
  /** The optional list (PVCs, services) refused while the rest of the inventory was read. */
  list?: string;
  start: Millis;
  end: Millis;
  reason: string;
}

const LABEL: Record<SourceName, string> = {
  inventory: 'inventory (pods, claims, services)',
  metrics: 'metrics.k8s.io',
  summary: 'kubelet Summary API',
};

export interface GapOptions {
  start: Millis;
  end: Millis;
  maxBridgeMs: Millis;
  expected: readonly SourceName[];
}

export function findGaps(scrapes: readonly ScrapeRecord[], opts: GapOptions): Gap[] {
  const gaps: Gap[] = [];
  for (const source of opts.expected) {
    const mine = scrapes.filter((s) => s.source === source);
    const whole = scopeGaps(mine, { ...opts, source, edges: true });
    gaps.push(...whole);
    // A node's (or list's) gap inside a gap of the whole source says nothing more: it is not repeated.
    const covered = (g: Gap) => whole.some((w) => w.start <= g.start && g.end <= w.end);
    if (source === 'inventory') gaps.push(...refusedListGaps(mine, opts).filter((g) => !covered(g)));
    if (source !== 'summary') continue;
    const nodes = [...new Set(mine.map((s) => s.node).filter((n) => n !== undefined))].sort();
    for (const node of nodes) {
      const scoped = scopeGaps(
        mine.filter((s) => s.node === node),
        { ...opts, source, edges: false },
      );
      gaps.push(...scoped.filter((g) => !covered(g)).map((g) => ({ ...g, node })));
    }
  }
  return gaps;
}

/**
 * A refused optional list read as an empty one would end every claim (or LoadBalancer) and bill
 * nothing in its place: its part is a gap from the last inventory that read it to the first that
 * reads it again (the interval's edges when none does).
 */
function refusedListGaps(inventories: readonly ScrapeRecord[], opts: GapOptions): Gap[] {
  const read = inventories.filter((s) => s.error === undefined);
  const lists = [...new Set(read.flatMap((s) => (s.refused ?? []).map((r) => r.list)))].sort();
  return lists.flatMap((list) => {
    const scrapes = read.map((s): ScrapeRecord => {
      const refusal = s.refused?.find((r) => r.list === list);
      return refusal === undefined
        ? { source: 'inventory', time: s.time }
        : { source: 'inventory', time: s.time, error: refusal.error };
    });
    const gaps = scopeGaps(scrapes, {
      ...opts,
      source: 'inventory',
      edges: false,
      openEnds: true,
      label: `inventory ${list}${list in OPTIONAL_LISTS ? ` (${OPTIONAL_LISTS[list as OptionalList]})` : ''}`,
    });
    return gaps.map((g) => ({ ...g, list }));
  });
}

function scopeGaps(
  scrapes: readonly ScrapeRecord[],
  opts: GapOptions & { source: SourceName; edges: boolean; openEnds?: boolean; label?: string },
): Gap[] {
  const { start, end, source } = opts;
  const ok = [...new Set(scrapes.filter((s) => s.error === undefined).map((s) => s.time))].sort(
    (x, y) => x - y,
  );
  const errors = scrapes.filter((s) => s.error !== undefined).sort((x, y) => x.time - y.time);
  const holes: { from: Millis; to: Millis }[] = [];
  const open = opts.edges || opts.openEnds === true;
  const before = (t: Millis) => ok.filter((o) => o <= t).at(-1) ?? (open ? -Infinity : undefined);
  const after = (t: Millis) => ok.find((o) => o >= t) ?? (open ? Infinity : undefined);
  for (let i = 1; i < ok.length; i++) {
    const [p, n] = [ok[i - 1] as Millis, ok[i] as Millis];
    if (n - p > opts.maxBridgeMs) holes.push({ from: p, to: n });
  }
  if (opts.edges) {
    const first = ok[0];
    const last = ok.at(-1);
    if (first === undefined || first > start) holes.push({ from: -Infinity, to: first ?? Infinity });
    if (last !== undefined && last < end) holes.push({ from: last, to: Infinity });
  }
  for (const e of errors) {
    const from = before(e.time);
    const to = after(e.time);
    if (from !== undefined && to !== undefined) holes.push({ from, to });
  }
  const clipped = holes
    .map((h) => ({ from: Math.max(h.from, start), to: Math.min(h.to, end) }))
    .filter((h) => h.to > h.from)
    .sort((x, y) => x.from - y.from);
  const merged: { from: Millis; to: Millis }[] = [];
  for (const h of clipped) {
    const top = merged.at(-1);
    if (top !== undefined && h.from <= top.to) top.to = Math.max(top.to, h.to);
    else merged.push({ ...h });
  }
  const label = opts.label ?? LABEL[source];
  return merged.map((h) => ({ source, start: h.from, end: h.to, reason: reasonFor(label, h, errors) }));
}

function reasonFor(label: string, h: { from: Millis; to: Millis }, errors: readonly ScrapeRecord[]): string {
  const seen = [...new Set(errors.filter((e) => e.time >= h.from && e.time <= h.to).map((e) => e.error))];
  if (seen.length > 0) return `${label}: ${seen.slice(0, 3).join('; ')}`;
  return `${label}: no sample (collector not running, cluster unreachable, a round slower than 2.5 sample periods, or its clock jumped ahead)`;
}

/**
 * Share of [start, end) not covered by any gap, from 0 to 1. A refused list's gap is left out:
 * pods, CPU and memory were read across it, so the interval is partial, not empty.
 */
export function coverageOf(gaps: readonly Gap[], start: Millis, end: Millis): number {
  const spans = gaps
    .filter((g) => g.list === undefined)
    .map((g) => [g.start, g.end] as const)
    .sort((x, y) => x[0] - y[0]);
  let missing = 0;
  let reach = start;
  for (const [s, e] of spans) {
    const from = Math.max(s, reach);
    if (e > from) {
      missing += e - from;
      reach = e;
    }
  }
  return end > start ? 1 - missing / (end - start) : 1;
}
