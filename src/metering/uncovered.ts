/**
 * The parts of one series' segments that another series leaves uncovered: where a container's
 * CPU counters say nothing (the Summary API was down or forbidden while metrics.k8s.io answered),
 * its sampled rates still tell what it used, and only there, so nothing is counted from both.
 */
import type { Millis } from '../domain/duration.js';
import type { Segment } from './segments.js';

/** `segs` cut to the time outside every segment of `cover`, each piece its share of the amount. */
export function outsideOf(segs: readonly Segment[], cover: readonly Segment[]): Segment[] {
  const spans = unionOf(cover);
  const out: Segment[] = [];
  for (const s of segs) {
    if (s.t1 <= s.t0) continue;
    let at = s.t0;
    const piece = (x: Millis, y: Millis) => {
      if (y > x) out.push({ t0: x, t1: y, amount: (s.amount * BigInt(y - x)) / BigInt(s.t1 - s.t0) });
    };
    for (const [c0, c1] of spans) {
      if (c1 <= at) continue;
      if (c0 >= s.t1) break;
      piece(at, Math.min(c0, s.t1));
      at = Math.max(at, c1);
      if (at >= s.t1) break;
    }
    piece(at, s.t1);
  }
  return out;
}

function unionOf(segs: readonly Segment[]): [Millis, Millis][] {
  const sorted = segs.filter((s) => s.t1 > s.t0).sort((x, y) => x.t0 - y.t0);
  const out: [Millis, Millis][] = [];
  for (const s of sorted) {
    const top = out.at(-1);
    if (top !== undefined && s.t0 <= top[1]) top[1] = Math.max(top[1], s.t1);
    else out.push([s.t0, s.t1]);
  }
  return out;
}

/**
 * Whether `cover` leaves nothing of the `runs` inside [a, b) uncovered: then no other series can
 * add anything there, and need not be built (the usual case: every Summary API read succeeded).
 */
export function coversRuns(
  cover: readonly Segment[],
  runs: readonly { start: Millis; end: Millis }[],
  a: Millis,
  b: Millis,
): boolean {
  const spans = unionOf(cover);
  return runs.every((r) => {
    const x = Math.max(r.start, a);
    const y = Math.min(r.end, b);
    return y <= x || spans.some(([c0, c1]) => c0 <= x && c1 >= y);
  });
}
