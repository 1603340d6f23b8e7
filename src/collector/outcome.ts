/**
 * What one collection round of one cluster did: the answer of `POST /clusters/{name}/collect`
 * and of `kubetally collect`.
 */
import type { RunStatus } from '../ledger/types.js';

export interface SourceOutcome {
  /** `inventory`, `metrics` or `summary`. */
  source: string;
  ok: boolean;
  /** Why the source failed, when it did; with `ok`, what it could not read (a refused optional list). */
  error?: string;
  /** The failure's error code (`UNAUTHORIZED`, `FORBIDDEN`, `UNREACHABLE`...), when known. */
  code?: string;
  /** What would fix the failure (a fresh kubeconfig, the RBAC rule to add...), when known. */
  hint?: string;
  /** Nodes scraped, for the Summary API. */
  nodes?: number;
}

export interface IntervalOutcome {
  start: string;
  end: string;
  status: RunStatus;
  coverage: number;
  /** False when another round (a retry, a replica, the cron endpoint) had already written it. */
  written: boolean;
}

export interface CollectOutcome {
  cluster: string;
  tenant: string;
  /** The cluster's time when the sample was taken (its API server's Date), RFC 3339. */
  clusterTime: string;
  /**
   * Set when the cluster told no time (it did not answer, or was not asked): `clusterTime` is
   * then this process's estimate, this machine's clock plus the offset last seen, if any.
   */
  clusterTimeEstimated?: true;
  sources: SourceOutcome[];
  /** Observation records stored by this round. */
  observations: number;
  /** Intervals this round closed (written now or found already written). */
  intervals: IntervalOutcome[];
  /** True when another replica holds this cluster's lease: nothing was sampled. */
  skipped?: boolean;
  /**
   * Set when the cluster's time is before the newest sample already stored (its clock went back):
   * the newest sample's time, RFC 3339. Nothing was stored; collection goes on by itself once the
   * cluster's time passes it.
   */
  clockBehind?: string;
}
