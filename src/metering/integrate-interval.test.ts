import { describe, expect, it } from 'vitest';
import { integrateInterval, type UsageRow } from './integrate-interval.js';
import type { InventorySnapshot } from './observations.js';
import { MIN, S, T0, amounts, batch, container, inventory, pod, scrapesEvery } from './test-support.js';

const G = 1_000_000_000n;
const MI = 1n << 20n;
const at = (s: number) => T0 + s * S;

function world(): InventorySnapshot[] {
  const a = pod('a', {
    overhead: amounts(100, 0),
    claims: ['data'],
    containers: [container('c', { requests: amounts(500, 256), runningSince: T0 })],
  });
  const job = pod('b', {
    phase: 'Succeeded',
    claims: ['data'],
    containers: [
      container('main', {
        requests: amounts(1000, 0, 1),
        terminated: { startedAt: at(70), finishedAt: at(100) },
      }),
    ],
  });
  const data = { namespace: 'ns', name: 'data', capacityBytes: 1000n, createdAt: T0 };
  const orphan = { namespace: 'ns', name: 'orphan', capacityBytes: 2000n, createdAt: at(90) };
  const lb = { namespace: 'ns', name: 'lb', createdAt: at(150) };
  return [0, 60, 120, 180, 240].map((s) =>
    inventory(at(s), s >= 120 ? [a, job] : [a], {
      claims: s >= 120 ? [data, orphan] : [data],
      loadBalancers: s >= 180 ? [lb] : [],
    }),
  );
}

function rowOf(rows: UsageRow[], pred: (r: UsageRow) => boolean): UsageRow {
  const found = rows.filter(pred);
  expect(found).toHaveLength(1);
  return found[0] as UsageRow;
}

