/** Pod templates: containers with compiled profiles and the scheduler's effective requests. */
import { compileProfile } from './profiles.js';
import { quantityNumber } from './units.js';
import type { ContainerModel, InitContainerModel, PodTemplate } from './model.js';
import type { PodSpecInput } from './schema.js';

const DEFAULT_IMAGE = 'registry.k8s.io/pause:3.10';

function textOf(list: Readonly<Record<string, string | number>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(list ?? {}).map(([k, v]) => [k, String(v)]));
}

function amount(list: Readonly<Record<string, string>>, resource: string): number {
  const v = list[resource];
  return v === undefined ? 0 : quantityNumber(v);
}

/** Requests default to limits when only limits are given, as the API server does. */
function requestsOf(
  requests: Record<string, string>,
  limits: Record<string, string>,
): Record<string, string> {
  return { ...limits, ...requests };
}

export function compileTemplate(
  spec: PodSpecInput,
  restartPolicy: PodTemplate['restartPolicy'],
): PodTemplate {
  const containers: ContainerModel[] = spec.containers.map((c) => {
    const limits = textOf(c.limits);
    return {
      name: c.name,
      image: c.image ?? DEFAULT_IMAGE,
      requests: requestsOf(textOf(c.requests), limits),
      limits,
      cpu: compileProfile(c.usage?.cpu),
      memory: compileProfile(c.usage?.memory),
      tx: compileProfile(c.usage?.networkTx),
      rx: compileProfile(c.usage?.networkRx),
      restarts: [...(c.restarts ?? [])].sort((a, b) => a - b),
      restartReason: c.restartReason ?? 'OOMKilled',
    };
  });
  const initContainers: InitContainerModel[] = (spec.initContainers ?? []).map((c) => {
    const limits = textOf(c.limits);
    return {
      name: c.name,
      image: c.image ?? DEFAULT_IMAGE,
      requests: requestsOf(textOf(c.requests), limits),
      limits,
    };
  });
  const overhead = textOf(spec.overhead);
  const effective = (resource: string) => {
    const app = containers.reduce((s, c) => s + amount(c.requests, resource), 0);
    const init = initContainers.reduce((m, c) => Math.max(m, amount(c.requests, resource)), 0);
    return Math.max(app, init) + amount(overhead, resource);
  };
  return {
    containers,
    initContainers,
    overhead,
    cpuRequestCores: effective('cpu'),
    memoryRequestBytes: effective('memory'),
    gpus: effective('nvidia.com/gpu'),
    qosClass: qosClass(containers, initContainers),
    annotations: { ...(spec.annotations ?? {}) },
    serviceAccountName: spec.serviceAccountName ?? 'default',
    priorityClassName: spec.priorityClassName,
    restartPolicy,
    hostNetwork: spec.hostNetwork === true,
  };
}

/** Kubernetes QoS: Guaranteed when every container has cpu and memory limits equal to requests. */
function qosClass(
  app: readonly ContainerModel[],
  init: readonly InitContainerModel[],
): PodTemplate['qosClass'] {
  const all = [...app, ...init];
  const any = all.some((c) => Object.keys(c.requests).length > 0 || Object.keys(c.limits).length > 0);
  if (!any) return 'BestEffort';
  const guaranteed = all.every((c) =>
    ['cpu', 'memory'].every(
      (r) =>
        c.limits[r] !== undefined &&
        quantityNumber(c.limits[r]) === quantityNumber(c.requests[r] ?? c.limits[r]),
    ),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
