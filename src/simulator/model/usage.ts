/**
 * Usage of one pod's containers: instantaneous values and exact integrals over time, built on
 * the profiles and the running segments. Times in and out are ms; integrals are unit·seconds.
 */
import type { Millis } from '../../domain/duration.js';
import { hashKey } from './prng.js';
import { segments, type PodRun, type Segment } from './lifecycle.js';
import type { Model } from './model.js';
import type { Profile, ProfileContext, WalkCache } from './profiles.js';

export type Resource = 'cpu' | 'memory' | 'tx' | 'rx';
export const RESOURCES: readonly Resource[] = ['cpu', 'memory', 'tx', 'rx'];

/** The model plus the memo of random walks: everything usage questions need. */
export interface Sim {
  readonly model: Model;
  readonly walks: WalkCache;
}

export function profileOf(run: PodRun, c: number, r: Resource): Profile {
  const container = run.slot.template.containers[c];
  if (container === undefined) throw new Error(`no container ${c}`);
  return container[r];
}

export function contextOf(sim: Sim, run: PodRun, c: number, r: Resource, seg: Segment): ProfileContext {
  const start = sim.model.start;
  return {
    podStart: (run.running - start) / 1000,
    segStart: (seg.start - start) / 1000,
    key: hashKey(sim.model.seed, `${run.slot.key}#${run.k}/${c}/${r}`),
    walks: sim.walks,
  };
}

/** ∫ usage over [from, to) of container `c` while it runs (unit·seconds). */
export function containerIntegral(
  sim: Sim,
  run: PodRun,
  c: number,
  r: Resource,
  from: Millis,
  to: Millis,
): number {
  const profile = profileOf(run, c, r);
  let total = 0;
  for (const seg of segments(run, c)) {
    const a = Math.max(from, seg.start);
    const b = Math.min(to, seg.end);
    if (a >= b) continue;
    const start = sim.model.start;
    total += profile.integral(contextOf(sim, run, c, r, seg), (a - start) / 1000, (b - start) / 1000);
  }
  return total;
}

/** ∫ usage over the current segment up to `t` (the cumulative counter a kubelet reports). */
export function sinceSegmentStart(
  sim: Sim,
  run: PodRun,
  c: number,
  r: Resource,
  seg: Segment,
  t: Millis,
): number {
  const start = sim.model.start;
  const b = Math.min(t, seg.end);
  if (b <= seg.start) return 0;
  return profileOf(run, c, r).integral(
    contextOf(sim, run, c, r, seg),
    (seg.start - start) / 1000,
    (b - start) / 1000,
  );
}

/** The usage value of container `c` at `t` (0 when not running). */
export function containerValue(sim: Sim, run: PodRun, c: number, r: Resource, t: Millis): number {
  const seg = segments(run, c).find((s) => s.start <= t && t < s.end);
  if (seg === undefined) return 0;
  return profileOf(run, c, r).value(contextOf(sim, run, c, r, seg), (t - sim.model.start) / 1000);
}

/** Σ over the run's containers of ∫ usage over [from, to). */
export function podIntegral(sim: Sim, run: PodRun, r: Resource, from: Millis, to: Millis): number {
  let total = 0;
  for (let c = 0; c < run.slot.template.containers.length; c++)
    total += containerIntegral(sim, run, c, r, from, to);
  return total;
}

/** Milliseconds of [from, to) during which the pod is Running. */
export function runningMs(run: PodRun, from: Millis, to: Millis): Millis {
  return Math.max(0, Math.min(to, run.finish) - Math.max(from, run.running));
}

/**
 * When a run starts to hold its requests: its first container start. With init containers that
 * is the pod's creation (they run while the pod is Pending), else the app containers' start.
 */
export function occupiedFrom(run: PodRun): Millis {
  return run.slot.template.initContainers.length > 0 ? Math.min(run.created, run.running) : run.running;
}

/** Time within [from, to) during which the run holds its requests (see occupiedFrom). */
export function occupiedMs(run: PodRun, from: Millis, to: Millis): Millis {
  return Math.max(0, Math.min(to, run.finish) - Math.max(from, occupiedFrom(run)));
}
