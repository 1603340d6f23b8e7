/**
 * What a `user` token is told when its cluster cannot be read live: the cluster and the kind of
 * failure, not the message. Messages name the API server's address, the RBAC rules kubetally
 * lacks and how its kubeconfig is kept, which are the tenant's admins' to read (POST
 * /clusters/{name}/test), as the reasons of gaps are (reads.ts, userGaps).
 */
import { isKubetallyError, KubetallyError } from '../domain/errors.js';
import type { Principal } from './auth.js';

export async function readLiveAs<T>(p: Principal, cluster: string, read: () => Promise<T>): Promise<T> {
  if (p.role !== 'user') return read();
  try {
    return await read();
  } catch (err) {
    if (!isKubetallyError(err)) throw err;
    throw new KubetallyError(err.code, `cluster ${cluster} could not be read live (${err.code})`, {
      hint: 'try again in a while; an admin of the tenant sees why',
      // Kept: it makes a failure of the cluster a 424 or 502, not the caller's 401/403 (errors.ts).
      ...(err.status === undefined ? {} : { status: err.status }),
    });
  }
}
