import { describe, expect, it } from 'vitest';
import { observationsFromJson, observationsToJson } from './observation-json.js';
import type { ObservationBatch } from './observations.js';
import { seedMethodInterval } from './seed-method.js';
import { MIN, T0, amounts, batch, container, inventory, pod } from './test-support.js';

const G = 1_000_000_000n;

describe('seedMethodInterval', () => {
  it('bills the instant rate at the close × the interval, and misses a job that ended before it', () => {
    const running = pod('a', {
      containers: [container('c', { requests: amounts(500, 0), runningSince: T0 })],
    });
    const job = pod('j', {
      phase: 'Succeeded',
      containers: [container('c', { requests: amounts(1000, 0) })],
    });
    const obs = batch({
      inventories: [inventory(T0 + 15 * MIN, [running, job])],
      cpuRates: [
        { podUid: 'a', container: 'c', time: T0 + 10 * MIN, windowMs: 15_000, nanoCores: 9n * G },
        { podUid: 'a', container: 'c', time: T0 + 15 * MIN, windowMs: 15_000, nanoCores: 2n * G },
      ],
    });
    const rows = seedMethodInterval({
      start: T0,
      end: T0 + 15 * MIN,
      samplePeriodMs: MIN,
      observedFrom: T0,
      expectedSources: [],
      observations: obs,
    });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.usage.cpuCoreNanos).toBe(2n * 900n * G);
    expect(rows[0]?.usage.cpuRequestCoreNanos).toBe(450n * G);
  });
});

describe('observation JSON', () => {
  it('round-trips bigints exactly, beyond 2^53', () => {
    const obs: ObservationBatch = batch({
      cpuCounters: [
        { podUid: 'p', container: 'c', time: T0, containerStart: T0 - 1, coreNanos: 2n ** 70n + 1n },
      ],
      inventories: [
        inventory(T0, [pod('p', { containers: [container('c', { requests: amounts(1, 3, 1) })] })]),
      ],
    });
    const text = observationsToJson(obs);
    expect(text).toContain('"1180591620717411303425"');
    expect(observationsFromJson(text)).toEqual(obs);
  });
});
