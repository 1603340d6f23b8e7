/** A v1 Pod as the API server returns it at a time: spec, phase, conditions, container states. */
import type { Millis } from '../../domain/duration.js';
import { rfc3339 } from '../../domain/time.js';
import { hashKey, mix, uuidFor } from './prng.js';
import { kubeletUid, ownerOf, podUid, segments, type PodRun } from './lifecycle.js';
import type { Model } from './model.js';

export type Phase = 'Pending' | 'Running' | 'Succeeded' | 'Failed';

export function phaseAt(run: PodRun, t: Millis): Phase {
  if (t < run.running) return 'Pending';
  if (t < run.finish || run.exit === 'deleted' || run.exit === 'none') return 'Running';
  return run.exit === 'failed' ? 'Failed' : 'Succeeded';
}

export function podIP(model: Model, run: PodRun): string {
  const node = run.slot.node;
  // A pod in the node's network namespace has the node's address.
  if (run.slot.template.hostNetwork) return model.nodes[node]?.internalIP ?? '';
  const host = (mix(hashKey(model.seed, `ip:${run.slot.key}`), run.k) % 250) + 2;
  return `10.${1 + ((node >> 8) & 127)}.${node & 255}.${host}`;
}

const API_VERSION: Record<string, string> = {
  ReplicaSet: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  Job: 'batch/v1',
};

/** Labels of a pod: the slot's, plus what its controller adds. */
export function podLabels(model: Model, run: PodRun): Readonly<Record<string, string>> {
  const slot = run.slot;
  const owner = ownerOf(model, slot, run.k, run.created);
  switch (slot.controller) {
    case 'Deployment':
      return { ...slot.labels, 'pod-template-hash': slot.templateHash };
    case 'StatefulSet':
      return {
        ...slot.labels,
        'apps.kubernetes.io/pod-index': String(slot.replica),
        'statefulset.kubernetes.io/pod-name': run.name,
      };
    case 'Job':
    case 'CronJob': {
      const jobName = (owner as { name: string }).name;
      const uid = uuidFor(model.seed, `owner:Job:${slot.namespace}/${jobName}`);
      return {
        ...slot.labels,
        'batch.kubernetes.io/controller-uid': uid,
        'batch.kubernetes.io/job-name': jobName,
        'controller-uid': uid,
        'job-name': jobName,
      };
    }
    default:
      return slot.labels;
  }
}

/**
 * The span [from, until) around `t` over which the pod renders the same: it changes only at its
 * creation, its start, its end and each container's starts and ends.
 */
export function renderWindow(run: PodRun, t: Millis): { from: Millis; until: Millis } {
  let from = run.created;
  let until = Infinity;
  const see = (e: Millis) => {
    if (e <= t) from = Math.max(from, e);
    else until = Math.min(until, e);
  };
  see(run.running);
  see(run.finish);
  for (let c = 0; c < run.slot.template.containers.length; c++) {
    for (const s of segments(run, c)) {
      see(s.start);
      see(s.end);
    }
  }
  return { from, until };
}

