import { describe, expect, it } from 'vitest';
import { shareOf } from './segments.js';
import { counterSegments, levelSegments, rateSegments } from './series.js';

const S = 1_000;
const G = 1_000_000_000n; // one core for one second, in core-nanoseconds
const opts = { observedFrom: 0, maxBridgeMs: 150 * S, leadMs: 180 * S };
const none = () => undefined;

describe('counterSegments', () => {
  it('counts the first sample from the container start and pro-rates at the boundaries', () => {
    const segs = counterSegments(
      [
        { time: 60 * S, start: 0, value: 30n * G }, // 0.5 core over [0, 60 s)
        { time: 120 * S, start: 0, value: 90n * G }, // 1 core over [60 s, 120 s)
      ],
      { ...opts, finishOf: none },
    );
    expect(shareOf(segs, 0, 120 * S)).toBe(90n * G);
    expect(shareOf(segs, 30 * S, 90 * S)).toBe(15n * G + 30n * G);
    expect(shareOf(segs, 0, 30 * S) + shareOf(segs, 30 * S, 90 * S) + shareOf(segs, 90 * S, 120 * S)).toBe(
      90n * G,
    );
  });

  it('detects a restart (new start time) and counts the new run from its start', () => {
    const points = [
      { time: 60 * S, start: 0, value: 60n * G },
      { time: 120 * S, start: 0, value: 120n * G },
      { time: 180 * S, start: 150 * S, value: 15n * G }, // restarted at 150 s, 0.5 core since
    ];
    const segs = counterSegments(points, { ...opts, finishOf: none });
    expect(shareOf(segs, 0, 180 * S)).toBe(135n * G);
    expect(shareOf(segs, 150 * S, 180 * S)).toBe(15n * G);
    expect(shareOf(segs, 120 * S, 150 * S)).toBe(0n);
  });

  it("takes a pod counter's tail rate over the time it could grow, and extends it only over that", () => {
    // The flaky pod of fixtures/edge.yaml: running from 35 s to 50 s, waiting to restart until
    // 60 s, running again to its crash at 80 s; 40 kB/s while a container runs.
    const idle = (a: number, b: number) => Math.max(0, Math.min(b, 60 * S) - Math.max(a, 50 * S));
    const points = [{ time: 60 * S, start: 30 * S, origin: 35 * S, value: 600_000n }];
    const segs = counterSegments(points, { ...opts, finishOf: () => 80 * S, idleMs: idle });
    expect(shareOf(segs, 0, 100 * S)).toBe(1_400_000n);
    // Beyond the lead of the tail's end, the windows of its intervals may not know the pauses.
    const far = counterSegments(points, { ...opts, leadMs: 30 * S, finishOf: () => 80 * S, idleMs: idle });
    expect(shareOf(far, 0, 100 * S)).toBe(600_000n + (600_000n * 20n) / 25n);
  });

  it("extrapolates the run's mean rate after its first reading to a finish between samples, but never over a gap", () => {
    const points = [
      { time: 60 * S, start: 0, value: 60n * G }, // a start-up at 1 core
      { time: 120 * S, start: 0, value: 90n * G }, // then 0.5 core
    ];
    const finished = counterSegments(points, { ...opts, finishOf: () => 140 * S });
    expect(shareOf(finished, 0, 200 * S)).toBe(90n * G + 10n * G);
    // A run that began longer before its finish than the windows' lead: the mean since its
    // start, which every interval's window can compute alike.
    const older = counterSegments(points, { ...opts, leadMs: 100 * S, finishOf: () => 140 * S });
    expect(shareOf(older, 0, 200 * S)).toBe(90n * G + 15n * G);
    const tooLate = counterSegments(points, { ...opts, finishOf: () => 400 * S });
    expect(shareOf(tooLate, 0, 400 * S)).toBe(90n * G);
    // One reading: the mean since the start is all there is.
    const once = counterSegments([points[0]!], { ...opts, finishOf: () => 80 * S });
    expect(shareOf(once, 0, 200 * S)).toBe(60n * G + 20n * G);
    // After a reset the readings do not add up: the mean since the start again.
    const reset = counterSegments([...points, { time: 150 * S, start: 0, value: 15n * G }], {
      ...opts,
      finishOf: () => 160 * S,
    });
    expect(shareOf(reset, 0, 200 * S)).toBe(90n * G + 15n * G + 1n * G);
  });

  it("counts a pod's traffic from its first container, not from the pod's start", () => {
    // The pod started at 0 and was Pending (pulling images) until 5 s; 1000 B/s since then,
    // read once at 30 s; it finished at 35 s.
    const read = (origin?: number) =>
      counterSegments(
        [{ time: 30 * S, start: 0, value: 25_000n, ...(origin === undefined ? {} : { origin }) }],
        {
          ...opts,
          finishOf: () => 35 * S,
        },
      );
    const withOrigin = read(5 * S);
    expect(shareOf(withOrigin, 0, 40 * S)).toBe(30_000n);
    expect(shareOf(withOrigin, 0, 5 * S)).toBe(0n); // nothing before the container ran
    // From the pod's start, the rate is diluted by the Pending time.
    expect(shareOf(read(), 0, 40 * S)).toBe(25_000n + 4_166n);
  });

  it('treats a smaller value with the same start as a reset: counts the new value', () => {
    const segs = counterSegments(
      [
        { time: 60 * S, start: 0, value: 60n * G },
        { time: 120 * S, start: 0, value: 10n * G },
      ],
      { ...opts, finishOf: none },
    );
    expect(shareOf(segs, 60 * S, 120 * S)).toBe(10n * G);
  });

  it('does not count from a start older than the observations it was given', () => {
    const segs = counterSegments(
      [
        { time: 600 * S, start: 0, value: 600n * G },
        { time: 660 * S, start: 0, value: 630n * G },
      ],
      { observedFrom: 500 * S, maxBridgeMs: 150 * S, finishOf: none },
    );
    expect(shareOf(segs, 0, 1000 * S)).toBe(30n * G);
  });
});

