/**
 * The error of `POST /clusters/{name}/collect` when nothing could be read (the inventory failed),
 * named for the problem so that a cron job's log says what to fix: the cluster rejected
 * kubetally's credentials (`UNAUTHORIZED`: upload a fresh kubeconfig), refused a list
 * (`FORBIDDEN`: the RBAC rule to grant), or did not answer (`UNREACHABLE`). Each carries the
 * status the cluster answered, so that statusOf (errors.ts) answers as for a cluster's refusal:
 * never the 401/403 of the caller's own token.
 */
import { KubetallyError } from '../domain/errors.js';
import type { SourceOutcome } from '../collector/outcome.js';

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
  return new KubetallyError('UNREACHABLE', `cluster ${cluster.name}: ${error}`, {
    hint: `${inventory.hint === undefined ? '' : `${inventory.hint}; `}check the connection with POST ${path}/test${query}`,
  });
}
