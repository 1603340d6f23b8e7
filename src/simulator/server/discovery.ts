/**
 * `/version` and legacy discovery (`/api`, `/apis`, `/api/v1`, `/apis/metrics.k8s.io/v1beta1`).
 * Legacy discovery works with every kubectl 1.27–1.33; aggregated discovery is not served, so
 * kubectl falls back to these whatever its Accept header asks for (wire notes §1.2).
 */

/** minor "32": the gcloud kubectl dispatcher then runs kubectl 1.32 (wire notes §1.0). */
export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.4',
  gitCommit: '59526cd4867447956156ae3a602fcbac5a2c4a6b',
  gitTreeState: 'clean',
  buildDate: '2025-04-22T16:02:27Z',
  goVersion: 'go1.23.6',
  compiler: 'gc',
  platform: 'linux/amd64',
};

export const METRICS_GROUP = 'metrics.k8s.io';
export const METRICS_GROUP_VERSION = 'metrics.k8s.io/v1beta1';

export function apiVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

const METRICS_VERSION = { groupVersion: METRICS_GROUP_VERSION, version: 'v1beta1' };
const AUTHORIZATION_VERSION = { groupVersion: 'authorization.k8s.io/v1', version: 'v1' };
const METRICS = { name: METRICS_GROUP, versions: [METRICS_VERSION], preferredVersion: METRICS_VERSION };
const AUTHORIZATION = {
  name: 'authorization.k8s.io',
  versions: [AUTHORIZATION_VERSION],
  preferredVersion: AUTHORIZATION_VERSION,
};

/**
 * `/apis`: the metrics group, unless metrics-server is "missing" (no APIService registered), then
 * authorization.k8s.io (SelfSubjectAccessReview, which every API server has).
 */
export function apiGroupList(withMetrics: boolean) {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: withMetrics ? [METRICS, AUTHORIZATION] : [AUTHORIZATION],
  };
}

export function metricsGroup() {
  return { kind: 'APIGroup', apiVersion: 'v1', ...METRICS };
}

export function authorizationGroup() {
  return { kind: 'APIGroup', apiVersion: 'v1', ...AUTHORIZATION };
}

const READ = ['get', 'list', 'watch'];

function resource(
  name: string,
  singularName: string,
  namespaced: boolean,
  kind: string,
  extra: Record<string, unknown> = {},
) {
  return { name, singularName, namespaced, kind, verbs: READ, ...extra };
}

export function coreV1Resources() {
  return {
    kind: 'APIResourceList',
    groupVersion: 'v1',
    resources: [
      resource('namespaces', 'namespace', false, 'Namespace', { shortNames: ['ns'] }),
      resource('nodes', 'node', false, 'Node', { shortNames: ['no'] }),
      { name: 'nodes/proxy', singularName: '', namespaced: false, kind: 'NodeProxyOptions', verbs: ['get'] },
      resource('persistentvolumeclaims', 'persistentvolumeclaim', true, 'PersistentVolumeClaim', {
        shortNames: ['pvc'],
      }),
      resource('persistentvolumes', 'persistentvolume', false, 'PersistentVolume', { shortNames: ['pv'] }),
      resource('pods', 'pod', true, 'Pod', { shortNames: ['po'], categories: ['all'] }),
      resource('services', 'service', true, 'Service', { shortNames: ['svc'], categories: ['all'] }),
    ],
  };
}

export function metricsResources() {
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: METRICS_GROUP_VERSION,
    resources: [
      { name: 'nodes', singularName: '', namespaced: false, kind: 'NodeMetrics', verbs: ['get', 'list'] },
      { name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] },
    ],
  };
}
