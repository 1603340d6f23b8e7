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
 * steps of up to ±`step`. Values and running sums are memoised per container in `WalkCache`;
 * they depend only on (seed, identity, step index), never on the order of questions.
 */
function randomWalk(o: WalkOptions): Profile {
  const series = (c: ProfileContext, n: number) => c.walks.series(c.key, o, n);
  return {
    value: (c, t) => {
      const x = t - c.podStart;
      if (x < 0) return o.start;
      const n = Math.floor(x / o.interval);
      return series(c, n).values[n] as number;
    },
    integral: (c, a, b) => {
      const prim = (t: number) => {
        const x = t - c.podStart;
        if (x <= 0) return o.start * x;
        const n = Math.floor(x / o.interval);
        const s = series(c, n);
        return (s.sums[n] as number) * o.interval + (s.values[n] as number) * (x - n * o.interval);
      };
      return prim(b) - prim(a);
    },
  };
}

interface Walk {
  values: Float64Array;
  /** sums[n] = values[0] + … + values[n-1]. */
  sums: Float64Array;
  length: number;
}

/** Memoised random walks, bounded in size (old walks are dropped and recomputed on demand). */
export class WalkCache {
  private readonly walks = new Map<string, Walk>();
  constructor(private readonly limit = 4096) {}

  series(key: number, o: WalkOptions, upTo: number): Walk {
    const id = `${key}:${o.start}:${o.step}:${o.min}:${o.max}`;
    let w = this.walks.get(id);
    if (w === undefined) {
      if (this.walks.size >= this.limit) this.walks.delete(this.walks.keys().next().value as string);
      w = { values: new Float64Array(64), sums: new Float64Array(65), length: 1 };
      w.values[0] = o.start;
      this.walks.set(id, w);
    }
    if (upTo >= w.length) grow(w, key, o, upTo);
    return w;
  }
}

function grow(w: Walk, key: number, o: WalkOptions, upTo: number): void {
  if (upTo >= w.values.length) {
    const size = Math.max(upTo + 1, w.values.length * 2);
    const values = new Float64Array(size);
    values.set(w.values.subarray(0, w.length));
    const sums = new Float64Array(size + 1);
    sums.set(w.sums.subarray(0, w.length + 1));
    w.values = values;
    w.sums = sums;
  }
  const h = hashKey(key, 'walk');
  for (let n = w.length; n <= upTo; n++) {
    const prev = w.values[n - 1] as number;
    w.values[n] = Math.min(o.max, Math.max(o.min, prev + o.step * (2 * unit(h, n) - 1)));
  }
  for (let n = Math.max(1, w.length); n <= upTo + 1; n++)
    w.sums[n] = (w.sums[n - 1] as number) + (w.values[n - 1] as number);
  w.length = upTo + 1;
}
