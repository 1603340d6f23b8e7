/**
 * When each container really ran, from the state times in a series of inventories
 * (`state.running.startedAt`, `state.terminated`, `lastState.terminated`). Rules:
 * - a run with a finish time ends there (`finished`), even if no inventory saw it running
 *   (a short job between samples, or a completed pod still listed, is accounted exactly);
 * - a pod that vanished between two inventories without a finish time ends when its deletion
 *   was requested, when it was (`deletingAt`, kept within [last seen running, first seen gone]);
 *   else (`vanished`: deleted at once when it finished, as Jobs with a zero TTL are) it ended
 *   somewhere between the last inventory that listed it running and the first that did not, and
 *   ends at the midpoint: the estimate without bias, off by at most half a sample period. Across
 *   more than `maxBridgeMs` (a source or collector outage) it ends where it was last seen;
 * - a run still running in the last inventory is `open`: known to run until that inventory.
 * The pod's span runs from its first container start to its last container end, and on to the
 * last inventory that listed a container of it waiting to restart: between a crash and the
 * restart the pod still holds its requests. A pod listed done (Failed, Succeeded) with a container
 * still waiting went done during that wait, at a time no state shows: it ends halfway between
 * the last sight of it waiting and the earlier of the first sight of it done and the end of the
 * back-off (else the container had restarted), as a vanished pod ends halfway.
 */
import type { Millis } from '../domain/duration.js';
import type { ContainerObservation, InventorySnapshot, PodObservation } from './observations.js';

export type RunEnd = 'finished' | 'deleted' | 'vanished' | 'open';

export interface ContainerRun {
  start: Millis;
  end: Millis;
  endKind: RunEnd;
}

export interface PodLifecycle {
  /** The pod as last seen (its spec, labels and identity). */
  pod: PodObservation;
  lastSeen: Millis;
  /** Runs per container name, sorted by start. */
  runs: Map<string, ContainerRun[]>;
  /** From the first container start to the last container end; undefined if nothing ran. */
  span?: { start: Millis; end: Millis };
  /**
   * The pod's first container start, when the inventories show it: each container that ran was
   * seen before its first restart. Else older runs are out of sight and `span.start` is later.
   */
  firstStart?: Millis;
}

interface RunDraft {
  start: Millis;
  finishedAt?: Millis;
  lastSeenRunning?: Millis;
}

function note(drafts: Map<Millis, RunDraft>, start: Millis): RunDraft {
  let d = drafts.get(start);
  if (d === undefined) drafts.set(start, (d = { start }));
  return d;
}

/**
 * Lifecycles of every pod seen in `inventories` (any order), keyed by pod uid. `maxBridgeMs` is the
 * longest time between two inventories across which a vanished pod's end is estimated.
 */
export function podLifecycles(
  inventories: readonly InventorySnapshot[],
  opts: { maxBridgeMs: Millis },
): Map<string, PodLifecycle> {
  const snaps = [...inventories].sort((a, b) => a.time - b.time);
  const drafts = new Map<
    string,
    {
      pod: PodObservation;
      lastSeen: Millis;
      runs: Map<string, Map<Millis, RunDraft>>;
      /** The runs the last pod object listed running. */
      running: RunDraft[];
      /** Per container, the start of its first run, from an object listing it not yet restarted. */
      firsts: Map<string, Millis>;
      /** The last inventory listing it holding its node while a container waits to restart. */
      heldSeen?: Millis;
      /** The first inventory listing it done. */
      doneSeen?: Millis;
    }
  >();
  for (const snap of snaps) {
    for (const pod of snap.pods) {
      let d = drafts.get(pod.uid);
      if (d === undefined)
        drafts.set(
          pod.uid,
          (d = { pod, lastSeen: snap.time, runs: new Map(), running: [], firsts: new Map() }),
        );
      else if (d.pod === pod) {
        // The same object as the last inventory's (an unchanged pod shared by the delta
        // decoding): its finished runs are noted, and its running ones are simply seen again.
        d.lastSeen = snap.time;
        for (const r of d.running) r.lastSeenRunning = snap.time;
        if (holding(pod) && waitingToRestart(pod)) d.heldSeen = snap.time;
        continue;
      }
      if (holding(pod) && waitingToRestart(pod)) d.heldSeen = snap.time;
      if (done(pod)) d.doneSeen ??= snap.time;
      d.pod = pod;
      d.lastSeen = snap.time;
      d.running = [];
      for (const c of pod.containers) {
        let runs = d.runs.get(c.name);
        if (runs === undefined) d.runs.set(c.name, (runs = new Map()));
        if (c.runningSince !== undefined) {
          const r = note(runs, c.runningSince);
          r.lastSeenRunning = snap.time;
          d.running.push(r);
        }
        if (c.terminated !== undefined)
          note(runs, c.terminated.startedAt).finishedAt = c.terminated.finishedAt;
        if (c.lastTerminated !== undefined)
          note(runs, c.lastTerminated.startedAt).finishedAt = c.lastTerminated.finishedAt;
        const first = c.restartCount === 0 ? (c.runningSince ?? c.terminated?.startedAt) : undefined;
        if (first !== undefined) d.firsts.set(c.name, first);
      }
    }
  }
  const out = new Map<string, PodLifecycle>();
  for (const [uid, d] of drafts) {
    const goneAt = snaps.find((s) => s.time > d.lastSeen)?.time;
    const life: PodLifecycle = { pod: d.pod, lastSeen: d.lastSeen, runs: new Map() };
    for (const [name, runDrafts] of d.runs) {
      const latest = d.pod.containers.find((c) => c.name === name);
      const runs = [...runDrafts.values()]
        .sort((a, b) => a.start - b.start)
        .map((r) =>
          closeRun(r, {
            pod: d.pod,
            lastSeen: d.lastSeen,
            goneAt,
            openStart: latest?.runningSince,
            maxBridgeMs: opts.maxBridgeMs,
          }),
        );
      if (runs.length > 0) life.runs.set(name, runs);
      for (const r of runs) {
        life.span =
          life.span === undefined
            ? { start: r.start, end: r.end }
            : { start: Math.min(life.span.start, r.start), end: Math.max(life.span.end, r.end) };
      }
    }
    if (life.span !== undefined && [...life.runs.keys()].every((name) => d.firsts.has(name)))
      life.firstStart = Math.min(...d.firsts.values());
    // A pod whose container waits to restart after a crash still holds its requests on its node:
    // its span reaches the last inventory that listed it so (not one it had left before).
    const p = d.pod;
    if (life.span !== undefined && waitingToRestart(p)) {
      let held = life.span.end;
      if (holding(p)) held = p.deletingAt === undefined ? d.lastSeen : Math.min(d.lastSeen, p.deletingAt);
      else if (done(p) && p.deletingAt === undefined && d.doneSeen !== undefined)
        held = endOfWait(p, Math.max(held, d.heldSeen ?? held), d.doneSeen);
      if (held > life.span.end) life.span = { start: life.span.start, end: held };
    }
    out.set(uid, life);
  }
  return out;
}

