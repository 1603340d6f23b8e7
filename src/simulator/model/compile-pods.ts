/** Scenario `pods[]` entries → slots (one per replica, or per node for DaemonSets). */
import { invalidArgument } from '../../domain/errors.js';
import { compileTemplate } from './compile-template.js';
import { templateHash } from './naming.js';
import type { Scheduler } from './compile-nodes.js';
import type { NodeModel, Slot } from './model.js';
import type { ControllerKind, PodInput } from './schema.js';

export interface SlotContext {
  readonly seed: number;
  readonly start: number;
  readonly nodes: readonly NodeModel[];
  readonly scheduler: Scheduler;
  /** `namespace/name` → PVC index. */
  readonly claims: ReadonlyMap<string, number>;
  readonly slots: Slot[];
}

export function addPodSlots(p: PodInput, index: number, ctx: SlotContext): void {
  const controller: ControllerKind = p.controller?.kind ?? (p.every !== undefined ? 'CronJob' : 'none');
  // A controller names its pods itself (web-7d9f8c6b5-x2x4q): a `{i}` meant for bare replicas
  // has no place in the controller's name.
  const baseName = p.controller?.name ?? (controller === 'none' ? p.name : withoutIndex(p.name));
  const restartPolicy =
    controller === 'Job' || controller === 'CronJob' || p.every !== undefined ? 'Never' : 'Always';
  const template = compileTemplate(p, restartPolicy);
  const volumes = (p.volumes ?? []).map((v, j) => {
    const claim = ctx.claims.get(`${p.namespace}/${v.claim}`);
    if (claim === undefined)
      throw invalidArgument(
        `pods[${index}].volumes[${j}].claim: unknown claim "${v.claim}"`,
        'declare it under persistentVolumeClaims in the same namespace',
      );
    return { name: v.name ?? v.claim, claim };
  });
  ctx.scheduler.assertFits({
    ...(p.node === undefined
      ? { selector: p.nodeSelector }
      : { pinned: ctx.nodes[nodeIndex(ctx.nodes, p.node)] as NodeModel }),
    gpus: template.gpus,
    cpuCores: template.cpuRequestCores,
    memoryBytes: template.memoryRequestBytes,
    what: `pods[${index}]`,
  });
  // A static pod (controller: Node) is a kubelet's manifest: on the node named, else on every
  // node the selector takes, as a DaemonSet's pods are.
  const nodes =
    controller === 'Node' && p.node !== undefined
      ? [nodeIndex(ctx.nodes, p.node)]
      : controller === 'DaemonSet' || controller === 'Node'
        ? ctx.scheduler.eligible(p.nodeSelector, template.gpus).map((n) => n.index)
        : Array.from({ length: p.replicas }, () =>
            p.node !== undefined
              ? nodeIndex(ctx.nodes, p.node)
              : ctx.scheduler.pick(p.nodeSelector, template.gpus),
          );
  const hash = templateHash(ctx.seed, `${p.namespace}/${baseName}`);
  const labels = { ...(p.labels ?? {}) };
  nodes.forEach((node, replica) => {
    const key = `pod:${p.namespace}/${p.name}:${replica}`;
    const single = p.every === undefined;
    const bareName =
      controller === 'Node'
        ? `${baseName}-${ctx.nodes[node]?.name ?? ''}`
        : controller !== 'none' || !single
          ? baseName
          : p.name.includes('{i}')
            ? p.name.replaceAll('{i}', String(replica))
            : p.replicas > 1
              ? `${p.name}-${replica}`
              : p.name;
    const slot: Slot = {
      index: ctx.slots.length,
      key,
      namespace: p.namespace,
      labels,
      node,
      template,
      volumes,
      controller,
      baseName: bareName,
      replica,
      templateHash: hash,
      start: ctx.start + p.start,
      every: p.every ?? 0,
      end: p.end === undefined ? undefined : ctx.start + p.end,
      duration: p.duration,
      pending: p.pending,
      exit: p.exit,
      sortKey: '',
    };
    ctx.slots.push(slot);
  });
}

function nodeIndex(nodes: readonly NodeModel[], name: string): number {
  const n = nodes.find((x) => x.name === name);
  if (n === undefined)
    throw invalidArgument(
      `no node named "${name}"`,
      'use a name from nodes (with {i} expanded: cpu-1, cpu-2, ...)',
    );
  return n.index;
}

function withoutIndex(name: string): string {
  const bare = name
    .replaceAll('{i}', '')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+$/g, '');
  return bare === '' ? 'pod' : bare;
}
