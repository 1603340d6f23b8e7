/**
 * The one shape every integral takes: an amount spread linearly over [t0, t1). Splitting time
 * anywhere neither loses nor duplicates anything, because each segment rounds at absolute points:
 * its share of [a, b) is F(b) − F(a) with F(t) = ⌊amount · (t − t0) / ((t1 − t0) · scale)⌋, so the
 * shares of consecutive intervals add up to the segment's whole amount exactly. `amount` is in
 * 1/scale of the output unit, which keeps trapezoids (÷2) and ms→s (÷1000) exact until F.
 */
import type { Millis } from '../domain/duration.js';

export interface Segment {
  t0: Millis;
  t1: Millis;
  /** Scaled amount (output unit × scale), ≥ 0. */
  amount: bigint;
}

/** Output unit × SCALE: ms→s (1000) and trapezoid halves (2) stay exact. */
export const SCALE = 2000n;

export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  // Amounts are almost always ≥ 0 over a positive divisor, where `/` already floors.
  if (a >= 0n && b > 0n) return q;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** F(t): the part of the segment up to `t`, in output units, rounded down. */
export function cumulativeAt(seg: Segment, t: Millis, scale: bigint = SCALE): bigint {
  if (t <= seg.t0) return 0n;
  if (t >= seg.t1) return floorDiv(seg.amount, scale);
  return floorDiv(seg.amount * BigInt(t - seg.t0), BigInt(seg.t1 - seg.t0) * scale);
}

/** The share of [a, b) of all segments, in output units. */
export function shareOf(segs: readonly Segment[], a: Millis, b: Millis, scale: bigint = SCALE): bigint {
  let total = 0n;
  for (const s of segs) {
    if (s.t1 < a || s.t0 >= b) continue; // contributes F(b) − F(a) = 0
    total += cumulativeAt(s, b, scale) - cumulativeAt(s, a, scale);
  }
  return total;
}

/**
 * Σ F(t) of all segments at each of `cuts` (ascending), so that the share of [cuts[i], cuts[j]) is
 * out[j] − out[i], exactly as `shareOf` gives it. One pass over the segments instead of one per
 * pair of cuts: a segment is whole from the first cut at or past its end, and only cuts inside
 * it need a division.
 */
export function cumulativeAtEach(
  segs: readonly Segment[],
  cuts: readonly Millis[],
  scale: bigint = SCALE,
): bigint[] {
  const out: bigint[] = cuts.map(() => 0n);
  const whole: bigint[] = cuts.map(() => 0n);
  for (const s of segs) {
    if (s.amount === 0n) continue;
    let k = firstCutAfter(cuts, s.t0);
    for (; k < cuts.length && (cuts[k] as Millis) < s.t1; k++)
      out[k]! += cumulativeAt(s, cuts[k] as Millis, scale);
    if (k < cuts.length) whole[k]! += floorDiv(s.amount, scale);
  }
  let done = 0n;
  for (let k = 0; k < cuts.length; k++) {
    done += whole[k]!;
    out[k]! += done;
  }
  return out;
}

/** The index of the first cut > t (cuts ascending). */
function firstCutAfter(cuts: readonly Millis[], t: Millis): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cuts[mid] as Millis) > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** A constant rate `perMs` (scaled units per millisecond) over [t0, t1). */
export function constantSegment(t0: Millis, t1: Millis, perMs: bigint): Segment {
  return { t0, t1, amount: perMs * BigInt(Math.max(0, t1 - t0)) };
}

/** A rate going linearly from r0 to r1 (scaled units per ms × 2) over [t0, t1): the trapezoid. */
export function trapezoidSegment(t0: Millis, t1: Millis, r0: bigint, r1: bigint): Segment {
  return { t0, t1, amount: ((r0 + r1) * BigInt(t1 - t0)) / 2n };
}

/** Length of the overlap of [a0, a1) and [b0, b1), ms. */
export function overlap(a0: Millis, a1: Millis, b0: Millis, b1: Millis): Millis {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}
