import { describe, expect, it } from 'vitest';
import { defaultPriceSheet } from '../price-sheet.js';
import { idleLoadBalancers, idleNotebooks, p90, perMonth, rightSize, unmountedClaims } from './recommend.js';
import {
  cpuBucket,
  histogramQuantile,
  workloadDaysOf,
  workloadOf,
  type WorkloadRowInput,
} from './workload-day.js';

const HOUR = 3_600_000n;
const DAY = 24n * HOUR;
const GiB = 1n << 30n;
const MiB = 1n << 20n;

function pod(
  i: number,
  millicores: bigint,
  requestMillicores: bigint,
  memory: bigint,
  requestMemory: bigint,
): WorkloadRowInput {
  const ms = HOUR;
  return {
    podUid: `uid-${i}`,
    namespace: 'shop',
    podName: `api-${i}`,
    workloadKind: 'Deployment',
    workloadName: 'api',
    owner: 'alice',
    project: 'shop',
    computeType: 'serving',
    usage: {
      podMillis: ms,
      cpuCoreNanos: millicores * 1_000_000n * (ms / 1000n),
      cpuRequestCoreNanos: requestMillicores * 1_000_000n * (ms / 1000n),
      memoryByteSeconds: memory * (ms / 1000n),
      memoryRequestByteSeconds: requestMemory * (ms / 1000n),
    },
  };
}

describe('workload distributions', () => {
  it('buckets CPU up to two significant digits', () => {
    expect([0n, 7n, 99n, 100n, 123n, 1001n, 25_000n].map(cpuBucket)).toEqual([
      0n,
      7n,
      99n,
      100n,
      130n,
      1100n,
      25_000n,
    ]);
  });

  it('time-weighted nearest-rank quantiles', () => {
    expect(histogramQuantile({ '10': 89n, '500': 11n }, 900n)).toBe(500n);
    expect(histogramQuantile({ '10': 90n, '500': 10n }, 900n)).toBe(10n);
    expect(histogramQuantile({}, 900n)).toBe(0n);
    expect(p90([5n, 1n, 9n, 3n, 7n, 2n, 4n, 8n, 6n, 10n])).toBe(9n);
    expect(p90([1n, 2n, 3n, 4n, 5n, 6n, 7n])).toBe(7n);
  });

  it('names the workload: controller, CronJob of its Jobs, or the pod', () => {
    const base = pod(0, 1n, 1n, 1n, 1n);
    expect(workloadOf(base)).toEqual({ namespace: 'shop', workloadKind: 'Deployment', workloadName: 'api' });
    expect(workloadOf({ ...base, workloadKind: 'Job', workloadName: 'nightly-29891580' })).toEqual({
      namespace: 'shop',
      workloadKind: 'CronJob',
      workloadName: 'nightly',
    });
    expect(workloadOf({ ...base, workloadKind: 'Job', workloadName: 'backfill' }).workloadKind).toBe('Job');
    expect(workloadOf({ ...base, workloadKind: undefined, workloadName: undefined })).toEqual({
      namespace: 'shop',
      workloadKind: 'Pod',
      workloadName: 'api-0',
    });
  });

  it('keeps one entry per workload, pods summed, synthetic rows left out', () => {
    const rows = [
      pod(0, 200n, 2000n, GiB, 4n * GiB),
      pod(1, 300n, 2000n, 2n * GiB, 4n * GiB),
      { ...pod(2, 1n, 0n, 0n, 0n), podUid: 'pvc:shop/data' },
      { ...pod(3, 1n, 0n, 0n, 0n), podUid: '__idle__:spot' },
    ];
    const days = [...workloadDaysOf(rows).values()];
    expect(days).toHaveLength(1);
    expect(days[0]).toMatchObject({
      workloadName: 'api',
      podMillis: 2n * HOUR,
      memoryPeakBytes: 2n * GiB,
      cpuMillicoresHistogram: { '200': HOUR, '300': HOUR },
    });
  });
});

