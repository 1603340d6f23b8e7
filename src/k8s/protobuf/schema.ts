/**
 * The Kubernetes protobuf messages kubetally reads (and the simulator writes): field numbers and
 * types as in k8s.io/api core/v1 and k8s.io/apimachinery meta/v1, resource and runtime
 * `generated.proto`, and k8s.io/metrics metrics/v1beta1, keyed by each field's JSON name. Only
 * the messages of a Pod, of pod and node metrics, their lists and a Status are here; a field
 * missing from a message is skipped when reading, and refused when writing.
 */
export type Field =
  | {
      n: number;
      /** `time`: meta/v1 Time (JSON: RFC 3339); `duration`: meta/v1 Duration (JSON: Go's `1m0s`). */
      t:
        'string' | 'int32' | 'int64' | 'bool' | 'time' | 'duration' | 'strings' | 'stringMap' | 'quantityMap';
    }
  /** `inline`: the message's fields appear in the parent's JSON form (Volume's VolumeSource). */
  | { n: number; t: 'message'; m: MessageName; repeated?: boolean; inline?: boolean };

const s = (n: number): Field => ({ n, t: 'string' });
const i32 = (n: number): Field => ({ n, t: 'int32' });
const i64 = (n: number): Field => ({ n, t: 'int64' });
const b = (n: number): Field => ({ n, t: 'bool' });
const time = (n: number): Field => ({ n, t: 'time' });
const duration = (n: number): Field => ({ n, t: 'duration' });
const strings = (n: number): Field => ({ n, t: 'strings' });
const stringMap = (n: number): Field => ({ n, t: 'stringMap' });
const quantities = (n: number): Field => ({ n, t: 'quantityMap' });
const msg = (n: number, m: MessageName): Field => ({ n, t: 'message', m });
const list = (n: number, m: MessageName): Field => ({ n, t: 'message', m, repeated: true });

export type MessageName =
  | 'ListMeta'
  | 'ObjectMeta'
  | 'OwnerReference'
  | 'Status'
  | 'Pod'
  | 'PodSpec'
  | 'Container'
  | 'ResourceRequirements'
  | 'Volume'
  | 'VolumeSource'
  | 'PersistentVolumeClaimVolumeSource'
  | 'PodSecurityContext'
  | 'PodStatus'
  | 'PodCondition'
  | 'PodIP'
  | 'ContainerStatus'
  | 'ContainerState'
  | 'ContainerStateWaiting'
  | 'ContainerStateRunning'
  | 'ContainerStateTerminated'
  | 'PodMetrics'
  | 'ContainerMetrics'
  | 'NodeMetrics';

export const SCHEMA: Record<MessageName, Record<string, Field>> = {
  ListMeta: { selfLink: s(1), resourceVersion: s(2), continue: s(3), remainingItemCount: i64(4) },
  ObjectMeta: {
    name: s(1),
    generateName: s(2),
    namespace: s(3),
    selfLink: s(4),
    uid: s(5),
    resourceVersion: s(6),
    generation: i64(7),
    creationTimestamp: time(8),
    deletionTimestamp: time(9),
    deletionGracePeriodSeconds: i64(10),
    labels: stringMap(11),
    annotations: stringMap(12),
    ownerReferences: list(13, 'OwnerReference'),
    finalizers: strings(14),
  },
  OwnerReference: {
    kind: s(1),
    name: s(3),
    uid: s(4),
    apiVersion: s(5),
    controller: b(6),
    blockOwnerDeletion: b(7),
  },
  Status: { status: s(2), message: s(3), reason: s(4), code: i32(6) },
  Pod: { metadata: msg(1, 'ObjectMeta'), spec: msg(2, 'PodSpec'), status: msg(3, 'PodStatus') },
  PodSpec: {
    volumes: list(1, 'Volume'),
    containers: list(2, 'Container'),
    restartPolicy: s(3),
    terminationGracePeriodSeconds: i64(4),
    activeDeadlineSeconds: i64(5),
    dnsPolicy: s(6),
    nodeSelector: stringMap(7),
    serviceAccountName: s(8),
    serviceAccount: s(9),
    nodeName: s(10),
    hostNetwork: b(11),
    hostPID: b(12),
    hostIPC: b(13),
    securityContext: msg(14, 'PodSecurityContext'),
    hostname: s(16),
    subdomain: s(17),
    schedulerName: s(19),
    initContainers: list(20, 'Container'),
    automountServiceAccountToken: b(21),
    priorityClassName: s(24),
    priority: i32(25),
    shareProcessNamespace: b(27),
    runtimeClassName: s(29),
    enableServiceLinks: b(30),
    preemptionPolicy: s(31),
    overhead: quantities(32),
  },
  Container: {
    name: s(1),
    image: s(2),
    command: strings(3),
    args: strings(4),
    workingDir: s(5),
    resources: msg(8, 'ResourceRequirements'),
    terminationMessagePath: s(13),
    imagePullPolicy: s(14),
    terminationMessagePolicy: s(20),
    restartPolicy: s(24),
  },
  ResourceRequirements: { limits: quantities(1), requests: quantities(2) },
  Volume: { name: s(1), volumeSource: { n: 2, t: 'message', m: 'VolumeSource', inline: true } },
  VolumeSource: { persistentVolumeClaim: msg(10, 'PersistentVolumeClaimVolumeSource') },
  PersistentVolumeClaimVolumeSource: { claimName: s(1), readOnly: b(2) },
  PodSecurityContext: {},
  PodStatus: {
    phase: s(1),
    conditions: list(2, 'PodCondition'),
    message: s(3),
    reason: s(4),
    hostIP: s(5),
    podIP: s(6),
    startTime: time(7),
    containerStatuses: list(8, 'ContainerStatus'),
    qosClass: s(9),
    initContainerStatuses: list(10, 'ContainerStatus'),
    nominatedNodeName: s(11),
    podIPs: list(12, 'PodIP'),
    hostIPs: list(16, 'PodIP'),
  },
  PodCondition: {
    type: s(1),
    status: s(2),
    lastProbeTime: time(3),
    lastTransitionTime: time(4),
    reason: s(5),
    message: s(6),
  },
  // PodIP and HostIP are both `{ ip = 1 }`.
  PodIP: { ip: s(1) },
  ContainerStatus: {
    name: s(1),
    state: msg(2, 'ContainerState'),
    lastState: msg(3, 'ContainerState'),
    ready: b(4),
    restartCount: i32(5),
    image: s(6),
    imageID: s(7),
    containerID: s(8),
    started: b(9),
  },
  ContainerState: {
    waiting: msg(1, 'ContainerStateWaiting'),
    running: msg(2, 'ContainerStateRunning'),
    terminated: msg(3, 'ContainerStateTerminated'),
  },
  ContainerStateWaiting: { reason: s(1), message: s(2) },
  ContainerStateRunning: { startedAt: time(1) },
  ContainerStateTerminated: {
    exitCode: i32(1),
    signal: i32(2),
    reason: s(3),
    message: s(4),
    startedAt: time(5),
    finishedAt: time(6),
    containerID: s(7),
  },
  // metrics.k8s.io/v1beta1 (PodMetricsList and NodeMetricsList: ListMeta = 1, items = 2).
  PodMetrics: {
    metadata: msg(1, 'ObjectMeta'),
    timestamp: time(2),
    window: duration(3),
    containers: list(4, 'ContainerMetrics'),
  },
  ContainerMetrics: { name: s(1), usage: quantities(2) },
  NodeMetrics: {
    metadata: msg(1, 'ObjectMeta'),
    timestamp: time(2),
    window: duration(3),
    usage: quantities(4),
  },
};