describe('integrateInterval', () => {
  const obs = batch({
    scrapes: [
      ...scrapesEvery('inventory', T0, at(240)),
      ...scrapesEvery('summary', T0, at(240)).map((s) => ({ ...s, node: 'n1' })),
    ],
    inventories: world(),
    cpuCounters: [
      [60, 60n],
      [120, 90n],
      [180, 150n],
      [240, 210n],
    ].map(([s, v]) => ({
      podUid: 'a',
      container: 'c',
      time: at(Number(s)),
      containerStart: T0,
      coreNanos: (v as bigint) * G,
    })),
    memory: [
      [60, 100n],
      [120, 200n],
      [180, 200n],
    ].map(([s, v]) => ({
      podUid: 'a',
      container: 'c',
      time: at(Number(s)),
      workingSetBytes: (v as bigint) * MI,
    })),
    network: [
      [60, 1000n, 10n],
      [120, 3000n, 20n],
      [150, 500n, 5n], // reset: same pod start, smaller values
      [180, 1100n, 15n],
    ].map(([s, rx, tx]) => ({
      podUid: 'a',
      time: at(Number(s)),
      podStart: T0,
      rxBytes: rx as bigint,
      txBytes: tx as bigint,
    })),
    volumes: [
      [60, 100n],
      [120, 300n],
      [180, 300n],
    ].map(([s, used]) => ({
      namespace: 'ns',
      claim: 'data',
      time: at(Number(s)),
      usedBytes: used as bigint,
    })),
  });
  const result = integrateInterval({
    start: at(60),
    end: at(180),
    samplePeriodMs: MIN,
    observedFrom: T0,
    expectedSources: ['inventory', 'summary'],
    observations: obs,
  });

  it('integrates a running pod exactly: counters, trapezoid memory, requests with overhead, max basis', () => {
    const a = rowOf(result.rows, (r) => r.pod?.uid === 'a');
    expect(a.pod).toEqual({
      uid: 'a',
      namespace: 'ns',
      name: 'pod-a',
      labels: {},
      node: 'n1',
      claims: ['data'],
    });
    const u = a.usage;
    expect(u.cpuCoreNanos).toBe(90n * G); // 30 + 60 core-seconds
    expect(u.cpuRequestCoreNanos).toBe(72n * G); // (500m + 100m overhead) × 120 s
    expect(u.cpuMaxCoreNanos).toBe(102n * G); // max(30, 30) + max(60, 30) + the 100m overhead × 120 s
    expect(u.memoryByteSeconds).toBe(21000n * MI); // (100+200)/2·60 + 200·60 MiB·s
    expect(u.memoryRequestByteSeconds).toBe(256n * 120n * MI);
    expect(u.memoryMaxByteSeconds).toBe(2n * 256n * 60n * MI); // request wins both periods
    expect(u.podMillis).toBe(120_000n);
    expect(u.networkRxBytes).toBe(2000n + 500n + 600n);
    expect(u.networkTxBytes).toBe(10n + 5n + 10n);
    expect(a.containers?.[0]?.usage.cpuRequestCoreNanos).toBe(60n * G); // the container's own request
  });

  it('accounts a job that ran between samples to its state times, with no used CPU invented', () => {
    const b = rowOf(result.rows, (r) => r.pod?.uid === 'b').usage;
    expect(b.podMillis).toBe(30_000n);
    expect(b.cpuRequestCoreNanos).toBe(30n * G);
    expect(b.gpuMillis).toBe(30_000n);
    expect(b.cpuCoreNanos).toBe(0n);
    expect(b.cpuMaxCoreNanos).toBe(30n * G);
  });

  it('splits a claim among the running pods that mount it, by overlap, and keeps unmounted storage apart', () => {
    const a = rowOf(result.rows, (r) => r.pod?.uid === 'a').usage;
    const b = rowOf(result.rows, (r) => r.pod?.uid === 'b').usage;
    // [60,70) a alone, [70,100) shared by a and b, [100,180) a alone; 1000 bytes
    expect(a.storageByteSeconds).toBe(10_000n + 15_000n + 80_000n);
    expect(b.storageByteSeconds).toBe(15_000n);
    // used: trapezoid 100→300 over [60,120) = 12000, spread evenly in time; 300·60 after
    expect(a.storageUsedByteSeconds).toBe(2000n + 3000n + 4000n + 18_000n);
    expect(b.storageUsedByteSeconds).toBe(3000n);
    const orphan = rowOf(result.rows, (r) => r.claim === 'orphan');
    expect(orphan.usage.storageByteSeconds).toBe(90n * 2000n);
    expect(orphan.pod).toBeUndefined();
  });

  it('counts LoadBalancer lifetime to the namespace, and reports no gap when every source answered', () => {
    expect(rowOf(result.rows, (r) => r.loadBalancer === 'lb').usage.loadBalancerMillis).toBe(30_000n);
    expect(result.rows).toHaveLength(4);
    expect(result.gaps).toEqual([]);
    expect(result.coverage).toBe(1);
  });

  it('sums to the same totals when the span is cut into two intervals', () => {
    const part = (start: number, end: number) =>
      integrateInterval({
        start: at(start),
        end: at(end),
        samplePeriodMs: MIN,
        observedFrom: T0,
        expectedSources: [],
        observations: obs,
      });
    const first = part(60, 97);
    const second = part(97, 180);
    for (const uid of ['a', 'b']) {
      const whole = rowOf(result.rows, (r) => r.pod?.uid === uid).usage;
      const u1 = first.rows.find((r) => r.pod?.uid === uid)?.usage;
      const u2 = second.rows.find((r) => r.pod?.uid === uid)?.usage;
      for (const f of [
        'cpuCoreNanos',
        'cpuRequestCoreNanos',
        'memoryByteSeconds',
        'podMillis',
        'storageByteSeconds',
        'networkRxBytes',
      ] as const) {
        expect((u1?.[f] ?? 0n) + (u2?.[f] ?? 0n)).toBe(whole[f]);
      }
    }
  });

  it('rejects an interval that ends before it starts', () => {
    expect(() =>
      integrateInterval({
        start: at(60),
        end: at(60),
        samplePeriodMs: MIN,
        observedFrom: T0,
        expectedSources: [],
        observations: obs,
      }),
    ).toThrow(/cannot integrate/);
  });
});