describe('recommendations', () => {
  it('right-sizes an over-requested workload with the saving computed by hand', () => {
    // Two replicas for a whole 7-day window, each using 200m and 1 GiB, requesting 2 cores, 4 GiB.
    const days = Array.from(
      { length: 7 },
      () =>
        [
          ...workloadDaysOf(
            Array.from({ length: 48 }, (_, i) => pod(i % 2, 200n, 2000n, GiB, 4n * GiB)),
          ).values(),
        ][0]!,
    );
    const r = rightSize(days, Number(7n * DAY), defaultPriceSheet())!;
    // 200m × 1.15 = 230m; 1 GiB × 1.15 = 1177.6 MiB → 1178 MiB.
    expect(r).toMatchObject({
      cpuRequestMillicores: 2000n,
      cpuP90Millicores: 200n,
      cpuRecommendedMillicores: 230n,
      memoryRequestBytes: 4n * GiB,
      memoryRecommendedBytes: 1178n * MiB,
      averagePods: 48 / 24,
    });
    // CPU: 1.77 cores × 2 pods × 730 h × 0.031611; memory: (4096 − 1178)/1024 GiB × 2 × 730 × 0.004237.
    const cpu = (1770 * 2 * 730 * 0.031611) / 1000;
    const memory = ((4096 - 1178) / 1024) * 2 * 730 * 0.004237;
    expect(Number(r.monthlySavingMicros) / 1e6).toBeCloseTo(cpu + memory, 5);
  });

  it('prices the time the pods ran on spot nodes at spot prices', () => {
    // The same two replicas for 7 days, one on a spot node, one on-demand: the spot one saves at
    // spot prices (0.006655 a core-hour, 0.000892 a GiB-hour), the other at on-demand prices.
    const days = Array.from(
      { length: 7 },
      () =>
        [
          ...workloadDaysOf(
            Array.from({ length: 48 }, (_, i) => ({
              ...pod(i % 2, 200n, 2000n, GiB, 4n * GiB),
              capacityType: i % 2 === 0 ? 'spot' : 'on-demand',
            })),
          ).values(),
        ][0]!,
    );
    expect(days[0]).toMatchObject({ podMillis: 48n * HOUR, spotPodMillis: 24n * HOUR });
    const r = rightSize(days, Number(7n * DAY), defaultPriceSheet())!;
    const cpu = (1770 * 730 * (0.031611 + 0.006655)) / 1000;
    const memory = ((4096 - 1178) / 1024) * 730 * (0.004237 + 0.000892);
    expect(Number(r.monthlySavingMicros) / 1e6).toBeCloseTo(cpu + memory, 5);
  });

  it('applies the floors and recommends nothing when nothing is saved', () => {
    const tiny = [...workloadDaysOf([pod(0, 1n, 25n, MiB, 250n * MiB)]).values()];
    expect(rightSize(tiny, Number(HOUR), defaultPriceSheet())).toBeUndefined();
    const under = [...workloadDaysOf([pod(0, 900n, 500n, GiB, GiB)]).values()];
    expect(rightSize(under, Number(HOUR), defaultPriceSheet())).toBeUndefined();
  });

  // [request, recommended] of CPU (millicores) and memory (bytes) of one pod's hour.
  it.each([
    // 64 MiB used of 128 MiB, under the 250 MiB floor; CPU saves (230m of 2000m).
    [
      'memory under its floor',
      pod(0, 200n, 2000n, 64n * MiB, 128n * MiB),
      [2000n, 230n],
      [128n * MiB, 128n * MiB],
    ],
    // 1m used of 20m, under the 25m floor; memory saves (1178 MiB of 4 GiB).
    ['CPU under its floor', pod(0, 1n, 20n, GiB, 4n * GiB), [20n, 20n], [4n * GiB, 1178n * MiB]],
    // 900m used of 500m, while memory saves.
    ['CPU used above its request', pod(0, 900n, 500n, GiB, 4n * GiB), [500n, 500n], [4n * GiB, 1178n * MiB]],
  ])(
    'never recommends more than the request (%s): that resource keeps its request',
    (_, row, cpu, memory) => {
      const r = rightSize([...workloadDaysOf([row]).values()], Number(HOUR), defaultPriceSheet())!;
      expect([r.cpuRequestMillicores, r.cpuRecommendedMillicores]).toEqual(cpu);
      expect([r.memoryRequestBytes, r.memoryRecommendedBytes]).toEqual(memory);
    },
  );

  it('finds idle notebooks, unmounted claims and LoadBalancers with no pods', () => {
    const nb = {
      namespace: 'ml',
      workloadKind: 'StatefulSet',
      workloadName: 'nb',
      owner: 'bob',
      project: 'ml',
      costMicros: 481_032n,
    };
    const found = idleNotebooks(
      [
        { ...nb, podMillis: DAY, maxMillicores: 3n },
        { ...nb, workloadName: 'busy', podMillis: DAY, maxMillicores: 300n },
        { ...nb, workloadName: 'young', podMillis: DAY - HOUR, maxMillicores: 1n },
      ],
      Number(DAY),
    );
    expect(found.map((n) => [n.workloadName, n.monthlySavingMicros])).toEqual([
      ['nb', (481_032n * 730n) / 24n],
    ]);
    const claim = {
      namespace: 'ml',
      claim: 'data',
      owner: 'bob',
      project: 'ml',
      storageByteSeconds: 1n,
      costMicros: 920_472n,
    };
    expect(
      unmountedClaims(
        [claim, { ...claim, claim: 'used', unmountedIntervals: 3 }].map((c) => ({
          unmountedIntervals: 168,
          ...c,
        })),
        168,
        Number(7n * DAY),
      ).map((c) => c.claim),
    ).toEqual(['data']);
    expect(perMonth(920_472n, Number(7n * DAY))).toBe(5479n * 730n);
    const lbs = idleLoadBalancers(
      [
        {
          namespace: 'ghost',
          service: 'web',
          owner: 'x',
          project: 'ghost',
          costMicros: 600_000n,
          namespacePodMillis: 0n,
        },
        {
          namespace: 'shop',
          service: 'web',
          owner: 'x',
          project: 'shop',
          costMicros: 600_000n,
          namespacePodMillis: 5n,
        },
      ],
      Number(DAY),
    );
    expect(lbs.map((l) => [l.namespace, l.monthlySavingMicros])).toEqual([['ghost', 18_250_000n]]);
  });
});