describe('rateSegments', () => {
  it('keeps window means exact, interpolates between windows and holds flat to the run edges', () => {
    const segs = rateSegments(
      [
        { time: 60 * S, windowMs: 15 * S, rate: 1n * G }, // 1 core over [45 s, 60 s)
        { time: 120 * S, windowMs: 15 * S, rate: 3n * G }, // 3 cores over [105 s, 120 s)
      ],
      { start: 0, end: 200 * S },
      opts,
    );
    // 45 + 15 + (1+3)/2·45 + 45 + 3·80 core-seconds
    expect(shareOf(segs, 0, 200 * S)).toBe(435n * G);
    expect(shareOf(segs, 45 * S, 60 * S)).toBe(15n * G);
    expect(shareOf(segs, 120 * S, 200 * S)).toBe(240n * G);
  });

  it('does not bridge windows further apart than maxBridgeMs, nor hold past a running edge', () => {
    const segs = rateSegments(
      [
        { time: 60 * S, windowMs: 60 * S, rate: 1n * G },
        { time: 600 * S, windowMs: 60 * S, rate: 1n * G },
      ],
      { start: 0, end: undefined },
      opts,
    );
    expect(shareOf(segs, 0, 1000 * S)).toBe(120n * G);
  });
});

describe('levelSegments', () => {
  it('integrates levels by trapezoids, held flat to the running edges', () => {
    const segs = levelSegments(
      [
        { time: 10 * S, level: 100n },
        { time: 70 * S, level: 160n },
      ],
      { start: 0, end: 100 * S },
      opts,
    );
    expect(shareOf(segs, 0, 100 * S)).toBe(1000n + 7800n + 4800n);
    expect(shareOf(segs, 100 * S, 200 * S)).toBe(0n);
  });
});