describe('gaps', () => {
  it('records missing samples and failed scrapes with their reason, per source and per node', () => {
    const m = (min: number) => T0 + min * MIN;
    const scrapes = [
      ...[-2, -1, 0, 1, 2, 3, 5, 9, 10].map((t) => ({ source: 'metrics' as const, time: m(t) })),
      { source: 'metrics' as const, time: m(4), error: '503 Service Unavailable from metrics.k8s.io' },
      ...[-2, -1, 0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 11].map((t) => ({
        source: 'summary' as const,
        node: 'n1',
        time: m(t),
      })),
      { source: 'summary' as const, node: 'n1', time: m(7), error: '500 from node proxy' },
      ...[5, 6, 7, 8, 9, 10].map((t) => ({ source: 'summary' as const, node: 'n2', time: m(t) })), // a new node
      ...[-1, 0, 1, 2, 3, 4, 5, 6, 7, 8].map((t) => ({ source: 'inventory' as const, time: m(t) })),
    ];
    const r = integrateInterval({
      start: m(0),
      end: m(10),
      samplePeriodMs: MIN,
      observedFrom: m(-3),
      expectedSources: ['inventory', 'metrics', 'summary'],
      observations: batch({ scrapes }),
    });
    expect(r.gaps).toEqual([
      {
        source: 'inventory',
        start: m(8),
        end: m(10),
        reason:
          'inventory (pods, claims, services): no sample (collector not running, cluster unreachable, a round slower than 2.5 sample periods, or its clock jumped ahead)',
      },
      {
        source: 'metrics',
        start: m(3),
        end: m(9),
        reason: 'metrics.k8s.io: 503 Service Unavailable from metrics.k8s.io',
      },
      {
        source: 'summary',
        node: 'n1',
        start: m(6),
        end: m(8),
        reason: 'kubelet Summary API: 500 from node proxy',
      },
    ]);
    expect(r.coverage).toBeCloseTo(0.3, 12);
    expect(r.rows).toEqual([]);
  });
});

describe('a finished run whose tail crosses an interval boundary', () => {
  // A run of 20 minutes at changing rates, read every minute, that finishes 40 s after a
  // boundary its last reading came 20 s before. Each interval is integrated from its own window
  // (three periods before it): the tail must come out the same in both.
  const P = MIN;
  const boundary = T0 + 20 * MIN;
  const readings = Array.from({ length: 20 }, (_, i) => ({
    podUid: 'p',
    container: 'c',
    time: T0 + (i + 1) * MIN - 20 * S,
    containerStart: T0,
    coreNanos: BigInt(((i + 1) * (i + 2)) / 2) * 30n * G, // the rate grows each minute
  }));
  const finish = boundary + 40 * S;
  const inventories = [
    inventory(T0, [pod('p', { containers: [container('c', { runningSince: T0 })] })]),
    inventory(boundary + MIN, [
      pod('p', {
        phase: 'Succeeded',
        containers: [container('c', { terminated: { startedAt: T0, finishedAt: finish } })],
      }),
    ]),
  ];
  const used = (start: number, end: number) => {
    const observedFrom = start - 3 * P;
    const r = integrateInterval({
      start,
      end,
      samplePeriodMs: P,
      observedFrom,
      expectedSources: [],
      observations: batch({ inventories, cpuCounters: readings.filter((x) => x.time >= observedFrom) }),
    });
    return r.rows.find((row) => row.pod?.uid === 'p')?.usage.cpuCoreNanos ?? 0n;
  };

  it('adds up to the whole run, whatever each window holds', () => {
    const whole = used(T0, boundary + 15 * MIN);
    expect(used(T0, boundary) + used(boundary, boundary + 15 * MIN)).toBe(whole);
    // The last reading, and 60 s more at the run's mean rate since its start (its first reading
    // is 20 minutes before the finish: outside the next interval's window).
    const last = readings.at(-1)!.coreNanos;
    expect(whole).toBe(last + (last * 60n) / BigInt(20 * 60 - 20));
  });
});
