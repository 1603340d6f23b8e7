/**
 * Compact forms of the objects kubetally reads, keeping only the fields it uses, so that a list
 * of 100k pods stays small in memory. Quantities are exact integers: CPU in nanocores, memory
 * and storage in bytes, GPUs as whole devices. Times are epoch milliseconds.
 */
export interface Resources {
  cpuNanoCores: bigint;
  memoryBytes: bigint;
  gpus: bigint;
}

export interface ContainerInfo {
  name: string;
  /** `app`, `init`, or `sidecar` (an init container with restartPolicy Always). */
  kind: 'app' | 'init' | 'sidecar';
  requests: Resources;
  limits: Resources;
  runningSince?: number;
  terminated?: { startedAt: number; finishedAt: number };
  lastTerminated?: { startedAt: number; finishedAt: number };
  restartCount: number;
}

export interface PodInfo {
  uid: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  nodeName: string;
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  createdAt: number;
  startedAt?: number;
  /** When deletion was requested: `deletionTimestamp` less `deletionGracePeriodSeconds`. */
  deletingAt?: number;
  /** The controller: the `controller: true` ownerReference. */
  controller?: { kind: string; name: string };
  overhead: Resources;
  containers: ContainerInfo[];
  /** PersistentVolumeClaims mounted (same namespace). */
  claims: string[];
  hostNetwork: boolean;
}

export interface NodeInfo {
  name: string;
  labels: Record<string, string>;
  capacity: Resources;
  allocatable: Resources;
  createdAt: number;
}

export interface PvcInfo {
  uid: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  storageClass?: string;
  phase: string;
  volumeName?: string;
  /** `status.capacity.storage`, else the request. */
  capacityBytes: bigint;
  createdAt: number;
  deletingAt?: number;
}

export interface PvInfo {
  name: string;
  storageClass?: string;
  capacityBytes: bigint;
  claim?: { namespace: string; name: string };
}

export interface ServiceInfo {
  uid: string;
  namespace: string;
  name: string;
  type: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  createdAt: number;
  deletingAt?: number;
  ingress: string[];
}

export interface NamespaceInfo {
  name: string;
  labels: Record<string, string>;
}

export interface KindTypes {
  pods: PodInfo;
  nodes: NodeInfo;
  namespaces: NamespaceInfo;
  persistentvolumeclaims: PvcInfo;
  persistentvolumes: PvInfo;
  services: ServiceInfo;
}
export type ListKindName = keyof KindTypes;
