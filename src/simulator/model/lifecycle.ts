/**
 * Pod lifecycles: which pods of a slot exist at a time, when each is Pending, Running and done,
 * and the running segments of each container (a crash ends one segment; the next starts after
 * the restart delay). Everything is a pure function of (slot, k).
 */
import type { Millis } from '../../domain/duration.js';
import { nameSuffix, rand, uuidFor } from './prng.js';
import { RESTART_DELAY_MS, type Model, type Slot } from './model.js';

export type RunExit = 'succeeded' | 'failed' | 'deleted' | 'none';

/** One pod: occurrence `k` of a slot. */
export interface PodRun {
  readonly slot: Slot;
  readonly k: number;
  readonly name: string;
  /** Creation (Pending from here). */
  readonly created: Millis;
  /** Running from here (equal to finish when the pod ends before it runs). */
  readonly running: Millis;
  /** Running until here; Infinity when it never ends. */
  readonly finish: Millis;
  readonly exit: RunExit;
  /** Listed by the API server until here (exclusive). */
  readonly listedUntil: Millis;
}

/** A container's running span [start, end), and how it ended. */
export interface Segment {
  readonly start: Millis;
  readonly end: Millis;
  /** True when the segment ended in a crash (followed by a restart). */
  readonly crashed: boolean;
}

function drawDuration(model: Model, slot: Slot, k: number): Millis | undefined {
  const d = slot.duration;
  if (d === undefined) return undefined;
  const spanSec = Math.floor((d.max - d.min) / 1000);
  return d.min + Math.floor(rand(model.seed, `dur:${slot.key}`, k) * (spanSec + 1)) * 1000;
}

export function makeRun(model: Model, slot: Slot, k: number): PodRun {
  const created = slot.start + k * slot.every;
  const dur = drawDuration(model, slot, k);
  let finish: Millis;
  if (slot.every > 0) finish = created + slot.pending + (dur ?? 0);
  else if (slot.end !== undefined) finish = slot.end;
  else finish = dur === undefined ? Infinity : created + slot.pending + dur;
  const running = Math.min(created + slot.pending, finish);
  const batch = slot.controller === 'Job' || slot.controller === 'CronJob' || slot.every > 0;
  const exit: RunExit = finish === Infinity ? 'none' : (slot.exit ?? (batch ? 'succeeded' : 'deleted'));
  const listedUntil = exit === 'none' ? Infinity : exit === 'deleted' ? finish : finish + model.retention;
  return { slot, k, name: podName(model, slot, k, created), created, running, finish, exit, listedUntil };
}

/** The controller that owns a run (kind and name), or undefined for a bare pod. */
export function ownerOf(
  model: Model,
  slot: Slot,
  k: number,
  created: Millis,
): { kind: string; name: string } | undefined {
  switch (slot.controller) {
    case 'none':
      return undefined;
    case 'Deployment':
      return { kind: 'ReplicaSet', name: `${slot.baseName}-${slot.templateHash}` };
    case 'ReplicaSet':
      return { kind: 'ReplicaSet', name: slot.baseName };
    case 'StatefulSet':
      return { kind: 'StatefulSet', name: slot.baseName };
    case 'DaemonSet':
      return { kind: 'DaemonSet', name: slot.baseName };
    case 'Job':
      return { kind: 'Job', name: slot.every > 0 ? `${slot.baseName}-${k + 1}` : slot.baseName };
    case 'CronJob':
      return { kind: 'Job', name: `${slot.baseName}-${Math.floor(created / 60_000)}` };
    case 'Node': // a static pod's mirror: the kubelet makes it, owned by its node
      return { kind: 'Node', name: model.nodes[slot.node]?.name ?? '' };
  }
}

function podName(model: Model, slot: Slot, k: number, created: Millis): string {
  const suffix = () => nameSuffix(model.seed, `${slot.key}#${k}`);
  switch (slot.controller) {
    case 'none':
      return slot.every > 0 ? `${slot.baseName}-${Math.floor(created / 60_000)}` : slot.baseName;
    case 'StatefulSet':
      return `${slot.baseName}-${slot.replica}`;
    case 'Node': // NAME-NODE, named when compiled
      return slot.baseName;
    default:
      return `${(ownerOf(model, slot, k, created) as { name: string }).name}-${suffix()}`;
  }
}

