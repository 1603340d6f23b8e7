/** The World port (../world.ts) over a compiled scenario. */
import type { Millis } from '../../domain/duration.js';
import type { ListKind, SimHandle, TruthGroupBy, TruthReply, WatchKind, World } from '../world.js';
import { messageBytes } from '../../k8s/protobuf/codec.js';
import { compileScenario } from './compile.js';
import { podUid, runsListedAt, type PodRun } from './lifecycle.js';
import { podChanges } from './pod-events.js';
import { nodeMetrics, podMetrics } from './metrics.js';
import type { Model, NamespaceModel, NodeModel, PvcModel, ServiceModel } from './model.js';
import { WalkCache } from './profiles.js';
import { renderNamespace, renderNode, renderPv, renderPvc, renderService } from './render-infra.js';
import { phaseAt, podIP, podLabels, renderPod, renderWindow } from './render-pod.js';
import type { Scenario } from './schema.js';
import { nodeSummary } from './summary.js';
import { truth } from './truth.js';
import type { Sim } from './usage.js';

export interface WorldOptions {
  /** Overrides the scenario's start (the `real` clock anchors offsets at now). */
  start?: Millis;
  /** How long finished pods stay listed; default 1 h. */
  finishedRetentionMs?: number;
}

type Target =
  | { kind: 'pods'; run: PodRun }
  | { kind: 'nodes'; node: NodeModel }
  | { kind: 'namespaces'; ns: NamespaceModel }
  | { kind: 'persistentvolumeclaims' | 'persistentvolumes'; pvc: PvcModel }
  | { kind: 'services'; svc: ServiceModel };

/** A handle that remembers what it points at, so rendering needs no search. */
interface Handle extends SimHandle {
  readonly target: Target;
}

/** A pod's protobuf bytes over the span in which they stay the same. */
interface PodEntry {
  from: Millis;
  until: Millis;
  bytes?: Uint8Array;
}

interface Listing {
  kind: ListKind;
  t: Millis;
  handles: Handle[];
  byKey: Map<string, Handle>;
}

const byNamespaceThenName = (a: SimHandle, b: SimHandle) =>
  a.namespace === b.namespace
    ? a.name < b.name
      ? -1
      : a.name > b.name
        ? 1
        : 0
    : a.namespace < b.namespace
      ? -1
      : 1;

