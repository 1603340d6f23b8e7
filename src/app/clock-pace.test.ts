import { describe, expect, it } from 'vitest';
import type { CollectOutcome } from '../collector/outcome.js';
import { ClockPace, localPeriod } from './clock-pace.js';

const at = (iso: string): CollectOutcome => ({
  cluster: 'c',
  tenant: 'default',
  clusterTime: iso,
  sources: [],
  observations: 1,
  intervals: [],
});

describe('the pace of a cluster clock', () => {
  it('keeps the period of a clock at our pace, shortens it for a sped-up one, never below 1 s', () => {
    expect(localPeriod(60_000, undefined)).toBe(60_000);
    expect(localPeriod(60_000, 0)).toBe(60_000); // a manual clock that does not move
    expect(localPeriod(60_000, 1.3)).toBe(60_000); // drift, or a whole-second Date
    expect(localPeriod(60_000, 4)).toBe(15_000);
    expect(localPeriod(60_000, 60)).toBe(1_000);
    expect(localPeriod(60_000, 600)).toBe(1_000);
  });

  it('measures the pace with a second round a second after the first', () => {
    const pace = new ClockPace();
    expect(pace.period(1, 60_000)).toBe(60_000); // never seen: its first round is due at once anyway
    pace.record(1, 10_000, at('2026-01-01T00:00:00Z'));
    expect(pace.period(1, 60_000)).toBe(1_000);
    pace.record(1, 11_000, at('2026-01-01T00:01:01Z')); // 61 s of its time in 1 s of ours
    expect(pace.period(1, 60_000)).toBe(1_000);
    pace.record(1, 12_000, at('2026-01-01T00:01:02Z')); // then at our pace
    expect(pace.period(1, 60_000)).toBe(60_000);
    // A time estimated by this process, or a round another replica held, tells nothing.
    pace.record(1, 13_000, { ...at('2026-01-01T05:00:00Z'), clusterTimeEstimated: true });
    pace.record(1, 13_500, { ...at('2026-01-01T06:00:00Z'), skipped: true });
    expect(pace.period(1, 60_000)).toBe(60_000);
  });

  it('keeps the period of a cluster whose first round tells our time: no second round to measure it', () => {
    const pace = new ClockPace();
    const now = Date.parse('2026-01-01T00:00:00Z');
    pace.record(2, now, at('2026-01-01T00:00:03Z'));
    expect(pace.period(2, 60_000)).toBe(60_000);
    pace.record(2, now + 60_000, at('2026-01-01T00:01:03Z'));
    expect(pace.period(2, 60_000)).toBe(60_000);
  });
});
