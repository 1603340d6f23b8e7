/**
 * Closes the intervals whose end the cluster's time has passed: reads the raw observations around
 * each, integrates them (metering), attributes the rows (attribution) and writes each interval once
 * (the ledger prices it in the same transaction). An interval closes when every expected source has a
 * successful sample at or after its end, or when the cluster's time is past its end by the bridge
 * allowance (the tail is then a gap, never a guess). Intervals close in order, so a collector that
 * was down for hours writes the missed ones as gaps when it comes back.
 */
import type { Millis } from '../domain/duration.js';
import { rfc3339, alignDown } from '../domain/time.js';
import { attributePod, type CompiledRules } from '../attribution/index.js';
import {
  BRIDGE_PERIODS,
  integrateInterval,
  observationWindow,
  type UsageRow,
} from '../metering/integrate-interval.js';
import { nodeRows } from '../metering/nodes.js';
import {
  emptyBatch,
  type InventorySnapshot,
  type ObservationBatch,
  type SourceName,
  scrapeErrors,
} from '../metering/observations.js';
import type { CollectionLedger } from '../ledger/store.js';
import type { ClusterRecord, IntervalWrite, PodUsageRow, RunStatus, StoredSample } from '../ledger/types.js';
import type { IntervalOutcome } from './outcome.js';
import { expectedSources } from './sample.js';
import type { CollectionSettings } from './settings.js';
import {
  DELTA_KIND,
  FULL_KIND,
  decodeInventories,
  reviveInventoryRecord,
  type InventoryRecord,
} from './inventory-delta.js';
import { parseKind } from './shards.js';
import { attributeServedLoadBalancers } from './served-load-balancers.js';
import { READING_SERIES, storedReadings } from './reading-columns.js';

export interface CloseContext {
  store: CollectionLedger;
  cluster: ClusterRecord;
  settings: CollectionSettings;
  rules: CompiledRules;
  /** Called once before the first interval is integrated: what the caller can free meanwhile. */
  beforeClosing?: () => void;
}

export async function closeDueIntervals(ctx: CloseContext, clusterNow: Millis): Promise<IntervalOutcome[]> {
  const { store, cluster, settings } = ctx;
  const step = settings.interval;
  const last = await store.lastClosedInterval(cluster.id);
  let start: Millis;
  /** The first sample ever, when the first interval is to close: time before it is not an outage. */
  let began: Millis | undefined;
  if (last !== undefined) start = last.intervalEnd;
  else {
    began = await store.firstObservationTime(cluster.id);
    if (began === undefined) return [];
    start = alignDown(began, step);
  }
  const out: IntervalOutcome[] = [];
  const expected = expectedSources(settings);
  // Each interval ends on the clock's next multiple of the length, so that a length changed
  // between intervals (15m to 20m) first closes the stretch up to its grid ([02:15, 02:20)) and
  // no interval crosses an hour boundary, which the ledger's rollups need.
  for (let end = alignDown(start, step) + step; end <= clusterNow; start = end, end += step) {
    const window = observationWindow(start, end, settings.sampleEvery);
    const scrapes = assemble(await store.readObservations(cluster.id, window.from, window.to, ['scrapes']));
    const settled = clusterNow >= end + BRIDGE_PERIODS * settings.sampleEvery;
    if (!settled && !expected.every((s) => hasSuccessSince(scrapes, s, end))) break;
    // Across a gap longer than the window (the collector was down, the cluster unreachable), the
    // first inventory after it still tells which runs went on through it, and counters their deltas.
    const next = await store.nextInventoryTime(cluster.id, end);
    const to = next !== undefined && next >= window.to ? next + 1 : window.to;
    const at = { start, end, from: window.from, to };
    if (out.length === 0) ctx.beforeClosing?.();
    const write = await integrateShards(ctx, at, expected, scrapes.scrapes);
    const firstSample = began;
    if (firstSample !== undefined) {
      // One gap for the time before, however many sources it covered.
      const gaps = new Map(
        write.gaps
          .map((g) => beforeCollection(g, firstSample))
          .map((g) => [`${g.start} ${g.end} ${g.reason}`, g]),
      );
      write.gaps = [...gaps.values()];
      if (firstSample > start && firstSample < end) write.managedFrom = firstSample;
    }
    const { written } = await store.writeInterval(write);
    out.push({
      start: rfc3339(start),
      end: rfc3339(end),
      status: write.status,
      coverage: write.coverage,
      written,
    });
  }
  return out;
}

