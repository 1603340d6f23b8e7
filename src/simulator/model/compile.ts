/** Scenario → Model: nodes, claims, services, slots, namespaces, and the orders lists need. */
import { invalidArgument } from '../../domain/errors.js';
import type { Millis } from '../../domain/duration.js';
import { addPodSlots, type SlotContext } from './compile-pods.js';
import { compileNodes, Scheduler } from './compile-nodes.js';
import { addGeneratorSlots } from './generators.js';
import { makeRun } from './lifecycle.js';
import { assertUniquePodNames } from './pod-names.js';
import { uuidFor } from './prng.js';
import { quantityNumber } from './units.js';
import type { Model, NamespaceModel, PvcModel, ServiceModel, Slot } from './model.js';
import type { Scenario } from './schema.js';

export interface CompileOptions {
  start?: Millis;
  finishedRetentionMs?: number;
}

export function compileScenario(s: Scenario, options: CompileOptions = {}): Model {
  const given = options.start ?? s.start;
  if (given === undefined) {
    throw invalidArgument(
      `scenario "${s.name}" has no start time`,
      'set start (RFC 3339) in the scenario, or pass the clock start when creating the world',
    );
  }
  // Whole seconds, so that every state change falls on a second.
  const start = Math.floor(given / 1000) * 1000;
  const nodes = compileNodes(s.nodes, s.seed);
  const pvcs: PvcModel[] = s.persistentVolumeClaims.map((c, index) => {
    const uid = uuidFor(s.seed, `pvc:${c.namespace}/${c.name}`);
    return {
      index,
      name: c.name,
      namespace: c.namespace,
      uid,
      pvName: `pvc-${uid}`,
      pvUid: uuidFor(s.seed, `pv:${c.namespace}/${c.name}`),
      storageClass: c.storageClass,
      capacityText: String(c.capacity),
      capacityBytes: quantityNumber(c.capacity),
      usedBytes: c.used === undefined ? 0 : quantityNumber(c.used),
      accessModes: c.accessModes ?? ['ReadWriteOnce'],
      labels: c.labels ?? {},
      start: start + c.start,
      end: c.end === undefined ? undefined : start + c.end,
    };
  });
  const services: ServiceModel[] = s.services.map((v, index) => ({
    index,
    name: v.name,
    namespace: v.namespace,
    uid: uuidFor(s.seed, `svc:${v.namespace}/${v.name}`),
    type: v.type,
    selector: v.selector ?? {},
    ports: v.ports,
    labels: v.labels ?? {},
    clusterIP: `10.100.${(index >> 8) & 255}.${(index & 255) + 10}`,
    start: start + v.start,
    end: v.end === undefined ? undefined : start + v.end,
  }));
  const ctx: SlotContext = {
    seed: s.seed,
    start,
    nodes,
    scheduler: new Scheduler(nodes),
    claims: new Map(pvcs.map((c) => [`${c.namespace}/${c.name}`, c.index])),
    slots: [],
  };
  s.pods.forEach((p, i) => addPodSlots(p, i, ctx));
  for (const g of s.generators) addGeneratorSlots(g, ctx);

  const partial = { name: s.name, seed: s.seed, start, retention: options.finishedRetentionMs ?? 3_600_000 };
  const slots = ctx.slots;
  for (const slot of slots) {
    (slot as { sortKey: string }).sortKey =
      slot.every === 0 ? makeRun({ ...partial } as Model, slot, 0).name : `${slot.baseName}-`;
  }
  assertUniquePodNames(s, slots);
  const slotOrder = Int32Array.from(slots.keys()).sort((a, b) =>
    compareSlots(slots[a] as Slot, slots[b] as Slot),
  );
  const perNode: number[][] = nodes.map(() => []);
  for (const slot of slots) perNode[slot.node]?.push(slot.index);
  return {
    ...partial,
    nodes,
    slots,
    slotOrder,
    slotsByNode: perNode.map((list) => Int32Array.from(list)),
    pvcs,
    services,
    namespaces: namespacesOf(s.seed, start, slots, pvcs, services),
  };
}

function compareSlots(a: Slot, b: Slot): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  return a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0;
}

/** Every namespace any object uses (plus default and kube-system), created at its first object. */
function namespacesOf(
  seed: number,
  start: Millis,
  slots: readonly Slot[],
  pvcs: readonly PvcModel[],
  services: readonly ServiceModel[],
): NamespaceModel[] {
  const first = new Map<string, Millis>([
    ['default', start],
    ['kube-system', start],
  ]);
  const see = (ns: string, t: Millis) => first.set(ns, Math.min(first.get(ns) ?? Infinity, t));
  for (const s of slots) see(s.namespace, s.start);
  for (const c of pvcs) see(c.namespace, c.start);
  for (const v of services) see(v.namespace, v.start);
  return [...first.keys()].sort().map((name) => ({
    name,
    uid: uuidFor(seed, `ns:${name}`),
    created: first.get(name) as Millis,
  }));
}
