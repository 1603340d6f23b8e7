/**
 * Watch events of pods: every change of a pod's state (creation, Running, each container start
 * and end, finish, removal) in (from, to], as the API server's watch would send them. Each event
 * carries the pod as it was at that instant, so that a client sees the states it would have
 * missed between two lists: a job that started and ended between them, and the final state of a
 * pod deleted at once.
 */
import type { Millis } from '../../domain/duration.js';
import { runsListedIn, segments, type PodRun } from './lifecycle.js';
import type { Model } from './model.js';

export type PodEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface PodChange {
  type: PodEventType;
  time: Millis;
  run: PodRun;
}

export function podChanges(model: Model, from: Millis, to: Millis): PodChange[] {
  const out: PodChange[] = [];
  if (!(to > from)) return out;
  const inWindow = (t: Millis) => from < t && t <= to;
  for (const i of model.slotOrder) {
    const slot = model.slots[i] as Model['slots'][number];
    for (const run of runsListedIn(model, slot, from, to)) {
      if (inWindow(run.created)) out.push({ type: 'ADDED', time: run.created, run });
      const times = new Set<Millis>([run.running, run.finish]);
      for (let c = 0; c < slot.template.containers.length; c++) {
        for (const s of segments(run, c)) times.add(s.start).add(s.end);
      }
      for (const t of times) {
        if (t > run.created && t < run.listedUntil && inWindow(t))
          out.push({ type: 'MODIFIED', time: t, run });
      }
      if (Number.isFinite(run.listedUntil) && inWindow(run.listedUntil))
        out.push({ type: 'DELETED', time: run.listedUntil, run });
    }
  }
  return out.sort((a, b) => a.time - b.time || order(a) - order(b));
}

const RANK: Record<PodEventType, number> = { ADDED: 0, MODIFIED: 1, DELETED: 2 };
const order = (e: PodChange) => RANK[e.type];
