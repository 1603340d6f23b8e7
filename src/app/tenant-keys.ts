/**
 * Usage and cost answers that span several tenants keep them apart. Clusters, owners, projects
 * and namespaces are named within a tenant: two tenants' `alice` are two people and their `prod`
 * two clusters, so an answer grouped by such a name carries the tenant as a group key too (and
 * its gaps say whose cluster), else their rows would be added together or look alike.
 */
import type { ClusterRegistry } from '../ledger/store.js';
import type { GroupKey } from '../ledger/types.js';

const NAMED_IN_A_TENANT: readonly GroupKey[] = ['cluster', 'owner', 'project', 'namespace'];

/**
 * Whether the answer may hold several tenants' rows: no tenant and no cluster narrows it (a named
 * cluster is one tenant's; the edges refuse a name that several tenants have), and clusters of
 * more than one tenant were registered (removed ones too: their history stays readable).
 */
export async function spansTenants(
  store: Pick<ClusterRegistry, 'listClusters'>,
  scope: { tenant?: string | undefined; cluster?: string | undefined },
): Promise<boolean> {
  if (scope.tenant !== undefined || scope.cluster !== undefined) return false;
  const clusters = await store.listClusters(undefined, { removed: true });
  return new Set(clusters.map((c) => c.tenant)).size > 1;
}

/** The group keys of an answer: `tenant` first when it spans tenants and groups by a tenant's name. */
export function keysApart(groupBy: readonly GroupKey[], several: boolean): GroupKey[] {
  const named = groupBy.some((k) => NAMED_IN_A_TENANT.includes(k));
  if (!several || !named || groupBy.includes('tenant')) return [...groupBy];
  return ['tenant', ...groupBy];
}
