/**
 * The usage answer of SPEC §5 (`GET /api/v1/usage`, `kubetally usage -o json`): rows with their
 * group keys, `start` unless step=total, usage in core-hours, GiB-hours, GPU-hours, GiB and hours,
 * efficiencies, and the gaps of the range. Exact integers are converted here, once.
 */
import type { Millis } from '../domain/duration.js';
import { rfc3339 } from '../domain/time.js';
import {
  BYTES_PER_GIB,
  CORE_NANOS_PER_HOUR,
  GIB_SECONDS_PER_GIB_HOUR,
  MILLIS_PER_HOUR,
  ledgerRatio,
} from '../domain/usage.js';
import type { ClusterRegistry, UsageReader } from '../ledger/store.js';
import type { GroupKey, Step, UsageQuery, UsageRow } from '../ledger/types.js';
import { gapJson, gapWithTenant, type GapJson } from './gap-json.js';
import { csvCell } from './query-params.js';
import { keysApart, spansTenants } from './tenant-keys.js';

/** The ledger's query by cluster name (the ledger resolves it within the tenant). */
export type UsageViewQuery = Omit<UsageQuery, 'clusterId'>;

export interface UsageRowJson {
  [key: string]: string | number | null | undefined;
  start?: string;
  cpuCoreHours: number;
  cpuRequestCoreHours: number;
  memoryGiBHours: number;
  memoryRequestGiBHours: number;
  gpuHours: number;
  storageGiBHours: number;
  /** Received + sent. */
  networkGiB: number;
  podHours: number;
  loadBalancerHours: number;
  /** Used / requested; null when nothing was requested. */
  cpuEfficiency: number | null;
  memoryEfficiency: number | null;
}

export interface UsageView {
  from: string;
  to: string;
  groupBy: GroupKey[];
  step: Step;
  rows: UsageRowJson[];
  gaps: GapJson[];
}

/** `__idle__` rows only carry costs (node cost no pod took): no usage to show. */
const costOnly = (r: UsageRow) => Object.values(r.group).includes('__idle__');

export function usageRowJson(r: UsageRow): UsageRowJson {
  const u = r.usage;
  const eff = (used: bigint, requested: bigint) => (requested === 0n ? null : ledgerRatio(used, requested));
  return {
    ...r.group,
    ...(r.start === undefined ? {} : { start: rfc3339(r.start) }),
    cpuCoreHours: ledgerRatio(u.cpuCoreNanos, CORE_NANOS_PER_HOUR),
    cpuRequestCoreHours: ledgerRatio(u.cpuRequestCoreNanos, CORE_NANOS_PER_HOUR),
    memoryGiBHours: ledgerRatio(u.memoryByteSeconds, GIB_SECONDS_PER_GIB_HOUR),
    memoryRequestGiBHours: ledgerRatio(u.memoryRequestByteSeconds, GIB_SECONDS_PER_GIB_HOUR),
    gpuHours: ledgerRatio(u.gpuMillis, MILLIS_PER_HOUR),
    storageGiBHours: ledgerRatio(u.storageByteSeconds, GIB_SECONDS_PER_GIB_HOUR),
    networkGiB: ledgerRatio(u.networkRxBytes + u.networkTxBytes, BYTES_PER_GIB),
    podHours: ledgerRatio(u.podMillis, MILLIS_PER_HOUR),
    loadBalancerHours: ledgerRatio(u.loadBalancerMillis, MILLIS_PER_HOUR),
    cpuEfficiency: eff(u.cpuCoreNanos, u.cpuRequestCoreNanos),
    memoryEfficiency: eff(u.memoryByteSeconds, u.memoryRequestByteSeconds),
  };
}

/**
 * The most rows a usage or cost answer holds: it is built whole in memory (and kept a while by the
 * API's read cache), so a year by interval and namespace, millions of rows, is refused with how
 * to ask for less, rather than taking the service's memory from every tenant.
 */
export const MAX_ANSWER_ROWS = 200_000;

/** What usage answers read: the ledger, and the clusters' tenants (see tenant-keys.ts). */
export type UsageViewStore = UsageReader & Pick<ClusterRegistry, 'listClusters'>;

export async function usageView(store: UsageViewStore, q: UsageViewQuery): Promise<UsageView> {
  const several = await spansTenants(store, q);
  const groupBy = keysApart(q.groupBy, several);
  const scope = {
    ...(q.tenant === undefined ? {} : { tenant: q.tenant }),
    ...(q.cluster === undefined ? {} : { cluster: q.cluster }),
    from: q.from,
    to: q.to,
  };
  const [rows, gaps] = await Promise.all([
    store.queryUsage({
      ...scope,
      ...(q.owner === undefined ? {} : { owner: q.owner }),
      ...(q.project === undefined ? {} : { project: q.project }),
      ...(q.namespace === undefined ? {} : { namespace: q.namespace }),
      groupBy,
      step: q.step,
      maxRows: MAX_ANSWER_ROWS,
    }),
    store.listGaps(scope),
  ]);
  return {
    from: rfc3339(q.from),
    to: rfc3339(q.to),
    groupBy,
    step: q.step,
    rows: rows.filter((r) => !costOnly(r)).map(usageRowJson),
    gaps: gaps.map(several ? gapWithTenant : gapJson),
  };
}

/**
 * `GET /api/v1/users/{owner}/usage`: one owner's usage over [from, to), one row per project (an
 * owner's bill is read by project), totals over the range, with the range's gaps.
 */
export function userUsage(
  store: UsageViewStore,
  owner: string,
  range: { from: Millis; to: Millis; tenant?: string; cluster?: string },
): Promise<UsageView> {
  return usageView(store, { ...range, owner, groupBy: ['owner', 'project'], step: 'total' });
}

/**
 * The usage answer as CSV (`format=csv`, `kubetally usage -o csv`): the group keys, `start` unless
 * step=total, then the usage columns in the order of the JSON rows. Gaps are not in the CSV; the
 * JSON form carries them.
 */
export function usageCsv(view: {
  rows: readonly Record<string, unknown>[];
  groupBy: readonly GroupKey[];
  step: Step;
}): string {
  const columns = [...view.groupBy, ...(view.step === 'total' ? [] : ['start']), ...USAGE_COLUMNS];
  const lines = [columns, ...view.rows.map((r) => columns.map((c) => r[c]))].map((r) =>
    r.map(csvCell).join(','),
  );
  return `${lines.join('\n')}\n`;
}

const USAGE_COLUMNS = [
  'cpuCoreHours',
  'cpuRequestCoreHours',
  'memoryGiBHours',
  'memoryRequestGiBHours',
  'gpuHours',
  'storageGiBHours',
  'networkGiB',
  'podHours',
  'loadBalancerHours',
  'cpuEfficiency',
  'memoryEfficiency',
] as const;
