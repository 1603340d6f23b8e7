/**
 * The error of `POST /clusters/{name}/collect` when nothing could be read (the inventory failed),
 * named for the problem so that a cron job's log says what to fix: the cluster rejected the
 * credentials (`UNAUTHORIZED`: upload a fresh kubeconfig), refused the list (`FORBIDDEN`: the
 * RBAC rule to grant), or did not answer (`UNREACHABLE`). The status stays 502: the caller's own
 * token was accepted, it is the cluster that refused kubetally.
 */
import { KubetallyError } from '../domain/errors.js';
import type { SourceOutcome } from '../collector/outcome.js';

export function collectFailure(
  cluster: { name: string; tenant: string },
  inventory: SourceOutcome,
): KubetallyError {
  const error = inventory.error ?? 'the inventory failed';
  const message = `cluster ${cluster.name}: ${error}`;
  const path = `/api/v1/clusters/${cluster.name}`;
  const query = `?tenant=${cluster.tenant}`;
  const code = inventory.code;
  if (code === 'UNAUTHORIZED') {
    const fresh = inventory.hint ?? 'get a fresh kubeconfig';
    return new KubetallyError(code, message, {
      status: 401,
      hint: `${fresh}; then upload it with PUT ${path}/kubeconfig${query}`,
    });
  }
  if (code === 'FORBIDDEN') {
    return new KubetallyError(code, message, {
      status: 403,
      hint: `${inventory.hint ?? "grant the kubeconfig's user the missing permission"} (POST ${path}/test${query} checks every permission the collector needs)`,
    });
  }
  return new KubetallyError('UNREACHABLE', message, {
    hint: `${inventory.hint === undefined ? '' : `${inventory.hint}; `}check the connection with POST ${path}/test${query}`,
  });
}
