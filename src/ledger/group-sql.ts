/** The GROUP BY of the usage and cost queries, over their union of rollup pieces aliased `u`. */
import type { GroupKey, Step } from './types.js';

const GROUP_COLUMN: Record<Exclude<GroupKey, 'cluster'>, string> = {
  tenant: 'tenant',
  owner: 'owner',
  project: 'project',
  namespace: 'namespace',
  computeType: 'compute_type',
};

export interface GroupSql {
  /** The select list of the keys, each aliased as its group key, and `start_ms` with a step. */
  keys: string[];
  /** The GROUP BY expressions, the bucket first. */
  groups: string[];
  /** The ORDER BY expressions: as `groups`, clusters in the order they were first registered. */
  order: string[];
  /** The join that names clusters, or '' when the answer is not grouped by cluster. */
  join: string;
  /** Whether rows carry a bucket start (`start_ms`). */
  bucketed: boolean;
}

/**
 * A cluster is grouped by its tenant and name, not by its id: a cluster removed and registered
 * again under its name is a new id, and `--cluster NAME` already sums both, so grouping by id
 * would print two rows of one name that no column tells apart.
 */
export function groupSql(groupBy: readonly GroupKey[], step: Step): GroupSql {
  const keys = groupBy.map((k) => (k === 'cluster' ? 'c.name AS cluster' : `u.${GROUP_COLUMN[k]} AS "${k}"`));
  const groups = groupBy.flatMap((k) =>
    k === 'cluster' ? ['c.tenant', 'c.name'] : [`u.${GROUP_COLUMN[k]}`],
  );
  const order = groupBy.map((k) => (k === 'cluster' ? 'MIN(u.cluster_id)' : `u.${GROUP_COLUMN[k]}`));
  const bucket = bucketSql(step);
  if (bucket !== undefined) {
    keys.push(`(EXTRACT(EPOCH FROM ${bucket}) * 1000)::float8 AS start_ms`);
    groups.unshift(bucket);
    order.unshift(bucket);
  }
  const join = groupBy.includes('cluster') ? 'JOIN clusters c ON c.id = u.cluster_id' : '';
  return { keys, groups, order, join, bucketed: bucket !== undefined };
}

function bucketSql(step: Step): string | undefined {
  if (step === 'interval') return 'u.t';
  if (step === 'hour') return `date_trunc('hour', u.t AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
  if (step === 'day') return `date_trunc('day', u.t AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
  return undefined;
}
