/** A ledger gap as the API and CLI answer it: where a source told nothing, and why. */
import { rfc3339 } from '../domain/time.js';
import type { GapRecord } from '../ledger/types.js';

export interface GapJson {
  cluster: string;
  /** In answers over several tenants, whose cluster (two tenants may both have a `prod`). */
  tenant?: string;
  start: string;
  end: string;
  reason: string;
}

export const gapJson = (g: GapRecord): GapJson => ({
  cluster: g.cluster,
  start: rfc3339(g.start),
  end: rfc3339(g.end),
  reason: g.reason,
});

/** The gap with its cluster's tenant, for answers that hold several tenants' clusters. */
export const gapWithTenant = (g: GapRecord): GapJson => {
  const { cluster, ...rest } = gapJson(g);
  return { cluster, tenant: g.tenant, ...rest }; // the tenant beside the cluster it qualifies
};
