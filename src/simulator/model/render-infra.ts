/** v1 Node, Namespace, PersistentVolumeClaim, PersistentVolume and Service objects. */
import type { Millis } from '../../domain/duration.js';
import { rfc3339 } from '../../domain/time.js';
import type { Model, NamespaceModel, NodeModel, PvcModel, ServiceModel } from './model.js';

export function renderNode(model: Model, n: NodeModel, t: Millis): Record<string, unknown> {
  const since = rfc3339(model.start);
  const cond = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: rfc3339(Math.max(model.start, Math.floor(t / 10_000) * 10_000)),
    lastTransitionTime: since,
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      uid: n.uid,
      resourceVersion: String(Math.max(1, t)),
      creationTimestamp: since,
      labels: n.labels,
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { providerID: n.providerID, podCIDR: podCIDR(n), podCIDRs: [podCIDR(n)] },
    status: {
      capacity: n.capacity,
      allocatable: n.allocatable,
      conditions: [
        cond(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: n.internalIP },
        { type: 'Hostname', address: n.name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        architecture: 'amd64',
        bootID: n.uid,
        containerRuntimeVersion: 'containerd://1.7.27',
        kernelVersion: '6.1.134-152.225.amzn2023.x86_64',
        kubeProxyVersion: 'v1.32.3',
        kubeletVersion: 'v1.32.3',
        machineID: n.uid.replaceAll('-', ''),
        operatingSystem: 'linux',
        osImage: 'Amazon Linux 2023.7.20250512',
        systemUUID: n.uid,
      },
    },
  };
}

export function podCIDR(n: NodeModel): string {
  return `10.${1 + ((n.index >> 8) & 127)}.${n.index & 255}.0/24`;
}

export function renderNamespace(ns: NamespaceModel): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: {
      name: ns.name,
      uid: ns.uid,
      resourceVersion: String(Math.max(1, ns.created)),
      creationTimestamp: rfc3339(ns.created),
      labels: { 'kubernetes.io/metadata.name': ns.name },
    },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

/**
 * An object as its DELETED watch event carries it: claims (`kubernetes.io/pvc-protection`) and
 * LoadBalancer services (`service.kubernetes.io/load-balancer-cleanup`) have finalizers, so the
 * API server sets `deletionTimestamp` at the delete request and removes the object once its
 * controller let go (at once, here): the last state has the deletion time and no finalizers.
 */
function deletedAt(
  obj: Record<string, unknown>,
  end: Millis | undefined,
  t: Millis,
): Record<string, unknown> {
  if (end === undefined || t < end) return obj;
  const { finalizers: _, ...metadata } = obj.metadata as Record<string, unknown>;
  return {
    ...obj,
    metadata: {
      ...metadata,
      resourceVersion: String(end),
      deletionTimestamp: rfc3339(end),
      deletionGracePeriodSeconds: 0,
    },
  };
}

/** The claim at `t` (with its deletion once `t` reaches its end, as its DELETED event shows it). */
export function renderPvc(c: PvcModel, t: Millis = c.start): Record<string, unknown> {
  return deletedAt(renderLivePvc(c), c.end, t);
}

function renderLivePvc(c: PvcModel): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: c.name,
      namespace: c.namespace,
      uid: c.uid,
      resourceVersion: String(Math.max(1, c.start)),
      creationTimestamp: rfc3339(c.start),
      labels: c.labels,
      annotations: {
        'pv.kubernetes.io/bind-completed': 'yes',
        'pv.kubernetes.io/bound-by-controller': 'yes',
        'volume.kubernetes.io/storage-provisioner': 'ebs.csi.aws.com',
      },
      finalizers: ['kubernetes.io/pvc-protection'],
    },
    spec: {
      accessModes: c.accessModes,
      resources: { requests: { storage: c.capacityText } },
      storageClassName: c.storageClass,
      volumeMode: 'Filesystem',
      volumeName: c.pvName,
    },
    status: { phase: 'Bound', accessModes: c.accessModes, capacity: { storage: c.capacityText } },
  };
}

export function renderPv(c: PvcModel): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: {
      name: c.pvName,
      uid: c.pvUid,
      resourceVersion: String(Math.max(1, c.start)),
      creationTimestamp: rfc3339(c.start),
      annotations: { 'pv.kubernetes.io/provisioned-by': 'ebs.csi.aws.com' },
      finalizers: ['kubernetes.io/pv-protection'],
    },
    spec: {
      accessModes: c.accessModes,
      capacity: { storage: c.capacityText },
      claimRef: {
        apiVersion: 'v1',
        kind: 'PersistentVolumeClaim',
        name: c.name,
        namespace: c.namespace,
        uid: c.uid,
      },
      csi: {
        driver: 'ebs.csi.aws.com',
        fsType: 'ext4',
        volumeHandle: `vol-0${c.pvUid.replaceAll('-', '').slice(0, 16)}`,
      },
      persistentVolumeReclaimPolicy: 'Delete',
      storageClassName: c.storageClass,
      volumeMode: 'Filesystem',
    },
    status: { phase: 'Bound' },
  };
}

/** The service at `t` (with its deletion once `t` reaches its end, as its DELETED event shows it). */
export function renderService(v: ServiceModel, t: Millis = v.start): Record<string, unknown> {
  return deletedAt(renderLiveService(v), v.end, t);
}

function renderLiveService(v: ServiceModel): Record<string, unknown> {
  const lb = v.type === 'LoadBalancer';
  const ports = v.ports.map((p, i) => ({
    ...(p.name === undefined ? {} : { name: p.name }),
    port: p.port,
    protocol: p.protocol,
    targetPort: p.targetPort ?? p.port,
    ...(v.type === 'ClusterIP' ? {} : { nodePort: 30000 + ((v.index * 7 + i) % 2768) }),
  }));
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: v.name,
      namespace: v.namespace,
      uid: v.uid,
      resourceVersion: String(Math.max(1, v.start)),
      creationTimestamp: rfc3339(v.start),
      labels: v.labels,
      ...(lb
        ? {
            annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' },
            // The service controller's, so that the cloud's balancer is removed before the service.
            finalizers: ['service.kubernetes.io/load-balancer-cleanup'],
          }
        : {}),
    },
    spec: {
      type: v.type,
      clusterIP: v.clusterIP,
      clusterIPs: [v.clusterIP],
      internalTrafficPolicy: 'Cluster',
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports,
      ...(Object.keys(v.selector).length > 0 ? { selector: v.selector } : {}),
      sessionAffinity: 'None',
      ...(v.type === 'ClusterIP' ? {} : { externalTrafficPolicy: 'Cluster' }),
    },
    status: {
      loadBalancer: lb
        ? {
            ingress: [{ hostname: `a${v.uid.replaceAll('-', '').slice(0, 24)}.elb.us-east-1.amazonaws.com` }],
          }
        : {},
    },
  };
}