/**
 * The kubelet's first back-off before restarting a crashed container (it doubles with each crash
 * after, to 5 min): the shortest wait, so the end it bounds is never later than the truth's.
 */
const FIRST_BACKOFF_MS = 10_000;

/** A container waiting to restart after a crash: neither running nor done, and it ran before. */
const waiting = (c: ContainerObservation): boolean =>
  c.runningSince === undefined && c.terminated === undefined && c.lastTerminated !== undefined;
const waitingToRestart = (p: PodObservation): boolean => p.containers.some(waiting);
/** Listed as on its node (a pod read from the watch after it left is in its final state). */
const holding = (p: PodObservation): boolean =>
  p.departed !== true && (p.phase === 'Running' || p.phase === 'Pending');
const done = (p: PodObservation): boolean => p.phase === 'Succeeded' || p.phase === 'Failed';

/**
 * When a pod listed done with a container waiting to restart went done: after `waitingAt` (it
 * was waiting then), before `doneAt` (the first sight of it done) and before the first waiting
 * container's back-off ran out (else it had restarted); halfway, the estimate without bias.
 */
function endOfWait(p: PodObservation, waitingAt: Millis, doneAt: Millis): Millis {
  let restartBy = doneAt;
  for (const c of p.containers.filter(waiting))
    restartBy = Math.min(restartBy, c.lastTerminated!.finishedAt + FIRST_BACKOFF_MS);
  const latest = Math.max(waitingAt, restartBy);
  return waitingAt + Math.floor((latest - waitingAt) / 2);
}

function closeRun(
  r: RunDraft,
  ctx: {
    pod: PodObservation;
    lastSeen: Millis;
    goneAt: Millis | undefined;
    openStart: Millis | undefined;
    maxBridgeMs: Millis;
  },
): ContainerRun {
  if (r.finishedAt !== undefined)
    return { start: r.start, end: Math.max(r.start, r.finishedAt), endKind: 'finished' };
  const seen = Math.max(r.start, r.lastSeenRunning ?? r.start);
  if (ctx.goneAt !== undefined && ctx.pod.deletingAt !== undefined) {
    const end = Math.min(Math.max(ctx.pod.deletingAt, seen), ctx.goneAt);
    return { start: r.start, end, endKind: 'deleted' };
  }
  if (ctx.goneAt === undefined && ctx.openStart === r.start)
    return { start: r.start, end: seen, endKind: 'open' };
  const { goneAt } = ctx;
  if (goneAt !== undefined && r.lastSeenRunning === ctx.lastSeen && goneAt - seen <= ctx.maxBridgeMs) {
    return { start: r.start, end: seen + Math.floor((goneAt - seen) / 2), endKind: 'vanished' };
  }
  return { start: r.start, end: seen, endKind: 'vanished' };
}

/** The run of `runs` that contains `t` (with `toleranceMs` either side), if any. */
export function runAt(runs: readonly ContainerRun[], t: Millis, toleranceMs = 0): ContainerRun | undefined {
  return runs.find((r) => r.start - toleranceMs <= t && t <= r.end + toleranceMs);
}
