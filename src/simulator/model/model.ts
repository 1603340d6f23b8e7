/** The compiled, immutable form of a scenario that the world answers questions from. */
import type { Millis } from '../../domain/duration.js';
import type { Profile } from './profiles.js';
import type { ControllerKind, Exit } from './schema.js';

export interface ContainerModel {
  readonly name: string;
  readonly image: string;
  readonly requests: Readonly<Record<string, string>>;
  readonly limits: Readonly<Record<string, string>>;
  readonly cpu: Profile; // cores
  readonly memory: Profile; // bytes (working set)
  readonly tx: Profile; // bytes per second
  readonly rx: Profile; // bytes per second
  /** Offsets from the pod's creation at which the container crashes. */
  readonly restarts: readonly Millis[];
  readonly restartReason: 'OOMKilled' | 'Error';
}

export interface InitContainerModel {
  readonly name: string;
  readonly image: string;
  readonly requests: Readonly<Record<string, string>>;
  readonly limits: Readonly<Record<string, string>>;
}

/** What pods of one scenario entry (or one generator profile) share. */
export interface PodTemplate {
  readonly containers: readonly ContainerModel[];
  readonly initContainers: readonly InitContainerModel[];
  readonly overhead: Readonly<Record<string, string>>;
  /** Effective pod requests (scheduler rule): max(Σ app, max init) + overhead. */
  readonly cpuRequestCores: number;
  readonly memoryRequestBytes: number;
  readonly gpus: number;
  readonly qosClass: 'Guaranteed' | 'Burstable' | 'BestEffort';
  readonly annotations: Readonly<Record<string, string>>;
  readonly serviceAccountName: string;
  readonly priorityClassName: string | undefined;
  readonly restartPolicy: 'Always' | 'OnFailure' | 'Never';
  /** `spec.hostNetwork`: its Summary network counters are the node's. */
  readonly hostNetwork: boolean;
}

/**
 * One series of pods: a single pod (every = 0), or one started every `every` ms (recurring jobs,
 * churn slots). Kept compact: strings and templates are shared between slots.
 */
export interface Slot {
  readonly index: number;
  /** Identity for seeds and UIDs. */
  readonly key: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly node: number;
  readonly template: PodTemplate;
  readonly volumes: readonly { readonly name: string; readonly claim: number }[];
  readonly controller: ControllerKind;
  /** Controller name (Deployment, Job, CronJob, …) or the pod name for bare pods. */
  readonly baseName: string;
  readonly replica: number;
  readonly templateHash: string;
  /** First creation time (absolute ms). */
  readonly start: Millis;
  readonly every: Millis;
  /** Single pod: its end; recurring: no pod is created at or after it. */
  readonly end: Millis | undefined;
  /** Running time of each pod (single pods use it when `end` is absent). */
  readonly duration: { readonly min: Millis; readonly max: Millis } | undefined;
  readonly pending: Millis;
  readonly exit: Exit | undefined;
  /** Name ordering key: the full name of a single pod, the common prefix of a series. */
  readonly sortKey: string;
}

export interface NodeModel {
  readonly index: number;
  readonly name: string;
  readonly uid: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly capacity: Readonly<Record<string, string>>;
  readonly allocatable: Readonly<Record<string, string>>;
  readonly gpus: number;
  readonly internalIP: string;
  readonly providerID: string;
  readonly systemCpu: Profile;
  readonly systemMemory: Profile;
  readonly role: string;
}

export interface PvcModel {
  readonly index: number;
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly pvName: string;
  readonly pvUid: string;
  readonly storageClass: string;
  readonly capacityText: string;
  readonly capacityBytes: number;
  readonly usedBytes: number;
  readonly accessModes: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  readonly start: Millis;
  readonly end: Millis | undefined;
}

export interface ServiceModel {
  readonly index: number;
  readonly name: string;
  readonly namespace: string;
  readonly uid: string;
  readonly type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
  readonly selector: Readonly<Record<string, string>>;
  readonly ports: readonly { name?: string; port: number; targetPort?: number | string; protocol: string }[];
  readonly labels: Readonly<Record<string, string>>;
  readonly clusterIP: string;
  readonly start: Millis;
  readonly end: Millis | undefined;
}

export interface NamespaceModel {
  readonly name: string;
  readonly uid: string;
  readonly created: Millis;
}

export interface Model {
  readonly name: string;
  readonly seed: number;
  readonly start: Millis;
  readonly retention: Millis;
  readonly nodes: readonly NodeModel[];
  readonly slots: readonly Slot[];
  /** Slot indexes sorted by (namespace, sortKey). */
  readonly slotOrder: Int32Array;
  /** Slot indexes per node. */
  readonly slotsByNode: readonly Int32Array[];
  readonly pvcs: readonly PvcModel[];
  readonly services: readonly ServiceModel[];
  readonly namespaces: readonly NamespaceModel[];
}

/** The time containers stay down after a crash before they run again (kubelet's first back-off). */
export const RESTART_DELAY_MS = 10_000;
