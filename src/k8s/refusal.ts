/**
 * A reply the API server refused a request with, as the error that names the problem and the fix:
 * a 401 says what the kubeconfig tells of why (a client certificate sent without its key, no
 * credentials at all, a credential plugin's token, a credential that expired) rather than only
 * "invalid or expired: get a fresh kubeconfig". Requests and watches both answer with it.
 */
import type { RequestOptions } from 'node:https';
import type { KubetallyError } from '../domain/errors.js';
import { credentialProblem, noCredentials, pluginRefused } from './credential-checks.js';
import { expiredCredential } from './expired-credentials.js';
import { isInCluster, serviceAccountRefused } from './in-cluster.js';
import { errorFromStatus } from './k8s-errors.js';
import type { KubeConfig } from './official-client.js';
import { statusText } from './protobuf/codec.js';

export interface RefusedReply {
  status: number;
  body: Buffer;
  contentType: string;
  /** The API path refused, without its query (`apiPath`). */
  path: string;
  /** The API server's `Date` (epoch ms; NaN or undefined when it sent none): when a credential is judged expired. */
  date: number | undefined;
}

/** The error a refused reply (any status not 2xx) stands for. */
export function refusalError(kc: KubeConfig, opts: RequestOptions, reply: RefusedReply): KubetallyError {
  const { status, date } = reply;
  const own =
    status === 401 ? (credentialProblem(opts) ?? noCredentials(kc, opts) ?? pluginRefused(kc)) : undefined;
  if (own !== undefined) return own;
  const expired =
    status === 401
      ? expiredCredential(opts, date !== undefined && Number.isFinite(date) ? date : Date.now())
      : undefined;
  if (status === 401 && expired === undefined && isInCluster(kc)) return serviceAccountRefused();
  return errorFromStatus(status, statusText(reply.body, reply.contentType), reply.path, expired);
}
