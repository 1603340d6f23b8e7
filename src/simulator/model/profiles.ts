/**
 * Usage profiles: a value in base units (cores, bytes, bytes per second) as a function of time,
 * each with an exact closed-form integral. Times are seconds since the world's start. Every change
 * of slope or level falls on a whole second when the inputs are whole seconds, so a numeric
 * integration at 1 s steps can check the integrals.
 */
import type { ProfileInput } from './schema.js';
import { quantityNumber } from './units.js';
import { hashKey, unit } from './prng.js';

/** Where a profile is evaluated: one run of one container. */
export interface ProfileContext {
  /** The pod's first Running instant (s since world start). */
  readonly podStart: number;
  /** The container's current start (s since world start); ramps restart from here. */
  readonly segStart: number;
  /** 32-bit key of the container identity and resource (seeds random profiles). */
  readonly key: number;
  readonly walks: WalkCache;
}

export interface Profile {
  value(ctx: ProfileContext, t: number): number;
  /** ∫ value dt over [a, b], a ≤ b, in unit·seconds. */
  integral(ctx: ProfileContext, a: number, b: number): number;
}

export const ZERO: Profile = { value: () => 0, integral: () => 0 };

export function compileProfile(input: ProfileInput | undefined): Profile {
  if (input === undefined) return ZERO;
  if (typeof input === 'string' || typeof input === 'number') return constant(quantityNumber(input));
  const q = quantityNumber;
  switch (input.kind) {
    case 'constant':
      return constant(q(input.value));
    case 'sine':
      return sine(q(input.base), q(input.amplitude), input.period / 1000, (input.phase ?? 0) / 1000);
    case 'square':
      return square({
        low: q(input.low),
        high: q(input.high),
        period: input.period / 1000,
        highFor: Math.round((input.duty ?? 0.5) * (input.period / 1000)),
        phase: (input.phase ?? 0) / 1000,
      });
    case 'ramp':
      return ramp(q(input.from), q(input.to), input.over / 1000);
    case 'randomWalk':
      return randomWalk({
        start: q(input.start),
        step: q(input.step),
        min: q(input.min),
        max: q(input.max),
        interval: (input.interval ?? 60_000) / 1000,
      });
    case 'spikes':
      return spikes(
        q(input.base),
        q(input.height),
        input.every / 1000,
        input.duration / 1000, // at most `every` (schema)
      );
  }
}

export function constant(v: number): Profile {
  return { value: () => v, integral: (_c, a, b) => v * (b - a) };
}

/** base + amplitude·sin(2π(t + phase)/period); base ≥ amplitude keeps it non-negative. */
function sine(base: number, amplitude: number, period: number, phase: number): Profile {
  const w = (2 * Math.PI) / period;
  return {
    value: (_c, t) => base + amplitude * Math.sin(w * (t + phase)),
    integral: (_c, a, b) =>
      base * (b - a) - (amplitude / w) * (Math.cos(w * (b + phase)) - Math.cos(w * (a + phase))),
  };
}

/** `high` for the first `highFor` seconds of every period, `low` for the rest. */
function square(o: { low: number; high: number; period: number; highFor: number; phase: number }): Profile {
  const perPeriod = o.high * o.highFor + o.low * (o.period - o.highFor);
  const prim = (x: number) => {
    const n = Math.floor(x / o.period);
    const r = x - n * o.period;
    return n * perPeriod + (r < o.highFor ? o.high * r : o.high * o.highFor + o.low * (r - o.highFor));
  };
  return {
    value: (_c, t) => {
      const x = t + o.phase;
      return x - Math.floor(x / o.period) * o.period < o.highFor ? o.high : o.low;
    },
    integral: (_c, a, b) => prim(b + o.phase) - prim(a + o.phase),
  };
}

/** Linear from `from` at the container's start to `to` after `over` seconds, then flat. */
function ramp(from: number, to: number, over: number): Profile {
  const slope = (to - from) / over;
  const prim = (x: number) =>
    x <= over ? from * x + (slope * x * x) / 2 : from * over + (slope * over * over) / 2 + to * (x - over);
  return {
    value: (c, t) => {
      const x = Math.max(0, t - c.segStart);
      return x >= over ? to : from + slope * x;
    },
    integral: (c, a, b) => prim(Math.max(0, b - c.segStart)) - prim(Math.max(0, a - c.segStart)),
  };
}

