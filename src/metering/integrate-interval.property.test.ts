import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { integrateInterval } from './integrate-interval.js';
import type { CpuCounterSample } from './observations.js';
import { S, T0, batch, container, inventory, pod } from './test-support.js';

/** A piecewise-linear counter: rates (millicores) that change at given times, from `from`. */
function counterAt(from: number, pieces: { at: number; milli: number }[], t: number): bigint {
  let total = 0n;
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i] as { at: number; milli: number };
    const s = Math.max(from, p.at);
    const e = Math.min(t, pieces[i + 1]?.at ?? Infinity);
    if (e > s) total += (BigInt(p.milli) * 1_000_000n * BigInt(e - s)) / 1000n;
  }
  return total;
}

const scenario = fc.record({
  intervals: fc.integer({ min: 1, max: 6 }),
  intervalS: fc.integer({ min: 30, max: 900 }),
  rates: fc.array(
    fc.record({
      atFrac: fc.double({ min: 0, max: 1, noNaN: true }),
      milli: fc.integer({ min: 0, max: 64_000 }),
    }),
    { minLength: 1, maxLength: 6 },
  ),
  sampleFracs: fc.uniqueArray(fc.double({ min: 0.0001, max: 1, noNaN: true }), {
    minLength: 1,
    maxLength: 40,
  }),
  restartFrac: fc.option(fc.double({ min: 0.05, max: 0.95, noNaN: true }), { nil: undefined }),
  /** The container finishes at the span's end, after its last reading (extrapolated to the finish). */
  finishes: fc.boolean(),
});

const PERIOD = 60 * S;

describe('integrateInterval (property)', () => {
  it('loses and duplicates nothing at interval boundaries: Σ intervals = whole span = counter', () => {
    fc.assert(
      fc.property(scenario, (sc) => {
        const span = sc.intervals * sc.intervalS * S;
        const pieces = [
          { at: T0, milli: 0 },
          ...sc.rates.map((r) => ({ at: T0 + Math.floor(r.atFrac * span), milli: r.milli })),
        ].sort((a, b) => a.at - b.at);
        const restart = sc.restartFrac === undefined ? undefined : T0 + Math.floor(sc.restartFrac * span);
        const end = T0 + span;
        const times = [...new Set([...sc.sampleFracs.map((f) => T0 + Math.ceil(f * span)), end])]
          .filter((t) => !sc.finishes || t < end)
          .sort((a, b) => a - b);
        if (times.length === 0) return;
        const samples: CpuCounterSample[] = times.map((t) => {
          const start = restart !== undefined && t > restart ? restart : T0;
          return {
            podUid: 'p',
            container: 'c',
            time: t,
            containerStart: start,
            coreNanos: counterAt(start, pieces, t),
          };
        });
        const p = pod('p', { containers: [container('c', { runningSince: T0 })] });
        const lastStart = restart ?? T0;
        const done = pod('p', {
          containers: [container('c', { terminated: { startedAt: lastStart, finishedAt: end } })],
        });
        const inventories = [inventory(T0, [p]), inventory(end, [sc.finishes ? done : p])];
        const run = (start: number, end: number) => {
          // The window the collector would load: three sample periods before `start`, and at
          // least the second-last sample before it.
          const before = times.filter((t) => t < start);
          const observedFrom = Math.min(start - 3 * PERIOD, before.at(-2) ?? T0);
          const obs = batch({ inventories, cpuCounters: samples.filter((s) => s.time >= observedFrom) });
          const r = integrateInterval({
            start,
            end,
            samplePeriodMs: PERIOD,
            observedFrom,
            expectedSources: [],
            observations: obs,
          });
          return r.rows.find((row) => row.pod?.uid === 'p')?.usage.cpuCoreNanos ?? 0n;
        };
        const whole = run(T0, T0 + span);
        let sum = 0n;
        for (let k = 0; k < sc.intervals; k++)
          sum += run(T0 + k * sc.intervalS * S, T0 + (k + 1) * sc.intervalS * S);
        expect(sum).toBe(whole);
        // Whole span: every reading counted once. Without a restart that is the last reading; with
        // one, the last reading of the first run plus the last of the second.
        const last = samples.at(-1) as CpuCounterSample;
        const firstRun = samples.filter((s) => s.containerStart === T0).at(-1);
        const expected =
          last.containerStart === T0 ? last.coreNanos : last.coreNanos + (firstRun?.coreNanos ?? 0n);
        if (sc.finishes) expect(whole).toBeGreaterThanOrEqual(expected);
        else expect(whole).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });
});
