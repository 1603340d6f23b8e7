/**
 * The error of `POST /clusters/{name}/collect` when nothing could be read (the inventory failed),
 * named for the problem so that a cron job's log says what to fix: the cluster rejected
 * kubetally's credentials (`UNAUTHORIZED`: upload a fresh kubeconfig), refused a list
 * (`FORBIDDEN`: the RBAC rule to grant), answered with an error (`SERVER_ERROR` for its 5xx, and the
 * other codes of a cluster that answered), or did not answer (`UNREACHABLE`). Each carries the
 * status the cluster answered, so that statusOf (errors.ts) answers as for a cluster's refusal:
 * never the 401/403 of the caller's own token.
 */
import { ERROR_CODES, KubetallyError, type ErrorCode } from '../domain/errors.js';
import type { SourceOutcome } from '../collector/outcome.js';

/** What the cluster did, by the code of the inventory's failure. */
const ANSWERED: Partial<Record<ErrorCode, string>> = {
  SERVER_ERROR: 'answered with an error',
  MALFORMED_RESPONSE: 'answered what kubetally cannot read',
  RATE_LIMITED: 'throttled kubetally',
  EXPIRED: 'kept expiring its list',
  TIMEOUT: 'did not answer in time',
};

export function collectFailure(
  cluster: { name: string; tenant: string },
  inventory: SourceOutcome,
): KubetallyError {
  const error = inventory.error ?? 'the inventory failed';
  const path = `/api/v1/clusters/${cluster.name}`;
  const query = `?tenant=${cluster.tenant}`;
  const code = inventory.code;
  if (code === 'UNAUTHORIZED') {
    const fresh = inventory.hint ?? 'get a fresh kubeconfig';
    return new KubetallyError(
      code,
      `cluster ${cluster.name} refused kubetally's credentials (the kubeconfig stored for it): ${error}`,
      { status: 401, hint: `${fresh}; then upload it with PUT ${path}/kubeconfig${query}` },
    );
  }
  if (code === 'FORBIDDEN') {
    const grant = inventory.hint?.trimEnd() ?? "grant the kubeconfig's user the missing permission";
    return new KubetallyError(
      code,
      `cluster ${cluster.name} refused kubetally a permission the collector needs: ${error}`,
      {
        status: 403,
        hint: `${grant}\nthen POST ${path}/test${query} checks every permission the collector needs`,
      },
    );
  }
  const known = code !== undefined && (ERROR_CODES as readonly string[]).includes(code);
  // A server that answered (a 5xx, a reply it could not read, a throttle, a timeout) is told as
  // what it said, with its code and exit status, not as one that could not be reached.
  const answered = known && code !== 'UNREACHABLE' ? (code as ErrorCode) : undefined;
  const check = `${path}/test${query}`;
  if (answered !== undefined) {
    return new KubetallyError(
      answered,
      `cluster ${cluster.name} ${ANSWERED[answered] ?? 'failed'}: ${error}`,
      {
        // Marks the error as the cluster's: statusOf answers 502 (504 for a timeout), never the
        // 410 or 429 that would be about the caller's own request. The status it answered is in `error`.
        status: 502,
        hint: `${inventory.hint === undefined ? '' : `${inventory.hint}; `}POST ${check} checks the connection`,
      },
    );
  }
  return new KubetallyError('UNREACHABLE', `cluster ${cluster.name}: ${error}`, {
    hint: `${inventory.hint === undefined ? '' : `${inventory.hint}; `}check the connection with POST ${check}`,
  });
}
