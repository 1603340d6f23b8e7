/**
 * `POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews`: "may I?" as the API server's
 * RBAC authorizer answers it (`kubectl auth can-i`, kubetally's cluster test). The simulator's
 * only user is its bearer token's service account; it may read everything the simulator serves
 * (no writes: its role is a reader's) except what the faults forbid (`forbidden: ["pods",
 * "watch pods", "nodes/proxy", "pods.metrics.k8s.io"]`, `summaryApi: forbidden`), so the review
 * and the 403 of the real request always agree.
 */
import { WATCH_KINDS } from '../world.js';
import type { Faults } from './faults.js';
import { badRequest, status, SIM_USER, type Status } from './status.js';

export const AUTHORIZATION_GROUP = 'authorization.k8s.io';
export const AUTHORIZATION_GROUP_VERSION = 'authorization.k8s.io/v1';
export const SSAR_PATH = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';
/** What every authenticated user may create (ClusterRole system:basic-user). */
export const REVIEWS = ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'];

export interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

type Review = { code: number; body: unknown };

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The review answered (201 Created, as the real server does) or the Status for a bad request. */
export function selfSubjectAccessReview(faults: Faults, body: unknown): Review {
  if (!isObject(body)) return fail(badRequest('the body of a SelfSubjectAccessReview must be a JSON object'));
  if (body.kind !== undefined && body.kind !== 'SelfSubjectAccessReview')
    return fail(badRequest(`the body kind "${String(body.kind)}" is not SelfSubjectAccessReview`));
  if (body.apiVersion !== undefined && body.apiVersion !== AUTHORIZATION_GROUP_VERSION)
    return fail(
      badRequest(`the body apiVersion "${String(body.apiVersion)}" is not ${AUTHORIZATION_GROUP_VERSION}`),
    );
  const spec = isObject(body.spec) ? body.spec : {};
  const resource = spec.resourceAttributes;
  const nonResource = spec.nonResourceAttributes;
  if ((resource === undefined) === (nonResource === undefined) || ![resource, nonResource].some(isObject))
    return fail(invalid('exactly one of nonResourceAttributes or resourceAttributes must be specified'));
  const metadata = isObject(body.metadata) ? body.metadata : {};
  const answer = (allowed: boolean) => ({
    code: 201,
    body: {
      kind: 'SelfSubjectAccessReview',
      apiVersion: AUTHORIZATION_GROUP_VERSION,
      metadata: { ...metadata, creationTimestamp: null },
      spec,
      // RBAC gives a reason when it allows and none when it has no opinion (a denial).
      status: allowed ? { allowed: true, reason: ALLOWED_REASON } : { allowed: false },
    },
  });
  // The simulator forbids no non-resource URL (/version, /apis, /metrics …).
  if (resource === undefined) return answer(true);
  const attrs = resource as ResourceAttributes;
  const strings = ['namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'] as const;
  for (const k of strings)
    if (attrs[k] !== undefined && typeof attrs[k] !== 'string')
      return fail(badRequest(`spec.resourceAttributes.${k} must be a string`));
  return answer(!denied(faults, attrs));
}

/**
 * The ClusterRole "kubetally-reader" the token is bound to: reading what the simulator serves.
 * Anything else (writing, resources it does not serve) its RBAC would not allow either.
 */
export const READS = new Set(['get', 'list', 'watch']);
export const SERVED: Record<string, readonly string[]> = {
  '': ['pods', 'nodes', 'namespaces', 'persistentvolumeclaims', 'persistentvolumes', 'services'],
  'metrics.k8s.io': ['pods', 'nodes'],
};

function outsideRole(a: ResourceAttributes): boolean {
  const verb = a.verb ?? '';
  const resource = a.resource ?? '';
  const group = a.group ?? '';
  if (group === AUTHORIZATION_GROUP && REVIEWS.includes(resource)) return verb !== 'create' && verb !== '*';
  if (verb !== '*' && verb !== '' && !READS.has(verb)) return true;
  if (resource === '*' || resource === '') return false;
  // metrics.k8s.io has no watch (its verbs are get and list): a review of one says no.
  if (verb === 'watch' && !(group === '' && (WATCH_KINDS as readonly string[]).includes(resource)))
    return true;
  return !(SERVED[group] ?? []).includes(resource);
}

/** Whether the token may not do `a`: outside its role, or forbidden by the faults. */
export function denied(faults: Faults, a: ResourceAttributes): boolean {
  if (outsideRole(a)) return true;
  const resource = a.resource ?? '';
  const group = a.group ?? '';
  // `*` asks about every resource: any forbidden one makes the answer no.
  if (resource === '*') return faults.state.forbidden.length > 0 || faults.state.summaryApi === 'forbidden';
  const sub = a.subresource === undefined || a.subresource === '' ? undefined : a.subresource;
  if (resource === 'nodes' && group === '' && sub === 'proxy' && faults.state.summaryApi === 'forbidden')
    return true;
  // A denied resource denies its subresources too (RBAC rules name them one by one, but the
  // simulator's faults list what the collector reads: `pods`, `nodes/proxy`).
  const verb = a.verb === undefined || a.verb === '' ? undefined : a.verb;
  return (
    faults.isForbidden(resource, group, sub, verb) ||
    (sub !== undefined && faults.isForbidden(resource, group, undefined, verb))
  );
}

const ALLOWED_REASON = `RBAC: allowed by ClusterRoleBinding "kubetally-collector" of ClusterRole "kubetally-reader" to ServiceAccount "${SIM_USER.split(':').slice(2).join('/')}"`;

function invalid(message: string): Status {
  return status(
    422,
    'Invalid',
    `SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec.resourceAttributes: Invalid value: "null": ${message}`,
    {
      group: AUTHORIZATION_GROUP,
      kind: 'SelfSubjectAccessReview',
      causes: [
        {
          reason: 'FieldValueInvalid',
          message: `Invalid value: "null": ${message}`,
          field: 'spec.resourceAttributes',
        },
      ],
    },
  );
}

const fail = (s: Status): Review => ({ code: s.code, body: s });

/** `/apis/authorization.k8s.io/v1` discovery. */
export function authorizationResources() {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: AUTHORIZATION_GROUP_VERSION,
    resources: [
      {
        name: 'selfsubjectaccessreviews',
        singularName: 'selfsubjectaccessreview',
        namespaced: false,
        kind: 'SelfSubjectAccessReview',
        verbs: ['create'],
      },
      {
        name: 'selfsubjectrulesreviews',
        singularName: 'selfsubjectrulesreview',
        namespaced: false,
        kind: 'SelfSubjectRulesReview',
        verbs: ['create'],
      },
    ],
  };
}
