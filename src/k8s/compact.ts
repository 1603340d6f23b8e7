/** Raw API JSON → the compact types of ./types.ts. Unknown or broken quantities count as zero. */
import { cpuToNanocores, memoryToBytes } from './quantity.js';
import type {
  ContainerInfo,
  KindTypes,
  ListKindName,
  NamespaceInfo,
  NodeInfo,
  PodInfo,
  PvInfo,
  PvcInfo,
  Resources,
  ServiceInfo,
} from './types.js';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An RFC 3339 text (JSON), or epoch ms already (protobuf). */
const time = (v: unknown): number | undefined => {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string') return undefined;
  const t = Date.parse(v);
  return Number.isFinite(t) ? t : undefined;
};

// A cluster's pods repeat a few dozen quantities ("100m", "128Mi"): each text is parsed once.
const parsed = new Map<(q: string) => bigint, Map<string, bigint>>();
const MAX_REMEMBERED = 4096;

function quantity(v: unknown, convert: (q: string) => bigint): bigint {
  if (typeof v === 'number') v = String(v);
  if (typeof v !== 'string') return 0n;
  let seen = parsed.get(convert);
  if (seen === undefined) parsed.set(convert, (seen = new Map()));
  let n = seen.get(v);
  if (n !== undefined) return n;
  try {
    n = convert(v);
  } catch {
    n = 0n;
  }
  if (seen.size >= MAX_REMEMBERED) seen.clear();
  seen.set(v, n);
  return n;
}

export function resources(list: Raw | undefined): Resources {
  return {
    cpuNanoCores: quantity(list?.cpu, cpuToNanocores),
    memoryBytes: quantity(list?.memory, memoryToBytes),
    gpus: quantity(list?.['nvidia.com/gpu'], memoryToBytes),
  };
}

function container(spec: Raw, status: Raw | undefined, kind: ContainerInfo['kind']): ContainerInfo {
  const c: ContainerInfo = {
    name: String(spec.name ?? ''),
    kind,
    requests: resources(spec.resources?.requests),
    limits: resources(spec.resources?.limits),
    restartCount: Number(status?.restartCount ?? 0),
  };
  const running = time(status?.state?.running?.startedAt);
  if (running !== undefined) c.runningSince = running;
  const term = status?.state?.terminated;
  const ts = time(term?.startedAt);
  const tf = time(term?.finishedAt);
  if (ts !== undefined && tf !== undefined) c.terminated = { startedAt: ts, finishedAt: tf };
  const last = status?.lastState?.terminated;
  const ls = time(last?.startedAt);
  const lf = time(last?.finishedAt);
  if (ls !== undefined && lf !== undefined) c.lastTerminated = { startedAt: ls, finishedAt: lf };
  return c;
}

export function podInfo(o: Raw): PodInfo {
  const md = o.metadata ?? {};
  const spec = o.spec ?? {};
  const st = o.status ?? {};
  const statuses = new Map<string, Raw>(
    [...(st.containerStatuses ?? []), ...(st.initContainerStatuses ?? [])].map((s: Raw) => [s.name, s]),
  );
  const controller = (md.ownerReferences ?? []).find((r: Raw) => r.controller === true);
  const pod: PodInfo = {
    uid: String(md.uid ?? ''),
    namespace: String(md.namespace ?? ''),
    name: String(md.name ?? ''),
    labels: md.labels ?? {},
    nodeName: String(spec.nodeName ?? ''),
    phase: st.phase ?? 'Unknown',
    createdAt: time(md.creationTimestamp) ?? 0,
    overhead: resources(spec.overhead),
    containers: [
      ...(spec.initContainers ?? []).map((c: Raw) =>
        container(c, statuses.get(c.name), c.restartPolicy === 'Always' ? 'sidecar' : 'init'),
      ),
      ...(spec.containers ?? []).map((c: Raw) => container(c, statuses.get(c.name), 'app')),
    ],
    claims: (spec.volumes ?? [])
      .map((v: Raw) => v.persistentVolumeClaim?.claimName)
      .filter((c: unknown): c is string => typeof c === 'string'),
    hostNetwork: spec.hostNetwork === true,
  };
  const started = time(st.startTime);
  if (started !== undefined) pod.startedAt = started;
  const deleting = time(md.deletionTimestamp);
  if (deleting !== undefined) {
    // A pod's deletionTimestamp is the deadline: when deletion was asked for plus the grace
    // period. The kubelet stops the containers at the request (SIGTERM), so that is the end.
    const grace = Number(md.deletionGracePeriodSeconds ?? 0);
    pod.deletingAt = deleting - (Number.isFinite(grace) && grace > 0 ? grace * 1000 : 0);
  }
  if (controller !== undefined)
    pod.controller = { kind: String(controller.kind), name: String(controller.name) };
  return pod;
}

