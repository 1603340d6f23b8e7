/**
 * Replicas (issue 4): two collector processes share one PostgreSQL and are asked to collect at
 * the same moments for 3 hours of `demo`. The cluster's lease lets one of them sample; no
 * interval is written twice, and the totals equal a single collector's, to the unit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USAGE_FIELDS } from '../../src/domain/usage.js';
import { CollectorChild } from '../support/collector-child.js';
import { startRig, type Rig } from '../support/collection.js';
import { debitsAndCosts } from '../support/balances.js';

const MIN = 60_000;
const SPAN = 3 * 60 * MIN;

describe('two collectors on one PostgreSQL', () => {
  let shared: Rig; // the ledger the collector processes write to
  let single: Rig;
  const children: CollectorChild[] = [];
  const skipped = [0, 0];

  beforeAll(async () => {
    single = await startRig({ scenario: 'demo', engine: 'postgres' });
    await single.collectUntil(single.t0 + SPAN + 2 * MIN, MIN);

    shared = await startRig({ scenario: 'demo', engine: 'postgres' });
    const sim = shared.sim;
    for (const id of ['replica-a', 'replica-b']) {
      children.push(await CollectorChild.start({ ...shared.childEnv, KUBETALLY_INSTANCE_ID: id }));
    }
    for (let m = 0; m <= SPAN / MIN + 2; m++) {
      const outcomes = await Promise.all(children.map((c) => c.round()));
      outcomes.forEach((o, i) => {
        if ((o[0] as { skipped?: boolean }).skipped) skipped[i]! += 1;
      });
      sim.clock.advance(MIN);
    }
  }, 900_000);

  afterAll(async () => {
    for (const c of children) await c.kill();
    await shared?.close();
    await single?.close();
  });

  it('lets exactly one replica collect each round', () => {
    const rounds = SPAN / MIN + 3;
    expect(skipped[0]! + skipped[1]!).toBe(rounds);
  });

  it('debits every owner exactly the cost of their intervals, once', async () => {
    const balances = await debitsAndCosts(shared.ctx.db);
    expect(balances.length).toBeGreaterThan(3);
    for (const b of balances) expect(b.debited, b.owner).toBe(b.cost);
  });

  it('writes no interval twice', async () => {
    const runs = await shared.ctx.store.recentRuns(shared.cluster.id, 100);
    const starts = runs.map((r) => r.intervalStart);
    expect(new Set(starts).size).toBe(starts.length);
    expect(runs.filter((r) => r.intervalStart < single.t0 + SPAN)).toHaveLength(12);
  });

  it("totals equal a single collector's, every field to the unit", async () => {
    const q = {
      from: single.t0,
      to: single.t0 + SPAN,
      groupBy: ['owner', 'project'] as const,
      step: 'interval' as const,
    };
    const got = await shared.ctx.store.queryUsage({ ...q, groupBy: [...q.groupBy] });
    const want = await single.ctx.store.queryUsage({ ...q, groupBy: [...q.groupBy] });
    expect(got.length).toBe(want.length);
    for (const [i, w] of want.entries()) {
      expect(got[i]?.group).toEqual(w.group);
      for (const f of USAGE_FIELDS)
        expect(got[i]?.usage[f], `${JSON.stringify(w.group)} ${f}`).toBe(w.usage[f]);
    }
  });
});
