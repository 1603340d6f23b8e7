/**
 * Random walks keep only checkpoints and replay the steps between them: whatever the order of the
 * questions, and however often the cache drops a walk, every value and integral must be the one a
 * single pass over the walk from its first step gives, to the bit.
 */
import { describe, expect, it } from 'vitest';
import { hashKey, unit } from './prng.js';
import { compileProfile, WalkCache, type ProfileContext } from './profiles.js';

const MI = 2 ** 20;
const WALK = {
  kind: 'randomWalk',
  start: '1200Mi',
  step: '40Mi',
  min: '600Mi',
  max: '1500Mi',
  interval: 30_000,
} as const;
const POD_START = 100;

/** The walk as the docs define it, step after step: values[n], and sums[n] = values[0…n−1]. */
function reference(key: number, steps: number): { values: number[]; sums: number[] } {
  const h = hashKey(key, 'walk');
  const values = [1200 * MI];
  const sums = [0];
  for (let n = 1; n <= steps; n++) {
    const prev = values[n - 1] as number;
    values.push(Math.min(1500 * MI, Math.max(600 * MI, prev + 40 * MI * (2 * unit(h, n) - 1))));
    sums.push((sums[n - 1] as number) + prev);
  }
  return { values, sums };
}

function contextOf(key: number, walks: WalkCache): ProfileContext {
  return { podStart: POD_START, segStart: POD_START, key, walks };
}

describe('randomWalk profile', () => {
  const profile = compileProfile(WALK);
  const key = 424242;
  const steps = 5_000;
  const ref = reference(key, steps + 1);
  const valueAt = (t: number) => (ref.values[Math.floor((t - POD_START) / 30)] as number) ?? NaN;
  const primAt = (t: number) => {
    const x = t - POD_START;
    const n = Math.floor(x / 30);
    return (ref.sums[n] as number) * 30 + (ref.values[n] as number) * (x - n * 30);
  };
  // Times in no particular order, across many checkpoints, some on step boundaries.
  const times = Array.from(
    { length: 2_000 },
    (_, i) => POD_START + ((i * 7919) % (steps * 30)) + (i % 3 === 0 ? 0 : 0.5),
  );

  it('gives the single pass’s values and integrals, asked in any order', () => {
    const ctx = contextOf(key, new WalkCache());
    for (const t of times) {
      expect(profile.value(ctx, t)).toBe(valueAt(t));
      expect(profile.integral(ctx, POD_START, t)).toBe(primAt(t) - primAt(POD_START));
    }
    // Forward after backward, and integrals between two arbitrary times.
    for (let i = 1; i < times.length; i++) {
      const [a, b] = [times[i - 1] as number, times[i] as number].sort((x, y) => x - y) as [number, number];
      expect(profile.integral(ctx, a, b)).toBe(primAt(b) - primAt(a));
    }
  });

  it('gives the same bits when the cache drops walks between questions', () => {
    const walks = new WalkCache(1);
    const ctx = contextOf(key, walks);
    const other = contextOf(key + 1, walks);
    for (const t of times.slice(0, 300)) {
      profile.value(other, t); // evicts the walk asked next
      expect(profile.value(ctx, t)).toBe(valueAt(t));
      expect(profile.integral(ctx, POD_START, t)).toBe(primAt(t) - primAt(POD_START));
    }
  });

  it('is start before the pod runs, and stays within [min, max]', () => {
    const ctx = contextOf(key, new WalkCache());
    expect(profile.value(ctx, POD_START - 10)).toBe(1200 * MI);
    expect(profile.integral(ctx, 0, POD_START)).toBe(1200 * MI * POD_START);
    expect(Math.min(...ref.values)).toBeGreaterThanOrEqual(600 * MI);
    expect(Math.max(...ref.values)).toBeLessThanOrEqual(1500 * MI);
    expect(new Set(ref.values).size).toBeGreaterThan(100);
  });
});
