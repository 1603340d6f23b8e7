/**
 * Whose account `/accounts/{owner}` means. A tenant's token means its tenant's, `tenant=` names
 * one; an admin of every tenant who names none means the one tenant the owner has an account in.
 * Falling back to `default` there read "no account" for an owner whose account is in another
 * tenant, and a top-up opened a second account in `default` that no usage ever debits: two
 * tenants' owners of one name are different people, so a name several tenants have, or an owner
 * not known yet while other tenants have clusters, must say whose.
 */
import { KubetallyError, invalidArgument } from '../domain/errors.js';
import type { AccountStore, ClusterRegistry } from '../ledger/store.js';
import { tenantScope, type Principal } from './auth.js';

export async function accountTenant(
  store: Pick<AccountStore, 'listAccounts'> & Pick<ClusterRegistry, 'listClusters'>,
  p: Principal,
  asked: string | undefined,
  owner: string,
): Promise<string> {
  const scoped = tenantScope(p, asked);
  if (scoped !== undefined) return scoped;
  const having = (await store.listAccounts()).filter((a) => a.owner === owner).map((a) => a.tenant);
  if (having.length === 1) return having[0]!;
  const say = (tenants: readonly string[]) =>
    `add ?tenant=<tenant> (${[...new Set(tenants)].sort().join(', ')})`;
  if (having.length > 1) {
    throw invalidArgument(`several tenants have an account named ${owner}: say whose`, say(having));
  }
  const clustered = (await store.listClusters(undefined, { removed: true })).map((c) => c.tenant);
  if (clustered.some((t) => t !== 'default')) {
    throw invalidArgument(`no tenant has an account named ${owner} yet: say whose to open`, say(clustered));
  }
  return 'default'; // a deployment of the default tenant only: as it always was
}

/**
 * As `accountTenant`, for a read: an owner no tenant has an account for is not a question of whose,
 * it is 404 "no account", as it is when a tenant is named. (Asking whose "to open" answered a GET.)
 */
export async function accountTenantToRead(
  store: Pick<AccountStore, 'listAccounts'> & Pick<ClusterRegistry, 'listClusters'>,
  p: Principal,
  asked: string | undefined,
  owner: string,
): Promise<string> {
  if (tenantScope(p, asked) === undefined && !(await store.listAccounts()).some((a) => a.owner === owner)) {
    throw new KubetallyError('NOT_FOUND', `no account for ${owner}`, {
      hint: 'an account is created by the first top-up or the first interval that costs the owner something',
    });
  }
  return accountTenant(store, p, asked, owner);
}