export function createWorld(scenario: Scenario, options: WorldOptions = {}): World {
  const model = compileScenario(scenario, options);
  const sim: Sim = { model, walks: new WalkCache() };
  // The last listing of each kind: paging asks for the same instant many times.
  const cache = new Map<ListKind, Listing>();
  // Pods in protobuf, each valid while its state stays the same: as from a real API server,
  // which serves unchanged objects from its cache, lists of unchanged pods cost little to serve.
  const podBytes = new Map<string, PodEntry>();
  const podEntry = (uid: string, run: PodRun, t: Millis): PodEntry => {
    const hit = podBytes.get(uid);
    if (hit !== undefined && hit.from <= t && t < hit.until) return hit;
    const listed = cache.get('pods')?.handles.length ?? 0;
    if (podBytes.size >= Math.max(4096, 2 * listed)) podBytes.clear();
    const entry: PodEntry = renderWindow(run, t);
    podBytes.set(uid, entry);
    return entry;
  };

  const listing = (kind: ListKind, t: Millis): Listing => {
    const hit = cache.get(kind);
    if (hit !== undefined && hit.t === t) return hit;
    const handles = buildHandles(model, kind, t).sort(byNamespaceThenName);
    const made: Listing = {
      kind,
      t,
      handles,
      byKey: new Map(handles.map((h) => [`${h.namespace}/${h.name}`, h])),
    };
    cache.set(kind, made);
    return made;
  };

  return {
    scenario: { name: model.name, seed: model.seed, start: model.start },
    list: (kind, t) => listing(kind, t).handles,
    get: (kind, namespace, name, t) => listing(kind, t).byKey.get(`${namespace}/${name}`),
    render: (handle, t) => render(model, (handle as Handle).target, t),
    renderBytes: (handle, t) => {
      const target = (handle as Handle).target;
      if (target.kind !== 'pods') return undefined;
      const entry = podEntry(handle.uid, target.run, t);
      if (entry.bytes === undefined) {
        // apiVersion and kind travel in the envelope, not in the message.
        const { apiVersion: _v, kind: _k, ...pod } = renderPod(model, target.run, t);
        entry.bytes = messageBytes('Pod', pod);
      }
      return entry.bytes;
    },
    fieldValue: (handle, field, t) => fieldValue(model, (handle as Handle).target, field, t),
    podMetrics: (handle, t) => {
      const target = (handle as Handle).target;
      return target.kind === 'pods' ? podMetrics(sim, target.run, t) : undefined;
    },
    nodeMetrics: (handle, t) => {
      const target = (handle as Handle).target;
      return target.kind === 'nodes' ? nodeMetrics(sim, target.node, t) : undefined;
    },
    nodeSummary: (nodeName, t) => {
      const node = model.nodes.find((n) => n.name === nodeName);
      return node === undefined ? undefined : nodeSummary(sim, node, t);
    },
    truth: (from: Millis, to: Millis, groupBy: TruthGroupBy): TruthReply => truth(sim, from, to, groupBy),
    events: (kind, from, to) =>
      kind === 'pods'
        ? podChanges(model, from, to).map((c) => ({
            type: c.type,
            time: c.time,
            handle: podHandle(model, c.run),
          }))
        : lifetimeEvents(model, kind, from, to),
    // The cluster time in ms, the scale of every object's resourceVersion (the time of its last
    // change), so that a watch can start from a list's version.
    resourceVersion: (t) => String(Math.max(1, t)),
  };
}

function podHandle(model: Model, run: PodRun): Handle {
  return {
    kind: 'pods',
    name: run.name,
    namespace: run.slot.namespace,
    uid: podUid(model, run),
    labels: podLabels(model, run),
    target: { kind: 'pods', run },
  };
}

const live = (start: Millis, end: Millis | undefined, t: Millis) => start <= t && t < (end ?? Infinity);

/**
 * Claims, their volumes, services and namespaces change only when they come and go: ADDED at
 * start, DELETED at end (namespaces never end). Nodes exist for the whole scenario: no events.
 */
function lifetimeEvents(
  model: Model,
  kind: Exclude<WatchKind, 'pods'>,
  from: Millis,
  to: Millis,
): { type: 'ADDED' | 'DELETED'; time: Millis; handle: Handle }[] {
  const inWindow = (t: Millis | undefined) => t !== undefined && from < t && t <= to;
  const out: { type: 'ADDED' | 'DELETED'; time: Millis; handle: Handle }[] = [];
  const add = (o: { start: Millis; end: Millis | undefined }, handle: () => Handle) => {
    if (inWindow(o.start)) out.push({ type: 'ADDED', time: o.start, handle: handle() });
    if (inWindow(o.end)) out.push({ type: 'DELETED', time: o.end as Millis, handle: handle() });
  };
  if (kind === 'persistentvolumeclaims') for (const pvc of model.pvcs) add(pvc, () => pvcHandle(pvc));
  else if (kind === 'persistentvolumes') for (const pvc of model.pvcs) add(pvc, () => pvHandle(pvc));
  else if (kind === 'services') for (const svc of model.services) add(svc, () => serviceHandle(svc));
  else if (kind === 'namespaces')
    for (const ns of model.namespaces) add({ start: ns.created, end: undefined }, () => namespaceHandle(ns));
  return out.sort((a, b) => a.time - b.time || (a.type === b.type ? 0 : a.type === 'ADDED' ? -1 : 1));
}

function pvcHandle(pvc: PvcModel): Handle {
  const kind = 'persistentvolumeclaims';
  return {
    kind,
    name: pvc.name,
    namespace: pvc.namespace,
    uid: pvc.uid,
    labels: pvc.labels,
    target: { kind, pvc },
  };
}

