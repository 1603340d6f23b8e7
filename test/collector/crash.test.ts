/**
 * Crashes (issue 4): a collector process is killed with SIGKILL at 20 points of a 6-hour
 * manual-clock run of `demo` (anywhere in its round: while sampling, storing, integrating or
 * writing), and restarted each time. Every interval must be written exactly once, the amounts
 * known exactly from state times (requests, GPUs, pod time, storage) must equal an uninterrupted
 * run's to the unit, and the sampled ones (CPU, memory, network) stay within metering accuracy.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../src/app/context.js';
import type { UsageField } from '../../src/domain/usage.js';
import type { UsageRow } from '../../src/ledger/types.js';
import { CollectorChild } from '../support/collector-child.js';
import { relError, startRig, type Rig } from '../support/collection.js';
import { debitsAndCosts } from '../support/balances.js';

const MIN = 60_000;
const SPAN = 6 * 60 * MIN;
const EXACT: UsageField[] = [
  'cpuRequestCoreNanos',
  'memoryRequestByteSeconds',
  'gpuMillis',
  'podMillis',
  'storageByteSeconds',
];
const SAMPLED: [UsageField, number][] = [
  ['cpuCoreNanos', 0.02],
  ['memoryByteSeconds', 0.01],
  ['networkRxBytes', 0.005],
  ['networkTxBytes', 0.005],
];

/** 20 distinct minutes, at least 3 apart, from a fixed seed (so a failure can be replayed). */
function killMinutes(): Map<number, number> {
  let x = 2463534242;
  const rand = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 2 ** 32);
  const out = new Map<number, number>();
  while (out.size < 20) {
    const m = 2 + Math.floor(rand() * 355);
    if ([...out.keys()].every((k) => Math.abs(k - m) >= 3)) out.set(m, Math.floor(rand() * 120));
  }
  return out;
}

describe('a collector killed 20 times during 6 hours', () => {
  let shared: Rig; // the ledger the collector processes write to
  let baseline: Rig;
  let child: CollectorChild | undefined;

  beforeAll(async () => {
    baseline = await startRig({ scenario: 'demo' });
    await baseline.collectUntil(baseline.t0 + SPAN + 2 * MIN, MIN);

    shared = await startRig({ scenario: 'demo', engine: 'postgres' });
    const sim = shared.sim;
    child = await CollectorChild.start({
      ...shared.childEnv,
      KUBETALLY_INSTANCE_ID: 'crash-test', // a restarted collector takes its lease back at once
    });
    const kills = killMinutes();
    for (let m = 0; m <= SPAN / MIN + 2; m++) {
      const killAfter = kills.get(m);
      if (killAfter === undefined) await child.round();
      else await child.killDuringRound(killAfter);
      sim.clock.advance(MIN);
    }
    await child.round();
  }, 900_000);

  afterAll(async () => {
    await child?.kill();
    await shared?.close();
    await baseline?.close();
  });

  const usage = (c: AppContext, t0: number) =>
    c.store.queryUsage({ from: t0, to: t0 + SPAN, groupBy: ['owner'], step: 'total' });
  const byOwner = (rows: UsageRow[]) => new Map(rows.map((r) => [r.group.owner, r.usage]));

  it('debits every owner exactly the cost of their intervals, once', async () => {
    const balances = await debitsAndCosts(shared.ctx.db);
    expect(balances.length).toBeGreaterThan(3);
    for (const b of balances) expect(b.debited, b.owner).toBe(b.cost);
  });

  it('writes each of the 24 intervals exactly once', async () => {
    const runs = (await shared.ctx.store.recentRuns(shared.cluster.id, 100)).filter(
      (r) => r.intervalStart < baseline.t0 + SPAN,
    );
    expect(runs.map((r) => r.intervalStart - baseline.t0).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 24 }, (_, i) => i * 15 * MIN),
    );
  });

  it('loses no state-time amount and counts none twice', async () => {
    const got = byOwner(await usage(shared.ctx, baseline.t0));
    const want = byOwner(await usage(baseline.ctx, baseline.t0));
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [owner, w] of want) {
      for (const f of EXACT) expect(got.get(owner)?.[f], `${owner} ${f}`).toBe(w[f]);
    }
  });

  it('keeps sampled amounts within metering accuracy; single lost samples are bridged, not gaps', async () => {
    const got = byOwner(await usage(shared.ctx, baseline.t0));
    for (const [owner, w] of byOwner(await usage(baseline.ctx, baseline.t0))) {
      for (const [f, tol] of SAMPLED) {
        expect(relError(got.get(owner)?.[f] ?? 0n, w[f]), `${owner} ${f}`).toBeLessThanOrEqual(tol);
      }
    }
    expect(await shared.ctx.store.listGaps({ from: baseline.t0, to: baseline.t0 + SPAN })).toEqual([]);
  });
});