/**
 * Integrates an interval one shard at a time (collector/shards.ts), so that only one shard's
 * samples are in memory, and joins the rows. Records cut in different shard counts are read whole.
 */
async function integrateShards(
  ctx: CloseContext,
  at: { start: Millis; end: Millis; from: Millis; to: Millis },
  expected: SourceName[],
  scrapes: ObservationBatch['scrapes'],
): Promise<IntervalWrite> {
  const { store, cluster } = ctx;
  const kinds = (await store.observationKinds(cluster.id, at.from - ctx.settings.interval, at.to))
    .filter((k) => k !== 'scrapes')
    .map((k) => ({ kind: k, ...parseKind(k) }));
  const counts = new Set(kinds.map((k) => k.of));
  const groups =
    counts.size <= 1
      ? [...new Set(kinds.map((k) => k.shard))].map((shard) => kinds.filter((k) => k.shard === shard))
      : [kinds];
  let write: IntervalWrite | undefined;
  for (const group of groups.length > 0 ? groups : [[]]) {
    // Inventories are deltas on the last full one of their shard: read from the oldest needed.
    let from = at.from;
    for (const k of group.filter((g) => g.base === FULL_KIND)) {
      const full = await store.latestObservationTime(cluster.id, k.kind, at.from);
      if (full !== undefined) from = Math.min(from, full);
    }
    // The scrapes were read once for the whole interval; each shard reads only its own records.
    const stored =
      group.length === 0
        ? []
        : await store.readObservations(
            cluster.id,
            from,
            at.to,
            group.map((g) => g.kind),
          );
    const kept = stored.filter((s) => s.time >= at.from || isInventory(s.kind));
    // Counters reach back to their last reading before the window however old (the source or the
    // collector was down): read on both sides of a gap, they still tell what was used across it.
    let observedFrom = at.from;
    for (const k of group.filter((g) => g.base === 'summary')) {
      const last = await store.latestObservationTime(cluster.id, k.kind, at.start);
      if (last === undefined || last >= at.from) continue;
      kept.unshift(...(await store.readObservations(cluster.id, last, last + 1, [k.kind])));
      observedFrom = Math.min(observedFrom, last);
    }
    const batch = assemble(kept);
    batch.scrapes = scrapes;
    const part = buildWrite(ctx, batch, { ...at, from: observedFrom }, expected);
    if (write === undefined) write = part;
    else {
      // One by one: a shard of a large cluster has more rows than a call takes arguments.
      for (const row of part.podRows) write.podRows.push(row);
      for (const node of part.nodes ?? []) write.nodes!.push(node);
    }
  }
  // Nodes are stored with one shard's inventory: the other shards' pods learn their node's
  // capacity type (spot or on-demand) from the joined node rows.
  const capacityOf = new Map((write!.nodes ?? []).map((n) => [n.node, n.capacityType]));
  for (const row of write!.podRows) {
    const type = row.node === undefined ? undefined : capacityOf.get(row.node);
    if (type !== undefined) row.capacityType = type;
  }
  return write!;
}

/**
 * A gap of the cluster's first interval that ends at or before its first sample is the time before
 * collection began (a cluster registered mid-interval), not a failure: it says so.
 */
function beforeCollection(g: IntervalWrite['gaps'][number], began: Millis): IntervalWrite['gaps'][number] {
  return g.end <= began + 1_000 ? { ...g, reason: `before collection began (${rfc3339(began)})` } : g;
}

