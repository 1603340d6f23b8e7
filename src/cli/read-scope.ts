/**
 * The tenant and cluster a ledger read names (`usage`, `costs`, `cluster list`), checked as the
 * API checks them: a name that matches nothing is an error naming the known ones (an empty table
 * would read as "no usage"), and a cluster name that several tenants have must say whose (their
 * rows would be added together). The CLI is an admin's: it may name every tenant.
 */
import { KubetallyError, invalidArgument } from '../domain/errors.js';
import type { ClusterRegistry } from '../ledger/store.js';

export async function checkReadScope(
  store: Pick<ClusterRegistry, 'listTenants' | 'listClusters'>,
  scope: { tenant?: string | undefined; cluster?: string | undefined },
): Promise<void> {
  const { tenant, cluster } = scope;
  if (tenant !== undefined) {
    const tenants = (await store.listTenants()).sort();
    if (!tenants.includes(tenant)) {
      throw new KubetallyError('NOT_FOUND', `no tenant named ${tenant}`, {
        hint:
          tenants.length === 0
            ? 'there is none yet: kubetally cluster add NAME --tenant T creates one'
            : `the tenants are ${tenants.join(', ')}`,
      });
    }
  }
  if (cluster === undefined) return;
  const known = await store.listClusters(tenant, { removed: true }); // a removed cluster's history stays
  const whose = [...new Set(known.filter((c) => c.name === cluster).map((c) => c.tenant))].sort();
  if (whose.length === 0) {
    const names = [...new Set(known.map((c) => c.name))].sort();
    throw new KubetallyError(
      'NOT_FOUND',
      `no cluster named ${cluster}${tenant === undefined ? '' : ` in tenant ${tenant}`}`,
      {
        hint: `kubetally cluster list shows the registered clusters${names.length > 0 ? ` (${names.join(', ')})` : ''}`,
      },
    );
  }
  if (whose.length > 1) {
    throw invalidArgument(
      `several tenants have a cluster named ${cluster}: say whose`,
      `add --tenant with one of ${whose.join(', ')}`,
    );
  }
}

/** The names a ledger command may filter by. */
const FILTERS = ['tenant', 'cluster', 'owner', 'project'] as const;

/**
 * A blank filter (`--owner ''`, an unset shell variable) is refused, as the API refuses an empty
 * `owner=`: it would match nothing, and an empty table would read as "no usage".
 */
export function checkNotBlank(opts: { [K in (typeof FILTERS)[number]]?: string | undefined }): void {
  for (const key of FILTERS) {
    const value = opts[key];
    if (value !== undefined && value.trim() === '') {
      throw invalidArgument(`--${key} is empty`, `name one ${key}, or leave --${key} out for every ${key}`);
    }
  }
}