/** Base level with one spike of `height` × `duration` seconds per window of `every` seconds. */
function spikes(base: number, height: number, every: number, duration: number): Profile {
  const room = every - duration;
  const offsetOf = (key: number, w: number) => Math.floor(unit(key, w) * (room + 1));
  const inSpike = (key: number, x: number) => {
    const w = Math.floor(x / every);
    const off = offsetOf(key, w);
    const r = x - w * every;
    return Math.min(Math.max(r - off, 0), duration);
  };
  const prim = (key: number, x: number) => {
    const w = Math.floor(x / every);
    return base * x + height * (w * duration + inSpike(key, x));
  };
  return {
    value: (c, t) => {
      const w = Math.floor(t / every);
      const r = t - w * every - offsetOf(c.key, w);
      return r >= 0 && r < duration ? base + height : base;
    },
    integral: (c, a, b) => prim(c.key, b) - prim(c.key, a),
  };
}

interface WalkOptions {
  start: number;
  step: number;
  min: number;
  max: number;
  interval: number;
}

/**
 * A bounded random walk, constant within each `interval` (counted from the pod's start), with
 * steps of up to ±`step`. Values and running sums come from `WalkCache`; they depend only on
 * (seed, identity, step index), never on the order of questions.
 */
function randomWalk(o: WalkOptions): Profile {
  return {
    value: (c, t) => {
      const x = t - c.podStart;
      if (x < 0) return o.start;
      return c.walks.at(c.key, o, Math.floor(x / o.interval)).value;
    },
    integral: (c, a, b) => {
      const prim = (t: number) => {
        const x = t - c.podStart;
        if (x <= 0) return o.start * x;
        const n = Math.floor(x / o.interval);
        const p = c.walks.at(c.key, o, n);
        return p.sum * o.interval + p.value * (x - n * o.interval);
      };
      return prim(b) - prim(a);
    },
  };
}

/** Step `n` of a walk: its value, and the sum of the values of steps 0 … n−1. */
export interface WalkPoint {
  value: number;
  sum: number;
}

/**
 * Steps between two kept points of a walk. A walk keeps only every CHECKPOINT-th value and
 * running sum and replays the steps after it, so that a container walking every second for a
 * year holds 4 MB rather than 500 MB; a question costs at most this many steps.
 */
const CHECKPOINT = 128;

interface Walk {
  /** values[k] and sums[k]: step k·CHECKPOINT's value and the sum of the steps before it. */
  values: Float64Array;
  sums: Float64Array;
  /** Checkpoints computed. */
  length: number;
  /** The walk's own random stream. */
  h: number;
}

/** Memoised random walks, bounded in number (old walks are dropped and recomputed on demand). */
export class WalkCache {
  private readonly walks = new Map<string, Walk>();
  constructor(private readonly limit = 4096) {}

  at(key: number, o: WalkOptions, n: number): WalkPoint {
    const id = `${key}:${o.start}:${o.step}:${o.min}:${o.max}`;
    let w = this.walks.get(id);
    if (w === undefined) {
      if (this.walks.size >= this.limit) this.walks.delete(this.walks.keys().next().value as string);
      w = { values: new Float64Array(16), sums: new Float64Array(16), length: 1, h: hashKey(key, 'walk') };
      w.values[0] = o.start;
      this.walks.set(id, w);
    }
    const h = w.h;
    const k = Math.floor(n / CHECKPOINT);
    if (k >= w.length) grow(w, o, k);
    // The same additions in the same order as one pass from step 0: every question gets the same bits.
    const p = { value: w.values[k] as number, sum: w.sums[k] as number };
    for (let i = k * CHECKPOINT + 1; i <= n; i++) advance(p, h, o, i);
    return p;
  }
}

/** From step i−1 to step i. */
function advance(p: WalkPoint, h: number, o: WalkOptions, i: number): void {
  p.sum += p.value;
  p.value = Math.min(o.max, Math.max(o.min, p.value + o.step * (2 * unit(h, i) - 1)));
}

function grow(w: Walk, o: WalkOptions, upTo: number): void {
  if (upTo >= w.values.length) {
    const size = Math.max(upTo + 1, w.values.length * 2);
    const values = new Float64Array(size);
    values.set(w.values.subarray(0, w.length));
    const sums = new Float64Array(size);
    sums.set(w.sums.subarray(0, w.length));
    w.values = values;
    w.sums = sums;
  }
  const p = { value: w.values[w.length - 1] as number, sum: w.sums[w.length - 1] as number };
  for (let k = w.length; k <= upTo; k++) {
    for (let i = (k - 1) * CHECKPOINT + 1; i <= k * CHECKPOINT; i++) advance(p, w.h, o, i);
    w.values[k] = p.value;
    w.sums[k] = p.sum;
  }
  w.length = upTo + 1;
}