export function nodeInfo(o: Raw): NodeInfo {
  return {
    name: String(o.metadata?.name ?? ''),
    labels: o.metadata?.labels ?? {},
    capacity: resources(o.status?.capacity),
    allocatable: resources(o.status?.allocatable ?? o.status?.capacity),
    createdAt: time(o.metadata?.creationTimestamp) ?? 0,
  };
}

export function pvcInfo(o: Raw): PvcInfo {
  const md = o.metadata ?? {};
  const pvc: PvcInfo = {
    uid: String(md.uid ?? ''),
    namespace: String(md.namespace ?? ''),
    name: String(md.name ?? ''),
    labels: md.labels ?? {},
    phase: String(o.status?.phase ?? 'Pending'),
    capacityBytes: quantity(
      o.status?.capacity?.storage ?? o.spec?.resources?.requests?.storage,
      memoryToBytes,
    ),
    createdAt: time(md.creationTimestamp) ?? 0,
  };
  const sc = o.spec?.storageClassName ?? md.annotations?.['volume.beta.kubernetes.io/storage-class'];
  if (typeof sc === 'string') pvc.storageClass = sc;
  if (typeof o.spec?.volumeName === 'string') pvc.volumeName = o.spec.volumeName;
  const deleting = time(md.deletionTimestamp);
  if (deleting !== undefined) pvc.deletingAt = deleting;
  return pvc;
}

export function pvInfo(o: Raw): PvInfo {
  const pv: PvInfo = {
    name: String(o.metadata?.name ?? ''),
    capacityBytes: quantity(o.spec?.capacity?.storage, memoryToBytes),
  };
  if (typeof o.spec?.storageClassName === 'string') pv.storageClass = o.spec.storageClassName;
  const ref = o.spec?.claimRef;
  if (ref?.name !== undefined) pv.claim = { namespace: String(ref.namespace ?? ''), name: String(ref.name) };
  return pv;
}

export function serviceInfo(o: Raw): ServiceInfo {
  const md = o.metadata ?? {};
  const svc: ServiceInfo = {
    uid: String(md.uid ?? ''),
    namespace: String(md.namespace ?? ''),
    name: String(md.name ?? ''),
    type: String(o.spec?.type ?? 'ClusterIP'),
    labels: md.labels ?? {},
    selector: o.spec?.selector ?? {},
    createdAt: time(md.creationTimestamp) ?? 0,
    ingress: (o.status?.loadBalancer?.ingress ?? []).map((i: Raw) => String(i.hostname ?? i.ip ?? '')),
  };
  const deleting = time(md.deletionTimestamp);
  if (deleting !== undefined) svc.deletingAt = deleting;
  return svc;
}

export function namespaceInfo(o: Raw): NamespaceInfo {
  return { name: String(o.metadata?.name ?? ''), labels: o.metadata?.labels ?? {} };
}

export const COMPACT: { [K in ListKindName]: (o: Raw) => KindTypes[K] } = {
  pods: podInfo,
  nodes: nodeInfo,
  namespaces: namespaceInfo,
  persistentvolumeclaims: pvcInfo,
  persistentvolumes: pvInfo,
  services: serviceInfo,
};