export function podUid(model: Model, run: PodRun): string {
  return uuidFor(model.seed, `pod:${run.slot.key}#${run.k}`);
}

/**
 * The UID the kubelet knows a pod by: the API server's, except for a static pod, which the kubelet
 * names by its manifest's hash (32 hex digits) and shows in the API as a mirror pod of another UID,
 * annotated `kubernetes.io/config.mirror` with the hash.
 */
export function kubeletUid(model: Model, run: PodRun): string {
  if (run.slot.controller !== 'Node') return podUid(model, run);
  return uuidFor(model.seed, `static:${run.slot.key}#${run.k}`).replaceAll('-', '');
}

/** Occurrence indexes of a slot whose pods are created before `to` and may matter after `from`. */
function occurrenceRange(model: Model, slot: Slot, from: Millis, to: Millis, tail: Millis): [number, number] {
  if (slot.every === 0) return slot.start < to ? [0, 0] : [0, -1];
  const lastCreated = Math.min(to, slot.end ?? Infinity) - 1;
  const hi = Math.floor((lastCreated - slot.start) / slot.every);
  const longest = slot.pending + (slot.duration?.max ?? 0) + tail;
  const lo = Math.max(0, Math.floor((from - slot.start - longest) / slot.every));
  return [lo, hi];
}

/** Pods of a slot listed at `t`, in creation order. */
export function runsListedAt(model: Model, slot: Slot, t: Millis): PodRun[] {
  const [lo, hi] = occurrenceRange(model, slot, t, t + 1, model.retention);
  const out: PodRun[] = [];
  for (let k = lo; k <= hi; k++) {
    const run = makeRun(model, slot, k);
    if (run.created <= t && t < run.listedUntil) out.push(run);
  }
  return out;
}

/** Pods of a slot listed at some time in [from, to], in creation order (for watch events). */
export function runsListedIn(model: Model, slot: Slot, from: Millis, to: Millis): PodRun[] {
  const [lo, hi] = occurrenceRange(model, slot, from, to + 1, model.retention);
  const out: PodRun[] = [];
  for (let k = lo; k <= hi; k++) {
    const run = makeRun(model, slot, k);
    if (run.created <= to && from <= run.listedUntil) out.push(run);
  }
  return out;
}

/** Pods of a slot that are Running at some time in [from, to). */
export function runsRunningIn(model: Model, slot: Slot, from: Millis, to: Millis): PodRun[] {
  const [lo, hi] = occurrenceRange(model, slot, from, to, 0);
  const out: PodRun[] = [];
  for (let k = lo; k <= hi; k++) {
    const run = makeRun(model, slot, k);
    if (run.running < to && run.finish > from && run.running < run.finish) out.push(run);
  }
  return out;
}

/** Runs of `slot` holding their requests at some time in [from, to): from their first container start. */
export function runsOccupyingIn(model: Model, slot: Slot, from: Millis, to: Millis): PodRun[] {
  const hasInit = slot.template.initContainers.length > 0;
  const [lo, hi] = occurrenceRange(model, slot, from, to, 0);
  const out: PodRun[] = [];
  for (let k = lo; k <= hi; k++) {
    const run = makeRun(model, slot, k);
    const start = hasInit ? Math.min(run.created, run.running) : run.running;
    if (start < to && run.finish > from && start < run.finish) out.push(run);
  }
  return out;
}

/** Running segments of container `c` of a run. */
export function segments(run: PodRun, c: number): Segment[] {
  const container = run.slot.template.containers[c];
  const out: Segment[] = [];
  if (container === undefined || run.running >= run.finish) return out;
  let start = run.running;
  for (const offset of container.restarts) {
    const crash = run.created + offset;
    if (crash <= start) continue;
    if (crash >= run.finish) break;
    out.push({ start, end: crash, crashed: true });
    start = crash + RESTART_DELAY_MS;
    if (start >= run.finish) return out;
  }
  out.push({ start, end: run.finish, crashed: false });
  return out;
}

/** The segment of container `c` running at `t`, if any. */
export function segmentAt(run: PodRun, c: number, t: Millis): Segment | undefined {
  return segments(run, c).find((s) => s.start <= t && t < s.end);
}
