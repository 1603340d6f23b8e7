/**
 * The inventory source: pods, nodes, PVCs and LoadBalancer services, listed page by page and
 * kept only as the small observation records metering needs. The snapshot's time is the API
 * server's `Date` of the pod list (cluster time, SPEC §7).
 */
import type { Connection } from '../k8s/connection.js';
import { listAll, unlessForbidden, type ListPage } from '../k8s/lists.js';
import type { PodReuse } from '../k8s/pod-reuse.js';
import type { Departures, InventoryWatches } from './departures.js';
import type { NodeInfo, PodInfo, PvcInfo, ServiceInfo } from '../k8s/types.js';
import type {
  ClaimObservation,
  InventorySnapshot,
  LoadBalancerObservation,
  NodeObservation,
  OptionalList,
  PodObservation,
} from '../metering/observations.js';
import { capacityTypeOf } from '../pricing/spot.js';

const INSTANCE_TYPE_LABELS = ['node.kubernetes.io/instance-type', 'beta.kubernetes.io/instance-type'];

export { OPTIONAL_LISTS, type OptionalList } from '../metering/observations.js';

/** An optional list the cluster refused, with the API server's own words (the missing RBAC rule). */
export interface RefusedList {
  list: OptionalList;
  message: string;
  hint?: string;
}

/**
 * The lists' resourceVersions, stored with the sample: a collector in a new process (a
 * `kubetally collect` from cron, a replica taking over) resumes the watches from them.
 */
export type ListVersions = Partial<Record<keyof InventoryWatches, string>>;

function definedOnly(v: Record<keyof InventoryWatches, string | undefined>): ListVersions {
  const out: ListVersions = {};
  for (const [k, version] of Object.entries(v) as [keyof InventoryWatches, string | undefined][])
    if (version !== undefined && version !== '') out[k] = version;
  return out;
}

/**
 * The inventory, and the optional lists the cluster refused (403): without PVCs there is no
 * storage and without services no LoadBalancer hours, but pods, CPU and memory are still read.
 */
export async function readInventory(
  conn: Connection,
  now: () => number,
  options: {
    pageSize?: number;
    departures?: InventoryWatches;
    reuse?: PodReuse;
    /** Lists the cluster's settings leave out: not asked for, so neither read nor refused. */
    skip?: Partial<Record<OptionalList, boolean>>;
  } = {},
): Promise<InventorySnapshot & { refused: RefusedList[]; versions: ListVersions }> {
  const { departures, reuse } = options;
  const o = { limit: options.pageSize ?? 500 };
  const refused: RefusedList[] = [];
  const optional = <T>(
    list: () => Promise<ListPage<T>>,
    resource: OptionalList,
  ): Promise<Pick<ListPage<T>, 'items' | 'resourceVersion'>> =>
    options.skip?.[resource] === true
      ? Promise.resolve({ items: [] })
      : unlessForbidden(list(), (err) =>
          refused.push({
            list: resource,
            message: err.message,
            ...(err.hint === undefined ? {} : { hint: err.hint }),
          }),
        );
  const [pods, nodes, claims, services] = await Promise.all([
    listAll(conn, 'pods', reuse === undefined ? o : { ...o, reusePods: reuse }, observed),
    listAll(conn, 'nodes', o, toNode),
    optional(() => listAll(conn, 'persistentvolumeclaims', o, toClaim), 'persistentvolumeclaims'),
    optional(() => listAll(conn, 'services', o, toLoadBalancer), 'services'),
  ]);
  // What left since the last lists, in its final state, from the watches that follow them.
  const left = async <I, O extends { namespace: string; name: string }>(
    watch: Departures<I> | undefined,
    list: { items: O[]; resourceVersion?: string },
    key: (o: O) => string,
    toObservation: (i: I) => O | undefined,
  ): Promise<O[]> => {
    if (watch === undefined) return list.items;
    watch.follow(list.resourceVersion);
    const gone = await watch.take(new Set(list.items.map(key)), list.resourceVersion);
    if (gone.length === 0) return list.items;
    const departed = gone.flatMap((i) => {
      const o = toObservation(i);
      return o === undefined ? [] : [o];
    });
    return [...list.items, ...departed];
  };
  const byName = (o: { namespace: string; name: string }) => `${o.namespace}/${o.name}`;
  const [allPods, allClaims, allLoadBalancers] = await Promise.all([
    left(departures?.pods, pods, (p) => p.uid, departedPod),
    left(
      options.skip?.persistentvolumeclaims === true ? undefined : departures?.claims,
      claims,
      byName,
      (c) => departed(toClaim(c)),
    ),
    left(options.skip?.services === true ? undefined : departures?.services, services, byName, (s) =>
      departed(toLoadBalancer(s)),
    ),
  ]);
  return {
    time: pods.date ?? now(),
    pods: allPods,
    claims: allClaims,
    loadBalancers: allLoadBalancers,
    nodes: nodes.items,
    refused: refused.sort((x, y) => x.list.localeCompare(y.list)),
    versions: definedOnly({
      pods: pods.resourceVersion,
      claims: claims.resourceVersion,
      services: services.resourceVersion,
    }),
  };
}

