/**
 * The permissions kubetally's collector needs, asked of the cluster with
 * SelfSubjectAccessReview (what `kubectl auth can-i` does): one review per permission, nothing
 * read. A cluster that does not serve the authorization API (404) is probed instead, with the
 * smallest real read of each kind, so the answer is the same either way.
 */
import { isKubetallyError } from '../domain/errors.js';
import type { Connection } from '../k8s/connection.js';
import { rbacYaml } from '../k8s/k8s-errors.js';

export interface PermissionCheck {
  allowed: boolean;
  /** Why not, when refused or unknown. */
  reason?: string;
  /** The ClusterRole rule to add, when refused. */
  rbac?: string;
  /** Collection works without it, less exactly (the reason says how). */
  optional?: true;
}

export interface Needed {
  verb: 'get' | 'list' | 'watch';
  group: string;
  resource: string;
  subresource?: string;
  /** A path whose GET needs exactly this permission (the probe when reviews are not served). */
  probe: string;
  /** What collection loses without it, for a permission it can do without. */
  without?: string;
}

const core = (resource: string): Needed => ({
  verb: 'list',
  group: '',
  resource,
  probe: `/api/v1/${resource}?limit=1`,
});

/** A watch that follows the inventory's list of a kind (sources/departures.ts). */
const watch = (resource: string, without: string): Needed => ({
  verb: 'watch',
  group: '',
  resource,
  // Matches nothing, and ends after a second.
  probe: `/api/v1/${resource}?watch=1&timeoutSeconds=1&fieldSelector=metadata.name%3D`,
  without,
});

const NOT_READ = 'optional: collection does not read it today (it is in the recommended ClusterRole)';

/**
 * What the collector reads. The metrics API is listed (`list`), not read one object at a time,
 * so `list` is what is checked there too.
 */
export const NEEDED: readonly Needed[] = [
  ...['pods', 'nodes'].map(core),
  // Granted by deploy/kubernetes/rbac.yaml, but no round reads them: a cluster that refuses them
  // is collected in full, so the test must not fail on them and send the operator to fix RBAC.
  { ...core('namespaces'), without: NOT_READ },
  {
    ...core('persistentvolumeclaims'),
    without:
      'optional: without it, storage is not collected and each interval records a gap for it (pods, CPU and memory still are)',
  },
  { ...core('persistentvolumes'), without: NOT_READ },
  {
    ...core('services'),
    without:
      'optional: without it, LoadBalancer hours are not collected and each interval records a gap for them',
  },
  { verb: 'list', group: 'metrics.k8s.io', resource: 'pods', probe: '/apis/metrics.k8s.io/v1beta1/pods' },
  { verb: 'list', group: 'metrics.k8s.io', resource: 'nodes', probe: '/apis/metrics.k8s.io/v1beta1/nodes' },
  // The kubelet Summary API through the node proxy (cumulative CPU, network, volumes).
  { verb: 'get', group: '', resource: 'nodes', subresource: 'proxy', probe: '' },
  watch(
    'pods',
    'optional: without it, a pod deleted as it finishes is ended halfway between the two lists around its end, up to half a sample period from its real end',
  ),
  watch(
    'persistentvolumeclaims',
    'optional: without it, a deleted claim is billed to halfway between the two lists around its deletion, up to half a sample period from it',
  ),
  watch(
    'services',
    'optional: without it, a deleted LoadBalancer is billed to halfway between the two lists around its deletion, up to half a sample period from it',
  ),
];

/** `list pods`, `list pods.metrics.k8s.io`, `get nodes/proxy`: the key in the test answer. */
export function permissionName(n: Needed): string {
  const resource = n.group === '' ? n.resource : `${n.resource}.${n.group}`;
  return `${n.verb} ${resource}${n.subresource === undefined ? '' : `/${n.subresource}`}`;
}

const SSAR = '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews';

interface ReviewReply {
  status?: { allowed?: boolean; denied?: boolean; reason?: string; evaluationError?: string };
}

/** Each needed permission by name; `node` names a node for the Summary API probe. */
export async function checkPermissions(
  conn: Connection,
  node: string | undefined,
): Promise<Record<string, PermissionCheck>> {
  const out: Record<string, PermissionCheck> = {};
  let reviews = true;
  const first = NEEDED[0] as Needed;
  try {
    out[permissionName(first)] = await review(conn, first);
  } catch (err) {
    // 404: no authorization API (an old or partial server); 403: not allowed to ask. Probe instead.
    if (!isKubetallyError(err) || (err.status !== 404 && err.status !== 403)) throw err;
    reviews = false;
  }
  const rest = reviews ? NEEDED.slice(1) : NEEDED;
  const checks = await Promise.all(
    rest.map(
      async (n) => [permissionName(n), reviews ? await review(conn, n) : await probe(conn, n, node)] as const,
    ),
  );
  for (const [name, check] of checks) out[name] = check;
  return Object.fromEntries(
    NEEDED.map((n) => [permissionName(n), out[permissionName(n)] as PermissionCheck]),
  );
}

async function review(conn: Connection, n: Needed): Promise<PermissionCheck> {
  const { body } = await conn.request<ReviewReply>(SSAR, {
    body: {
      apiVersion: 'authorization.k8s.io/v1',
      kind: 'SelfSubjectAccessReview',
      spec: {
        resourceAttributes: {
          verb: n.verb,
          group: n.group,
          resource: n.resource,
          ...(n.subresource === undefined ? {} : { subresource: n.subresource }),
          // Empty: all namespaces, as the collector lists them.
          namespace: '',
        },
      },
    },
  });
  if (body?.status?.allowed === true) return { allowed: true };
  const why = body?.status?.evaluationError || body?.status?.reason;
  return refusal(n, `the cluster does not allow ${permissionName(n)}${why ? ` (${why})` : ''}`);
}

async function probe(conn: Connection, n: Needed, node: string | undefined): Promise<PermissionCheck> {
  const path =
    n.subresource === 'proxy'
      ? node === undefined
        ? undefined
        : `/api/v1/nodes/${encodeURIComponent(node)}/proxy/stats/summary`
      : n.probe;
  if (path === undefined)
    return { allowed: false, reason: 'unknown: no node listed to try the Summary API on' };
  try {
    await conn.request(path, { retries: 0, raw: true }); // what it says does not matter, only that it may
    return { allowed: true };
  } catch (err) {
    if (isKubetallyError(err, 'FORBIDDEN')) return refusal(n, err.message);
    // Anything else (metrics API missing, kubelet down) is not a permission problem.
    return { allowed: true, reason: `allowed, but ${err instanceof Error ? err.message : String(err)}` };
  }
}

function refusal(n: Needed, reason: string): PermissionCheck {
  const resource = n.subresource === undefined ? n.resource : `${n.resource}/${n.subresource}`;
  const verbs = n.verb === 'list' ? ['get', 'list'] : [n.verb];
  const rbac = rbacYaml({ apiGroup: n.group, resource, verbs });
  return n.without === undefined
    ? { allowed: false, reason, rbac }
    : { allowed: false, reason: `${reason}; ${n.without}`, rbac, optional: true };
}
