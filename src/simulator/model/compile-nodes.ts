/** Nodes: expanded from `{i}` patterns, with cloud labels, addresses and system usage. */
import { invalidArgument } from '../../domain/errors.js';
import { compileProfile } from './profiles.js';
import { uuidFor } from './prng.js';
import { quantityNumber } from './units.js';
import { expandNodeNames } from './naming.js';
import type { NodeModel } from './model.js';
import type { NodeInput } from './schema.js';

const ZONES = ['a', 'b', 'c'];

export function compileNodes(inputs: readonly NodeInput[], seed: number): NodeModel[] {
  const nodes: NodeModel[] = [];
  for (const n of inputs) {
    expandNodeNames(n.name, n.count).forEach((name, i) => {
      const index = nodes.length;
      const zone = n.zone ?? `${n.region}${ZONES[i % ZONES.length]}`;
      const spot = n.capacityType === 'spot';
      const capacity: Record<string, string> = { pods: '110', ...text(n.capacity) };
      const allocatable = { ...capacity, ...text(n.allocatable) };
      const labels: Record<string, string> = {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/instance-type': n.instanceType,
        'beta.kubernetes.io/os': 'linux',
        'eks.amazonaws.com/capacityType': spot ? 'SPOT' : 'ON_DEMAND',
        'failure-domain.beta.kubernetes.io/region': n.region,
        'failure-domain.beta.kubernetes.io/zone': zone,
        'karpenter.sh/capacity-type': spot ? 'spot' : 'on-demand',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
        [`node-role.kubernetes.io/${n.role}`]: '',
        'node.kubernetes.io/instance-type': n.instanceType,
        'topology.kubernetes.io/region': n.region,
        'topology.kubernetes.io/zone': zone,
        ...(n.labels ?? {}),
      };
      const gpus = capacity['nvidia.com/gpu'] === undefined ? 0 : quantityNumber(capacity['nvidia.com/gpu']);
      if (gpus > 0) labels['nvidia.com/gpu.present'] = 'true';
      nodes.push({
        index,
        name,
        uid: uuidFor(seed, `node:${name}`),
        labels,
        capacity,
        allocatable,
        gpus,
        internalIP: `192.168.${(index >> 8) & 255}.${(index & 255) + 1}`,
        providerID: `aws:///${zone}/i-0${uuidFor(seed, `instance:${name}`).replaceAll('-', '').slice(0, 16)}`,
        systemCpu: compileProfile(n.systemUsage?.cpu ?? '100m'),
        systemMemory: compileProfile(n.systemUsage?.memory ?? '600Mi'),
        role: n.role,
      });
    });
  }
  return nodes;
}

/** A node's allocatable CPU (cores) or memory (bytes); a node that gives none has no limit. */
function allocatableOf(n: NodeModel, resource: 'cpu' | 'memory'): number {
  const v = n.allocatable[resource];
  return v === undefined ? Infinity : quantityNumber(v);
}

function formatAmount(resource: 'cpu' | 'memory', amount: number): string {
  return resource === 'cpu'
    ? `${amount} CPU`
    : `${(amount / 2 ** 30).toFixed(2).replace(/\.?0+$/, '')}Gi of memory`;
}

function text(list: Readonly<Record<string, string | number>> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(list ?? {}).map(([k, v]) => [k, String(v)]));
}

/** Picks nodes for pods without a `node`: matching the selector, GPU pods on GPU nodes, round-robin. */
export class Scheduler {
  private readonly counters = new Map<string, number>();
  constructor(private readonly nodes: readonly NodeModel[]) {}

  eligible(selector: Readonly<Record<string, string>> | undefined, gpus: number): NodeModel[] {
    const matching = this.nodes.filter((n) =>
      Object.entries(selector ?? {}).every(([k, v]) => n.labels[k] === v),
    );
    const gpuFit = matching.filter((n) => (gpus > 0 ? n.gpus >= gpus : n.gpus === 0));
    return gpuFit.length > 0 ? gpuFit : matching.length > 0 ? matching : [...this.nodes];
  }

  /**
   * Refuses pods (`what` names them) that no node could run: a nodeSelector that no node matches,
   * GPUs that no matching node (or the node they are pinned to) has, or more CPU or memory (the
   * scheduler's effective request) than such a node's allocatable. A real scheduler would leave
   * them Pending, and the truth would bill a pod, or GPUs, that never ran.
   */
  assertFits(o: {
    selector?: Readonly<Record<string, string>>;
    gpus: number;
    cpuCores: number;
    memoryBytes: number;
    what: string;
    pinned?: NodeModel;
  }): void {
    const { selector, gpus, what, pinned } = o;
    const matching =
      pinned !== undefined
        ? [pinned]
        : this.nodes.filter((n) => Object.entries(selector ?? {}).every(([k, v]) => n.labels[k] === v));
    if (matching.length === 0)
      throw invalidArgument(
        `${what}: nodeSelector ${JSON.stringify(selector)} matches no node`,
        'use labels that a node has (nodes[].labels, or the ones the simulator sets, such as node.kubernetes.io/instance-type)',
      );
    const where = (has: string) =>
      pinned !== undefined
        ? `node ${pinned.name} has ${has}`
        : `no node${selector === undefined ? '' : ' matching its nodeSelector'} has that many`;
    if (gpus > 0 && !matching.some((n) => n.gpus >= gpus))
      throw invalidArgument(
        `${what}: requests ${gpus} nvidia.com/gpu, but ${where(String(pinned?.gpus))}`,
        'add a node with nvidia.com/gpu in its capacity, or lower the request (a real scheduler would leave the pod Pending)',
      );
    for (const [resource, wanted] of [
      ['cpu', o.cpuCores],
      ['memory', o.memoryBytes],
    ] as const) {
      const room = (n: NodeModel) => allocatableOf(n, resource);
      if (wanted === 0 || matching.some((n) => room(n) >= wanted)) continue;
      throw invalidArgument(
        `${what}: requests ${formatAmount(resource, wanted)} (init containers and overhead included), but ${where(
          pinned === undefined ? '' : `${formatAmount(resource, room(pinned))} allocatable`,
        )}`,
        `lower the request or add a node whose allocatable ${resource} holds it (a real scheduler would leave the pod Pending)`,
      );
    }
  }

  private readonly eligibleByKey = new Map<string, NodeModel[]>();

  pick(selector: Readonly<Record<string, string>> | undefined, gpus: number): number {
    const key = `${JSON.stringify(selector ?? {})}|${gpus > 0}`;
    let nodes = this.eligibleByKey.get(key);
    if (nodes === undefined) this.eligibleByKey.set(key, (nodes = this.eligible(selector, gpus)));
    const n = this.counters.get(key) ?? 0;
    this.counters.set(key, n + 1);
    return (nodes[n % nodes.length] as NodeModel).index;
  }
}
