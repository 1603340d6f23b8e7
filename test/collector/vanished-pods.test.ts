/**
 * Pods deleted the moment they finish (Jobs with ttlSecondsAfterFinished: 0) leave no finish time
 * to read: each ended somewhere between the last inventory that listed it running and the first
 * without it. 6 simulated hours of such jobs, sampled every 60 s: their pod hours and requests
 * must come out without bias (each pod off by at most half a period, the total within 2 %), while
 * jobs that stay listed once finished stay exact.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageField } from '../../src/domain/usage.js';
import { relError, startRig, truthAmounts, type Rig } from '../support/collection.js';

const HOUR = 3_600_000;
const MIN = 60_000;

const job = (name: string, owner: string, exit: string) => `
  - name: ${name}
    namespace: etl
    labels: { owner: ${owner}, project: etl }
    controller: CronJob
    start: 2m
    every: 7m
    end: 6h
    duration: { min: 2m, max: 9m }
    exit: ${exit}
    containers:
      - name: main
        requests: { cpu: 500m, memory: 1Gi }
        usage: { cpu: 400m, memory: 800Mi, networkRx: 10k }
`;

const SCENARIO = `
name: vanishing
seed: 7
start: 2026-05-04T00:00:00Z
nodes:
  - { name: 'n-{i}', count: 2, capacity: { cpu: '8', memory: 32Gi } }
pods:
${job('gone', 'alice', 'deleted')}
${job('kept', 'bob', 'succeeded')}
`;

describe('pods deleted as they finish (6 h, sampled every 60 s)', () => {
  let rig: Rig;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kubetally-vanishing-'));
    const file = join(dir, 'vanishing.yaml');
    await writeFile(file, SCENARIO);
    rig = await startRig({ scenario: file });
    await rig.collectUntil(rig.t0 + 6 * HOUR + 3 * MIN, MIN);
  }, 300_000);
  afterAll(async () => {
    await rig?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  const usageOf = async (owner: string) => {
    const rows = await rig.ctx.store.queryUsage({
      from: rig.t0,
      to: rig.t0 + 6 * HOUR,
      groupBy: ['owner'],
      step: 'total',
      owner,
    });
    const truth = rig.sim.world.truth(rig.t0, rig.t0 + 6 * HOUR, 'label:owner');
    return { got: rows[0]!.usage, want: truthAmounts(truth.groups.find((g) => g.key === owner)) };
  };

  it('keeps jobs that stay listed exact', async () => {
    const { got, want } = await usageOf('bob');
    for (const f of ['podMillis', 'cpuRequestCoreNanos', 'memoryRequestByteSeconds'] as UsageField[]) {
      expect(got[f], f).toBe(want[f]);
    }
  });

  it('ends a deleted job halfway between the inventories around its end: no bias', async () => {
    const { got, want } = await usageOf('alice');
    for (const f of ['podMillis', 'cpuRequestCoreNanos', 'memoryRequestByteSeconds'] as UsageField[]) {
      expect(relError(got[f], want[f]!), `${f}: ledger ${got[f]}, truth ${want[f]}`).toBeLessThan(0.02);
    }
    // Every pod is off by at most half a sample period (30 s), never by a whole one.
    const pods = await rig.ctx.db.query<{ pod_name: string; ms: unknown }>(
      `SELECT pod_name, sum(pod_millis) AS ms FROM usage_pod_interval WHERE owner = 'alice' GROUP BY pod_name`,
    );
    const truth = rig.sim.world.truth(rig.t0, rig.t0 + 6 * HOUR, 'pod');
    expect(pods.length).toBeGreaterThan(40);
    for (const p of pods) {
      const t = truth.groups.find((g) => g.key === `etl/${p.pod_name}`);
      expect(Math.abs(Number(p.ms) - t!.podSeconds * 1000), p.pod_name).toBeLessThanOrEqual(30_000);
    }
  });
});