const isInventory = (kind: string) => {
  const base = parseKind(kind).base;
  return base === FULL_KIND || base === DELTA_KIND;
};

function hasSuccessSince(batch: ObservationBatch, source: SourceName, t: Millis): boolean {
  return batch.scrapes.some((s) => s.source === source && s.error === undefined && s.time >= t);
}

/**
 * Stored records back into one observation batch. Inventory records are decoded per shard (each
 * shard is its own sequence of full and delta records) and the shards of one time joined.
 */
export function assemble(stored: readonly StoredSample[]): ObservationBatch {
  const batch = emptyBatch();
  const sequences = new Map<string, { kind: string; time: Millis; record: InventoryRecord }[]>();
  for (const s of stored) {
    const { base } = parseKind(s.kind);
    if (base === 'metrics' || base === 'summary') {
      const r = storedReadings(s.payload);
      for (const key of READING_SERIES) {
        const rows = r[key];
        if (rows !== undefined) for (const x of rows) (batch[key] as unknown[]).push(x);
      }
      continue;
    }
    switch (base) {
      case 'scrapes':
        batch.scrapes.push(...(s.payload as ObservationBatch['scrapes']));
        break;
      case FULL_KIND:
      case DELTA_KIND: {
        const key = s.kind.slice(base.length);
        const seq = sequences.get(key) ?? [];
        seq.push({ kind: base, time: s.time, record: reviveInventoryRecord(s.payload) });
        sequences.set(key, seq);
        break;
      }
      default:
        break; // a kind written by a newer version: ignored, not fatal
    }
  }
  const byTime = new Map<Millis, InventorySnapshot>();
  for (const seq of sequences.values()) {
    for (const snap of decodeInventories(seq)) {
      const joined = byTime.get(snap.time);
      if (joined === undefined) byTime.set(snap.time, snap);
      else {
        joined.pods = [...joined.pods, ...snap.pods];
        joined.claims = [...joined.claims, ...snap.claims];
        joined.loadBalancers = [...joined.loadBalancers, ...snap.loadBalancers];
        joined.nodes = [...(joined.nodes ?? []), ...(snap.nodes ?? [])];
      }
    }
  }
  batch.inventories.push(...[...byTime.values()].sort((x, y) => x.time - y.time));
  return batch;
}

function buildWrite(
  ctx: CloseContext,
  batch: ObservationBatch,
  at: { start: Millis; end: Millis; from: Millis },
  expected: SourceName[],
): IntervalWrite {
  const usage = integrateInterval({
    start: at.start,
    end: at.end,
    samplePeriodMs: ctx.settings.sampleEvery,
    observedFrom: at.from,
    expectedSources: expected,
    observations: batch,
  });
  const latest = [...batch.inventories].sort((x, y) => x.time - y.time);
  const capacityOf = new Map<string, string>();
  const classOf = new Map<string, { storageClass: string; capacityBytes: bigint }>();
  for (const inv of latest) {
    for (const n of inv.nodes ?? []) capacityOf.set(n.name, n.capacityType);
    for (const c of inv.claims) {
      classOf.set(`${c.namespace}/${c.name}`, {
        storageClass: c.storageClass ?? '',
        capacityBytes: c.capacityBytes,
      });
    }
  }
  const podRows = usage.rows.map((r) => toPodRow(r, ctx.rules, capacityOf, classOf));
  attributeServedLoadBalancers(usage.rows, podRows, ctx.rules);
  const errors = new Map<string, number>();
  for (const s of batch.scrapes) {
    if (s.time < at.start || s.time >= at.end) continue;
    for (const error of scrapeErrors(s)) {
      const key = `${s.source}: ${error}`;
      errors.set(key, (errors.get(key) ?? 0) + 1);
    }
  }
  // A refused list's gap leaves the coverage whole but the interval still lacks its part.
  const status: RunStatus =
    usage.coverage >= 1 && usage.gaps.length === 0 ? 'complete' : usage.coverage <= 0 ? 'gap' : 'partial';
  return {
    clusterId: ctx.cluster.id,
    intervalStart: at.start,
    intervalEnd: at.end,
    status,
    coverage: usage.coverage,
    sampleCount: new Set(
      batch.inventories.filter((i) => i.time >= at.start && i.time < at.end).map((i) => i.time),
    ).size,
    podRows,
    nodes: nodeRows(
      batch.inventories,
      { a: at.start, b: at.end },
      { maxBridgeMs: Math.round(BRIDGE_PERIODS * ctx.settings.sampleEvery) },
    ),
    gaps: usage.gaps.map((g) => ({
      start: g.start,
      end: g.end,
      reason: g.node === undefined ? g.reason : `${g.reason} (node ${g.node})`,
    })),
    errors: [...errors].map(([message, count]) => ({ message, count })),
  };
}