/** A claim or service that left since the last inventory: its end is its deletion time. */
function departed<O extends { departed?: true }>(o: O | undefined): O | undefined {
  if (o !== undefined) o.departed = true;
  return o;
}

/**
 * A pod that left since the last inventory, in its final state. Its containers' running states
 * are of the time it left, not of this inventory's time: they are dropped, so that nothing runs
 * on past that; its finish times and deletion time stay.
 */
function departedPod(p: PodInfo): PodObservation {
  const pod = toPod(p);
  pod.departed = true;
  pod.containers = pod.containers.map((c) => {
    if (c.runningSince === undefined) return c;
    const { runningSince: _, ...rest } = c;
    return rest;
  });
  return pod;
}

/** A pod reused from the last list (same object) is the same observation as last time. */
const observations = new WeakMap<PodInfo, PodObservation>();
function observed(p: PodInfo): PodObservation {
  let pod = observations.get(p);
  if (pod === undefined) observations.set(p, (pod = toPod(p)));
  return pod;
}

export function toPod(p: PodInfo): PodObservation {
  const pod: PodObservation = {
    uid: p.uid,
    namespace: p.namespace,
    name: p.name,
    labels: p.labels,
    node: p.nodeName,
    phase: p.phase,
    createdAt: p.createdAt,
    overhead: p.overhead,
    containers: p.containers,
    claims: p.claims,
  };
  if (p.deletingAt !== undefined) pod.deletingAt = p.deletingAt;
  if (p.hostNetwork) pod.hostNetwork = true;
  const workload = workloadOf(p);
  if (workload !== undefined) pod.workload = workload;
  return pod;
}

/**
 * The workload a pod belongs to. A Deployment's pods are owned by a ReplicaSet named
 * `<deployment>-<pod-template-hash>`, so the Deployment is known without listing ReplicaSets.
 */
function workloadOf(p: PodInfo): { kind: string; name: string } | undefined {
  const c = p.controller;
  if (c === undefined) return undefined;
  const hash = p.labels['pod-template-hash'];
  if (c.kind === 'ReplicaSet' && hash !== undefined && c.name.endsWith(`-${hash}`)) {
    return { kind: 'Deployment', name: c.name.slice(0, -hash.length - 1) };
  }
  return { kind: c.kind, name: c.name };
}

function toNode(n: NodeInfo): NodeObservation {
  const instanceType = INSTANCE_TYPE_LABELS.map((l) => n.labels[l]).find((v) => v !== undefined) ?? '';
  return {
    namespace: '',
    name: n.name,
    instanceType,
    capacityType: capacityTypeOf(n.labels),
    allocatable: n.allocatable,
    createdAt: n.createdAt,
  };
}

function toClaim(c: PvcInfo): ClaimObservation | undefined {
  // A claim not yet bound holds no volume, so nothing is paid for it yet.
  if (c.phase !== 'Bound') return undefined;
  const claim: ClaimObservation = {
    namespace: c.namespace,
    name: c.name,
    capacityBytes: c.capacityBytes,
    createdAt: c.createdAt,
    labels: c.labels,
  };
  if (c.storageClass !== undefined) claim.storageClass = c.storageClass;
  if (c.deletingAt !== undefined) claim.deletingAt = c.deletingAt;
  return claim;
}

function toLoadBalancer(s: ServiceInfo): LoadBalancerObservation | undefined {
  if (s.type !== 'LoadBalancer') return undefined;
  const lb: LoadBalancerObservation = {
    namespace: s.namespace,
    name: s.name,
    labels: s.labels,
    createdAt: s.createdAt,
  };
  if (Object.keys(s.selector).length > 0) lb.selector = s.selector;
  if (s.deletingAt !== undefined) lb.deletingAt = s.deletingAt;
  return lb;
}
