/**
 * `POST /apis/authorization.k8s.io/v1/selfsubjectrulesreviews`: everything the token may do in a
 * namespace, as `kubectl auth can-i --list` asks. The rules are the same role the access review
 * answers from (access-review.ts), minus what the faults forbid, so the list and each "may I?"
 * agree.
 */
import {
  AUTHORIZATION_GROUP,
  AUTHORIZATION_GROUP_VERSION,
  denied,
  READS,
  REVIEWS,
  SERVED,
} from './access-review.js';
import type { Faults } from './faults.js';
import { badRequest, type Status } from './status.js';

export const SSRR_PATH = '/apis/authorization.k8s.io/v1/selfsubjectrulesreviews';

interface ResourceRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The review answered (201 Created) or the Status for a bad request. */
export function selfSubjectRulesReview(faults: Faults, body: unknown): { code: number; body: unknown } {
  const fail = (s: Status) => ({ code: s.code, body: s });
  if (!isObject(body)) return fail(badRequest('the body of a SelfSubjectRulesReview must be a JSON object'));
  if (body.kind !== undefined && body.kind !== 'SelfSubjectRulesReview')
    return fail(badRequest(`the body kind "${String(body.kind)}" is not SelfSubjectRulesReview`));
  const spec = isObject(body.spec) ? body.spec : {};
  const namespace = spec.namespace;
  // The API server's own check (registry/authorization/selfsubjectrulesreview): `--list -A` gets it.
  if (typeof namespace !== 'string' || namespace === '') return fail(badRequest('no namespace on request'));
  return {
    code: 201,
    body: {
      kind: 'SelfSubjectRulesReview',
      apiVersion: AUTHORIZATION_GROUP_VERSION,
      metadata: { creationTimestamp: null },
      spec: { namespace },
      status: {
        resourceRules: resourceRules(faults, namespace),
        // The simulator serves every path to a reader (/version, /apis, /healthz …).
        nonResourceRules: [{ verbs: ['get'], nonResourceURLs: ['*'] }],
        incomplete: false,
      },
    },
  };
}

function resourceRules(faults: Faults, namespace: string): ResourceRule[] {
  const rules: ResourceRule[] = [];
  const add = (group: string, resource: string, verbs: readonly string[], subresource?: string) => {
    const allowed = verbs.filter(
      (verb) =>
        !denied(faults, {
          namespace,
          verb,
          group,
          resource,
          ...(subresource === undefined ? {} : { subresource }),
        }),
    );
    const name = subresource === undefined ? resource : `${resource}/${subresource}`;
    if (allowed.length > 0) rules.push({ verbs: allowed, apiGroups: [group], resources: [name] });
  };
  for (const resource of REVIEWS) add(AUTHORIZATION_GROUP, resource, ['create']);
  for (const [group, resources] of Object.entries(SERVED))
    for (const resource of resources) add(group, resource, [...READS]);
  add('', 'nodes', ['get'], 'proxy');
  return rules;
}
