/**
 * `Status` error bodies exactly as the Kubernetes API server writes them
 * (apimachinery `pkg/api/errors`, apiserver `responsewriters`). kubectl prints
 * `Error from server (<reason>): <message>` from these.
 */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: { continue?: string };
  status: 'Failure';
  message: string;
  reason: string;
  details?: Record<string, unknown>;
  code: number;
}

export function status(
  code: number,
  reason: string,
  message: string,
  details?: Record<string, unknown>,
): Status {
  const head = {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
  } as const;
  // The real server writes `details` before `code`.
  return details === undefined ? { ...head, code } : { ...head, details, code };
}

/** A named object that does not exist: `pods "x" not found`. `resource` may carry a group (`podmetrics.metrics.k8s.io`). */
export function notFound(resource: string, name: string): Status {
  const dot = resource.indexOf('.');
  const kind = dot < 0 ? resource : resource.slice(0, dot);
  const details: Record<string, unknown> =
    dot < 0 ? { name, kind } : { name, group: resource.slice(dot + 1), kind };
  return status(404, 'NotFound', `${resource} "${name}" not found`, details);
}

/** A path the server does not serve. */
export function unknownPath(): Status {
  return status(404, 'NotFound', 'the server could not find the requested resource', {});
}

export function badRequest(message: string): Status {
  return status(400, 'BadRequest', message);
}

export function unauthorized(): Status {
  return status(401, 'Unauthorized', 'Unauthorized');
}

export function methodNotAllowed(): Status {
  return status(
    405,
    'MethodNotAllowed',
    'the server does not allow this method on the requested resource',
    {},
  );
}

export function internalError(cause: string): Status {
  return status(500, 'InternalError', `Internal error occurred: ${cause}`, { causes: [{ message: cause }] });
}

export function serviceUnavailable(message: string): Status {
  return status(503, 'ServiceUnavailable', message, {});
}

const EXPIRED_BASE =
  'The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter';

/** 410 for a continue token whose snapshot is gone; with `newToken` the client may go on inconsistently. */
export function expired(newToken?: string): Status {
  if (newToken === undefined) return status(410, 'Expired', `${EXPIRED_BASE}.`);
  const body = status(
    410,
    'Expired',
    `${EXPIRED_BASE}, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list.`,
  );
  body.metadata = { continue: newToken };
  return body;
}

/** The user the simulator's RBAC messages name (the token's service account). */
export const SIM_USER = 'system:serviceaccount:kubetally:kubetally-collector';

export interface ForbiddenRequest {
  verb: 'get' | 'list' | 'watch';
  /** Plural resource, e.g. `pods`, `nodes`. */
  resource: string;
  subresource?: string;
  /** API group, '' for core. */
  group: string;
  namespace?: string;
  name?: string;
}

/** 403 as the RBAC authorizer words it. */
export function forbidden(r: ForbiddenRequest): Status {
  const qualified = r.group === '' ? r.resource : `${r.resource}.${r.group}`;
  const full = r.subresource === undefined ? r.resource : `${r.resource}/${r.subresource}`;
  const subject =
    r.name === undefined ? `${qualified} is forbidden` : `${qualified} "${r.name}" is forbidden`;
  const scope = r.namespace === undefined ? 'at the cluster scope' : `in the namespace "${r.namespace}"`;
  const message = `${subject}: User "${SIM_USER}" cannot ${r.verb} resource "${full}" in API group "${r.group}" ${scope}`;
  const details: Record<string, unknown> = r.name === undefined ? {} : { name: r.name };
  if (r.group !== '') details.group = r.group;
  details.kind = r.resource;
  return status(403, 'Forbidden', message, details);
}
