/**
 * A cluster that refuses the PVC list for a while (its RBAC changed): the rounds go on with pods,
 * CPU and memory, but storage is not known while the list is refused. Those stretches are gaps
 * naming the list and the API server's refusal, never an interval that looks complete with its
 * claims' storage quietly cut short; the intervals around them match the truth exactly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleErrors } from '../../src/app/newest-scrapes.js';
import type { CollectOutcome } from '../../src/collector/outcome.js';
import type { GapRecord, RunRecord } from '../../src/ledger/types.js';
import { startRig, truthAmounts, type Rig } from '../support/collection.js';

const MIN = 60_000;
const SCENARIO = `
name: refused-claims
seed: 3
start: 2026-05-04T00:00:00Z
nodes: [{ name: n1, capacity: { cpu: '8', memory: 32Gi } }]
pods:
  - name: app
    namespace: team-a
    labels: { owner: alice }
    containers: [{ name: c, requests: { cpu: 500m, memory: 1Gi }, usage: { cpu: 250m, memory: 512Mi } }]
persistentVolumeClaims:
  - { name: data, namespace: team-a, capacity: 10Gi }
`;

let rig: Rig;
let runs: RunRecord[];
let gaps: GapRecord[];
const outcomes: CollectOutcome[] = [];

beforeAll(async () => {
  rig = await startRig({ scenarioYaml: SCENARIO });
  const at = (m: number) => rig.t0 + m * MIN;
  await rig.collectUntil(at(19), MIN);
  rig.sim.clock.advance(MIN);
  rig.sim.faults.set({ forbidden: ['persistentvolumeclaims'] });
  await rig.collectUntil(at(39), MIN, (o) => outcomes.push(o));
  rig.sim.clock.advance(MIN);
  rig.sim.faults.clear();
  await rig.collectUntil(at(62), MIN);
  runs = await rig.ctx.store.recentRuns(rig.cluster.id, 10);
  gaps = await rig.ctx.store.listGaps({ from: rig.t0, to: at(60) });
}, 120_000);
afterAll(() => rig?.close());

describe('a PVC list refused from minute 20 to 40', () => {
  it('says in each round what is missing and which RBAC rule gives it', () => {
    expect(outcomes).toHaveLength(20);
    for (const o of outcomes) {
      expect(o.sources[0]).toMatchObject({
        source: 'inventory',
        ok: true,
        error: 'persistentvolumeclaims refused (403 Forbidden): no storage',
      });
      expect(o.sources[0]!.hint).toMatch(/resources: \["persistentvolumeclaims"\]/);
    }
  });

  it('records the refusal as a gap of storage from the last list that read the claims to the first again', () => {
    const reason =
      'inventory persistentvolumeclaims (storage): the cluster refused access to /api/v1/persistentvolumeclaims (403 Forbidden)';
    expect(gaps.map((g) => [(g.start - rig.t0) / MIN, (g.end - rig.t0) / MIN])).toEqual([
      [19, 30],
      [30, 40],
    ]);
    for (const g of gaps) expect(g.reason.startsWith(reason), g.reason).toBe(true);
    const byStart = (m: number) => runs.find((r) => r.intervalStart === rig.t0 + m * MIN);
    expect([0, 15, 30, 45].map((m) => byStart(m)?.status)).toEqual([
      'complete',
      'partial',
      'partial',
      'complete',
    ]);
    // Pods, CPU and memory were read all along.
    expect([15, 30].map((m) => byStart(m)?.coverage)).toEqual([1, 1]);
  });

  it("counts the refusals among each interval's errors", () => {
    const errorsOf = (m: number) =>
      runs.find((r) => r.intervalStart === rig.t0 + m * MIN)?.errors as { message: string; count: number }[];
    for (const [m, count] of [
      [15, 10],
      [30, 10],
    ] as const) {
      expect(errorsOf(m)).toHaveLength(1);
      expect(errorsOf(m)[0]).toMatchObject({ count });
      expect(errorsOf(m)[0]!.message).toMatch(
        /^inventory: the cluster refused access to \/api\/v1\/persistentvolumeclaims /,
      );
    }
    expect(errorsOf(45)).toEqual([]);
  });

  it('says so in the sample it was refused', async () => {
    const refused = outcomes.at(-1)!;
    const stored = await rig.ctx.store.readObservations(
      rig.cluster.id,
      Date.parse(refused.clusterTime),
      Date.parse(refused.clusterTime) + 1,
      ['scrapes'],
    );
    expect(sampleErrors(stored[0]!.payload as never).map((e) => e.source)).toEqual(['inventory']);
  });

  it('keeps every other figure exact, and the claim exact where it was read', async () => {
    for (const m of [0, 15, 30, 45]) {
      const [from, to] = [rig.t0 + m * MIN, rig.t0 + (m + 15) * MIN];
      const rows = await rig.ctx.store.queryUsage({ from, to, groupBy: ['namespace'], step: 'total' });
      const row = rows.find((r) => r.group.namespace === 'team-a');
      const want = truthAmounts(
        rig.sim.world.truth(from, to, 'namespace').groups.find((g) => g.key === 'team-a'),
      );
      const got = row!.usage;
      expect([got.cpuCoreNanos, got.cpuRequestCoreNanos, got.memoryByteSeconds, got.podMillis]).toEqual([
        want.cpuCoreNanos,
        want.cpuRequestCoreNanos,
        want.memoryByteSeconds,
        want.podMillis,
      ]);
      // [15, 30) closed while the list was refused: the claim's storage there is known up to the
      // last list that showed it (and half a period on, as for any claim gone from a list).
      const storage = m === 15 ? (want.storageByteSeconds! * 45n) / 150n : want.storageByteSeconds;
      expect(got.storageByteSeconds, `storage from ${m} min`).toBe(storage);
    }
  });
});
