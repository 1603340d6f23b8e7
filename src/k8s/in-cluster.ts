/**
 * The pod's own service account (in-cluster), with its token read as client-go reads it. The
 * official client reads the token file through its `tokenFile` auth provider, which sends the
 * file's bytes as they are (a token file ending in a line break made every request fail as "its
 * token has a character an HTTP header cannot carry"), and a 401 then blamed a "credential plugin
 * (auth-provider: tokenFile)" to sign in with again. Here the token is trimmed, read again every
 * minute (kubelet rotates projected tokens), and a refusal speaks of the service account.
 */
import { readFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { KubetallyError } from '../domain/errors.js';
import type { KubeConfig } from './official-client.js';

export const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
const PROVIDER = 'kubetally-service-account';
/** As client-go's cached file token source. */
const REREAD_MS = 60_000;

type CurrentUser = ReturnType<KubeConfig['getCurrentUser']>;

function serviceAccountToken(file: string) {
  let token = '';
  let readAt = -Infinity;
  return {
    isAuthProvider: (user: CurrentUser) =>
      (user?.authProvider as { name?: unknown } | undefined)?.name === PROVIDER,
    async applyAuthentication(_user: CurrentUser, opts: RequestOptions): Promise<void> {
      if (Date.now() - readAt >= REREAD_MS) {
        token = readFileSync(file, 'utf8').trim();
        readAt = Date.now();
      }
      opts.headers = { ...opts.headers, Authorization: `Bearer ${token}` };
    },
  };
}

/** Loads the in-cluster configuration into `kc` (KUBERNETES_SERVICE_HOST/PORT, CA, token). */
export function loadInCluster(kc: KubeConfig): void {
  kc.loadFromCluster();
  kc.addAuthenticator(serviceAccountToken(`${SERVICE_ACCOUNT}/token`) as never);
  kc.loadFromOptions({
    clusters: kc.clusters,
    users: kc.users.map((u) => ({ ...u, authProvider: { name: PROVIDER, config: {} } })),
    contexts: kc.contexts,
    currentContext: kc.currentContext,
  });
}

export function isInCluster(kc: KubeConfig): boolean {
  return (kc.getCurrentUser()?.authProvider as { name?: unknown } | undefined)?.name === PROVIDER;
}

/** A 401 to the pod's service account token: what to check is the account, not a kubeconfig. */
export function serviceAccountRefused(): KubetallyError {
  return new KubetallyError(
    'UNAUTHORIZED',
    `the cluster rejected the pod's service account token (${SERVICE_ACCOUNT}/token) (401 Unauthorized)`,
    {
      status: 401,
      hint: 'check that the pod runs as an existing service account with a mounted token (automountServiceAccountToken), and that kubetally runs in the cluster it collects',
    },
  );
}
