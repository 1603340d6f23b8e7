/**
 * Pure aggregation of a live snapshot: attribute each pod, then sum usage, requests, GPUs and
 * the storage of the bound PVCs its pods mount (each claim counted once per group).
 */
import { attributePod, type Attribution, type CompiledRules } from '../attribution/index.js';
import { effectiveRequest } from '../metering/requests.js';
import type { PodUsage } from '../k8s/pod-usage.js';
import type { PodInfo } from '../k8s/types.js';

export interface LivePod extends Attribution {
  uid: string;
  namespace: string;
  name: string;
  phase: PodInfo['phase'];
  node: string;
  hasMetrics: boolean;
  cpuNanoCores: bigint;
  memoryBytes: bigint;
  cpuRequestNanoCores: bigint;
  memoryRequestBytes: bigint;
  gpus: bigint;
  /** Bound claims mounted, as `namespace/name`. */
  claims: string[];
}

export const GROUP_KEYS = ['owner', 'project', 'namespace', 'compute-type', 'pod'] as const;
export type LiveGroupBy = (typeof GROUP_KEYS)[number];

export interface LiveGroup {
  key: Record<string, string>;
  pods: number;
  cpuNanoCores: bigint;
  cpuRequestNanoCores: bigint;
  memoryBytes: bigint;
  memoryRequestBytes: bigint;
  gpus: bigint;
  storageBytes: bigint;
}

/**
 * One pod, attributed, with its effective request; usage and bound claims are joined later
 * (`joinUsage`), so pods can be read while metrics are still on their way.
 */
export function toLivePod(p: PodInfo, rules: CompiledRules): LivePod {
  const req = effectiveRequest(p);
  const a = attributePod(p, rules);
  return {
    owner: a.owner,
    project: a.project,
    projectId: a.projectId,
    computeType: a.computeType,
    uid: p.uid,
    namespace: p.namespace,
    name: p.name,
    phase: p.phase,
    node: p.nodeName,
    hasMetrics: false,
    cpuNanoCores: 0n,
    memoryBytes: 0n,
    cpuRequestNanoCores: req.cpuNanoCores,
    memoryRequestBytes: req.memoryBytes,
    gpus: req.gpus,
    claims: p.claims.length === 0 ? NO_CLAIMS : p.claims.map((c) => `${p.namespace}/${c}`),
  };
}

const NO_CLAIMS: string[] = [];

/** Sets a pod's usage now (when metrics have it) and keeps only the claims that are bound. */
export function joinUsage(pod: LivePod, usage: PodUsage | undefined, boundClaims: ReadonlySet<string>): void {
  if (usage !== undefined) {
    pod.hasMetrics = true;
    pod.cpuNanoCores = usage.cpuNanoCores;
    pod.memoryBytes = usage.memoryBytes;
  }
  if (pod.claims.length > 0) pod.claims = pod.claims.filter((c) => boundClaims.has(c));
}

function keyOf(pod: LivePod, by: LiveGroupBy): Record<string, string> {
  switch (by) {
    case 'owner':
      return { owner: pod.owner };
    case 'project':
      return { project: pod.project };
    case 'namespace':
      return { namespace: pod.namespace };
    case 'compute-type':
      return { computeType: pod.computeType };
    case 'pod':
      return {
        namespace: pod.namespace,
        pod: pod.name,
        owner: pod.owner,
        project: pod.project,
        computeType: pod.computeType,
      };
  }
}

/** Sums pods into groups as they come; storage counts each bound claim once per group. */
export class LiveGroups {
  private readonly groups = new Map<string, LiveGroup & { claimSet: Set<string> }>();
  constructor(
    private readonly by: LiveGroupBy,
    private readonly capacity: ReadonlyMap<string, bigint>,
  ) {}

  add(pod: LivePod): void {
    const key = keyOf(pod, this.by);
    const id = JSON.stringify(key);
    let g = this.groups.get(id);
    if (g === undefined) {
      g = {
        key,
        pods: 0,
        cpuNanoCores: 0n,
        cpuRequestNanoCores: 0n,
        memoryBytes: 0n,
        memoryRequestBytes: 0n,
        gpus: 0n,
        storageBytes: 0n,
        claimSet: new Set(),
      };
      this.groups.set(id, g);
    }
    g.pods += 1;
    g.cpuNanoCores += pod.cpuNanoCores;
    g.cpuRequestNanoCores += pod.cpuRequestNanoCores;
    g.memoryBytes += pod.memoryBytes;
    g.memoryRequestBytes += pod.memoryRequestBytes;
    g.gpus += pod.gpus;
    for (const c of pod.claims) {
      if (!g.claimSet.has(c)) {
        g.claimSet.add(c);
        g.storageBytes += this.capacity.get(c) ?? 0n;
      }
    }
  }

  result(): LiveGroup[] {
    return [...this.groups.values()].map(({ claimSet: _c, ...g }) => g);
  }
}

export function groupLive(
  pods: readonly LivePod[],
  by: LiveGroupBy,
  capacity: ReadonlyMap<string, bigint>,
): LiveGroup[] {
  const groups = new LiveGroups(by, capacity);
  for (const pod of pods) groups.add(pod);
  return groups.result();
}