function toPodRow(
  r: UsageRow,
  rules: CompiledRules,
  capacityOf: ReadonlyMap<string, string>,
  classOf: ReadonlyMap<string, { storageClass: string; capacityBytes: bigint }>,
): PodUsageRow {
  if (r.pod !== undefined) {
    const p = r.pod;
    const who = attributePod(p, rules);
    // Named one by one: a spread inside the literal takes V8's slow path, once per pod.
    const row: PodUsageRow = {
      podUid: p.uid,
      namespace: p.namespace,
      podName: p.name,
      owner: who.owner,
      project: who.project,
      projectId: who.projectId,
      computeType: who.computeType,
      node: p.node,
      capacityType: capacityOf.get(p.node) ?? 'on-demand',
      usage: r.usage,
    };
    if (p.workload !== undefined) {
      row.workloadKind = p.workload.kind;
      row.workloadName = p.workload.name;
    }
    if (r.held !== undefined) row.held = r.held;
    const byClass = storageByClass(p.namespace, p.claims, r.usage.storageByteSeconds, classOf);
    if (byClass !== undefined) row.storageByClass = byClass;
    return row;
  }
  // Storage no pod mounted, and LoadBalancers: their own labels, then the namespace's rules.
  const name = r.claim ?? r.loadBalancer ?? '';
  const who = attributePod({ namespace: r.namespace, name: '', labels: r.labels ?? {} }, rules);
  const row: PodUsageRow = {
    podUid: r.claim !== undefined ? `pvc:${r.namespace}/${name}` : `svc:${r.namespace}/${name}`,
    namespace: r.namespace,
    podName: name,
    ...who,
    usage: r.usage,
  };
  if (r.claim !== undefined)
    row.storageByClass = {
      [classOf.get(`${r.namespace}/${name}`)?.storageClass ?? '']: r.usage.storageByteSeconds,
    };
  return row;
}

/**
 * A pod's storage by the class of the claims it mounts. With claims of several classes the
 * amount is split in proportion to the claims' capacities (the integration does not keep the
 * per-claim amounts), the rest to the largest class so that the parts add up exactly.
 */
function storageByClass(
  namespace: string,
  claims: readonly string[],
  byteSeconds: bigint,
  classOf: ReadonlyMap<string, { storageClass: string; capacityBytes: bigint }>,
): Record<string, bigint> | undefined {
  if (byteSeconds === 0n || claims.length === 0) return undefined;
  const weights = new Map<string, bigint>();
  for (const c of claims) {
    const info = classOf.get(`${namespace}/${c}`);
    if (info !== undefined)
      weights.set(info.storageClass, (weights.get(info.storageClass) ?? 0n) + info.capacityBytes);
  }
  const total = [...weights.values()].reduce((a, b) => a + b, 0n);
  if (total === 0n) return undefined;
  const out: Record<string, bigint> = {};
  let given = 0n;
  const sorted = [...weights].sort((a, b) => (a[1] === b[1] ? 0 : a[1] > b[1] ? -1 : 1));
  for (const [cls, w] of sorted.slice(1)) {
    out[cls] = (byteSeconds * w) / total;
    given += out[cls];
  }
  out[sorted[0]![0]] = byteSeconds - given;
  return out;
}