export function renderPod(model: Model, run: PodRun, t: Millis): Record<string, unknown> {
  const slot = run.slot;
  const tpl = slot.template;
  const phase = phaseAt(run, t);
  const node = model.nodes[slot.node];
  const owner = ownerOf(model, slot, run.k, run.created);
  const metadata: Record<string, unknown> = {
    name: run.name,
    namespace: slot.namespace,
    uid: podUid(model, run),
    // Written at its last change, as etcd would have it.
    resourceVersion: String(Math.max(1, renderWindow(run, t).from)),
    creationTimestamp: rfc3339(run.created),
    labels: podLabels(model, run),
  };
  const annotations =
    slot.controller === 'Node'
      ? {
          ...tpl.annotations,
          'kubernetes.io/config.hash': kubeletUid(model, run),
          'kubernetes.io/config.mirror': kubeletUid(model, run),
          'kubernetes.io/config.source': 'file',
        }
      : tpl.annotations;
  if (Object.keys(annotations).length > 0) metadata.annotations = annotations;
  if (owner !== undefined) {
    metadata.ownerReferences = [
      {
        apiVersion: API_VERSION[owner.kind] ?? 'v1',
        kind: owner.kind,
        name: owner.name,
        uid:
          owner.kind === 'Node'
            ? (model.nodes[slot.node]?.uid ?? '')
            : uuidFor(model.seed, `owner:${owner.kind}:${slot.namespace}/${owner.name}`),
        controller: true,
        blockOwnerDeletion: true,
      },
    ];
  }
  const resources = (c: { requests: object; limits: object }) => ({
    ...(Object.keys(c.limits).length > 0 ? { limits: c.limits } : {}),
    ...(Object.keys(c.requests).length > 0 ? { requests: c.requests } : {}),
  });
  const spec: Record<string, unknown> = {
    containers: tpl.containers.map((c) => ({
      name: c.name,
      image: c.image,
      imagePullPolicy: 'IfNotPresent',
      resources: resources(c),
      terminationMessagePath: '/dev/termination-log',
      terminationMessagePolicy: 'File',
    })),
    dnsPolicy: 'ClusterFirst',
    enableServiceLinks: true,
    nodeName: node?.name,
    preemptionPolicy: 'PreemptLowerPriority',
    priority: 0,
    restartPolicy: tpl.restartPolicy,
    schedulerName: 'default-scheduler',
    securityContext: {},
    serviceAccount: tpl.serviceAccountName,
    serviceAccountName: tpl.serviceAccountName,
    terminationGracePeriodSeconds: 30,
    volumes: slot.volumes.map((v) => ({
      name: v.name,
      persistentVolumeClaim: { claimName: model.pvcs[v.claim]?.name },
    })),
  };
  if (tpl.initContainers.length > 0) {
    spec.initContainers = tpl.initContainers.map((c) => ({
      name: c.name,
      image: c.image,
      resources: resources(c),
    }));
  }
  if (Object.keys(tpl.overhead).length > 0) spec.overhead = tpl.overhead;
  if (tpl.priorityClassName !== undefined) spec.priorityClassName = tpl.priorityClassName;
  if (tpl.hostNetwork) spec.hostNetwork = true;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    spec,
    status: renderStatus(model, run, t, phase, node?.internalIP ?? ''),
  };
}

function renderStatus(
  model: Model,
  run: PodRun,
  t: Millis,
  phase: Phase,
  hostIP: string,
): Record<string, unknown> {
  const tpl = run.slot.template;
  const statuses = tpl.containers.map((c, i) => containerStatus(model, run, i, c.name, c.image, t));
  const ready = phase === 'Running' && statuses.every((s) => s.ready);
  const done = phase === 'Succeeded' || phase === 'Failed';
  const readySince = ready
    ? Math.max(run.running, ...statuses.map((s) => (s.runningSince as number | undefined) ?? run.running))
    : done
      ? run.finish
      : run.created;
  const cond = (type: string, ok: boolean, since: Millis, reason?: string) => ({
    type,
    status: ok ? 'True' : 'False',
    lastProbeTime: null,
    lastTransitionTime: rfc3339(since),
    ...(reason === undefined ? {} : { reason }),
  });
  const status: Record<string, unknown> = {
    phase,
    conditions: [
      cond('PodReadyToStartContainers', !done, done ? run.finish : run.created),
      cond(
        'Initialized',
        t >= run.running,
        t >= run.running ? run.running : run.created,
        done ? 'PodCompleted' : undefined,
      ),
      cond('Ready', ready, readySince, ready ? undefined : done ? 'PodCompleted' : 'ContainersNotReady'),
      cond(
        'ContainersReady',
        ready,
        readySince,
        ready ? undefined : done ? 'PodCompleted' : 'ContainersNotReady',
      ),
      cond('PodScheduled', true, run.created),
    ],
    hostIP,
    hostIPs: [{ ip: hostIP }],
    podIP: podIP(model, run),
    podIPs: [{ ip: podIP(model, run) }],
    qosClass: tpl.qosClass,
    startTime: rfc3339(run.created),
    containerStatuses: statuses.map(({ runningSince: _r, ...s }) => s),
  };
  if (tpl.initContainers.length > 0) {
    status.initContainerStatuses = tpl.initContainers.map((c, i) => {
      const finished = t >= run.running;
      return {
        name: c.name,
        image: c.image,
        imageID: imageID(c.image),
        containerID: containerID(model, run, `init${i}`, 0),
        ready: finished,
        restartCount: 0,
        started: !finished,
        state: finished
          ? {
              terminated: {
                exitCode: 0,
                reason: 'Completed',
                startedAt: rfc3339(run.created),
                finishedAt: rfc3339(run.running),
                containerID: containerID(model, run, `init${i}`, 0),
              },
            }
          : { running: { startedAt: rfc3339(run.created) } },
      };
    });
  }
  return status;
}