function pvHandle(pvc: PvcModel): Handle {
  const kind = 'persistentvolumes';
  return { kind, name: pvc.pvName, namespace: '', uid: pvc.pvUid, labels: {}, target: { kind, pvc } };
}

function namespaceHandle(ns: NamespaceModel): Handle {
  const kind = 'namespaces';
  return {
    kind,
    name: ns.name,
    namespace: '',
    uid: ns.uid,
    labels: { 'kubernetes.io/metadata.name': ns.name },
    target: { kind, ns },
  };
}

function serviceHandle(svc: ServiceModel): Handle {
  const kind = 'services';
  return {
    kind,
    name: svc.name,
    namespace: svc.namespace,
    uid: svc.uid,
    labels: svc.labels,
    target: { kind, svc },
  };
}

function buildHandles(model: Model, kind: ListKind, t: Millis): Handle[] {
  switch (kind) {
    case 'pods': {
      const out: Handle[] = [];
      for (const i of model.slotOrder) {
        for (const run of runsListedAt(model, model.slots[i] as Model['slots'][number], t)) {
          out.push(podHandle(model, run));
        }
      }
      return out;
    }
    case 'nodes':
      return model.nodes.map((node) => ({
        kind,
        name: node.name,
        namespace: '',
        uid: node.uid,
        labels: node.labels,
        target: { kind, node },
      }));
    case 'namespaces':
      return model.namespaces.filter((ns) => ns.created <= t).map(namespaceHandle);
    case 'persistentvolumeclaims':
      return model.pvcs.filter((c) => live(c.start, c.end, t)).map(pvcHandle);
    case 'persistentvolumes':
      return model.pvcs.filter((c) => live(c.start, c.end, t)).map(pvHandle);
    case 'services':
      return model.services.filter((v) => live(v.start, v.end, t)).map(serviceHandle);
  }
}

function render(model: Model, target: Target, t: Millis): Record<string, unknown> {
  switch (target.kind) {
    case 'pods':
      return renderPod(model, target.run, t);
    case 'nodes':
      return renderNode(model, target.node, t);
    case 'namespaces':
      return renderNamespace(target.ns);
    case 'persistentvolumeclaims':
      return renderPvc(target.pvc, t);
    case 'persistentvolumes':
      return renderPv(target.pvc);
    case 'services':
      return renderService(target.svc, t);
  }
}

/** Field-selector fields each kind supports, as the API server's field label conversions. */
function fieldValue(model: Model, target: Target, field: string, t: Millis): string | undefined {
  switch (target.kind) {
    case 'pods': {
      const run = target.run;
      const fields: Record<string, () => string> = {
        'metadata.name': () => run.name,
        'metadata.namespace': () => run.slot.namespace,
        'spec.nodeName': () => (model.nodes[run.slot.node] as NodeModel).name,
        'spec.restartPolicy': () => run.slot.template.restartPolicy,
        'spec.schedulerName': () => 'default-scheduler',
        'spec.serviceAccountName': () => run.slot.template.serviceAccountName,
        'spec.hostNetwork': () => String(run.slot.template.hostNetwork),
        'status.phase': () => phaseAt(run, t),
        'status.podIP': () => (phaseAt(run, t) === 'Pending' ? '' : podIP(model, run)),
        'status.nominatedNodeName': () => '',
      };
      return fields[field]?.();
    }
    case 'nodes':
      return field === 'metadata.name'
        ? target.node.name
        : field === 'spec.unschedulable'
          ? 'false'
          : undefined;
    case 'namespaces':
      return field === 'metadata.name' ? target.ns.name : field === 'status.phase' ? 'Active' : undefined;
    case 'persistentvolumes':
      return field === 'metadata.name' ? target.pvc.pvName : undefined;
    case 'persistentvolumeclaims':
      return field === 'metadata.name'
        ? target.pvc.name
        : field === 'metadata.namespace'
          ? target.pvc.namespace
          : undefined;
    case 'services':
      return field === 'metadata.name'
        ? target.svc.name
        : field === 'metadata.namespace'
          ? target.svc.namespace
          : undefined;
  }
}