const imageIDs = new Map<string, string>();

function imageID(image: string): string {
  let id = imageIDs.get(image);
  if (id === undefined) {
    id = `${image.split(':')[0]}@sha256:${uuidFor(0, image).replaceAll('-', '')}${uuidFor(1, image).replaceAll('-', '')}`;
    imageIDs.set(image, id);
  }
  return id;
}

function containerID(model: Model, run: PodRun, name: string, attempt: number): string {
  const id = `${uuidFor(model.seed, `ctr:${run.slot.key}#${run.k}/${name}/${attempt}`)}${uuidFor(model.seed, `ctr2:${run.slot.key}#${run.k}/${name}/${attempt}`)}`;
  return `containerd://${id.replaceAll('-', '')}`;
}

function containerStatus(model: Model, run: PodRun, c: number, name: string, image: string, t: Millis) {
  const segs = segments(run, c);
  const started = segs.filter((s) => s.start <= t);
  const restartCount =
    Math.max(0, started.length - 1) +
    (started.at(-1)?.crashed && (started.at(-1)?.end ?? Infinity) <= t ? 1 : 0);
  const current = started.at(-1);
  const base = { name, image, imageID: imageID(image), restartCount };
  const reason = run.slot.template.containers[c]?.restartReason ?? 'Error';
  const terminated = (s: { start: number; end: number; crashed: boolean }, attempt: number) => ({
    terminated: {
      exitCode: s.crashed ? (reason === 'OOMKilled' ? 137 : 1) : run.exit === 'failed' ? 1 : 0,
      reason: s.crashed ? reason : run.exit === 'failed' ? 'Error' : 'Completed',
      startedAt: rfc3339(s.start),
      finishedAt: rfc3339(s.end),
      containerID: containerID(model, run, name, attempt),
    },
  });
  if (current === undefined) {
    return {
      ...base,
      ready: false,
      started: false,
      state: { waiting: { reason: 'ContainerCreating' } },
      lastState: {},
      runningSince: undefined as number | undefined,
    };
  }
  const attempt = started.length - 1;
  const previous = attempt > 0 ? terminated(started[attempt - 1] as (typeof segs)[number], attempt - 1) : {};
  if (t < current.end) {
    return {
      ...base,
      containerID: containerID(model, run, name, attempt),
      ready: true,
      started: true,
      state: { running: { startedAt: rfc3339(current.start) } },
      lastState: previous,
      runningSince: current.start as number | undefined,
    };
  }
  if (current.crashed) {
    return {
      ...base,
      containerID: containerID(model, run, name, attempt),
      ready: false,
      started: false,
      state: {
        waiting: { reason: 'CrashLoopBackOff', message: `back-off 10s restarting failed container=${name}` },
      },
      lastState: terminated(current, attempt),
      runningSince: undefined,
    };
  }
  return {
    ...base,
    containerID: containerID(model, run, name, attempt),
    ready: false,
    started: false,
    state: terminated(current, attempt),
    lastState: previous,
    runningSince: undefined,
  };
}
