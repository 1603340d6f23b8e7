/**
 * Pods deleted the moment they finish (Jobs with ttlSecondsAfterFinished: 0, pods removed by their
 * controller). A list every 60 s cannot read how they ended; the watch of pods that follows the
 * lists (collection setting `watch`, on by default) receives each one's final state, so they are
 * accounted exactly, even those that lived entirely between two lists. Without the watch each
 * such pod ends halfway between the lists around its end: off by at most half a period and
 * without bias (the total within 2 %); one that lived between two lists is not seen at all.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageField } from '../../src/domain/usage.js';
import { relError, startRig, truthAmounts, type Rig } from '../support/collection.js';

const HOUR = 3_600_000;
const MIN = 60_000;
const STATE_FIELDS: UsageField[] = ['podMillis', 'cpuRequestCoreNanos', 'memoryRequestByteSeconds'];

const job = (name: string, owner: string, o: { every: string; duration: string; exit: string }) => `
  - name: ${name}
    namespace: etl
    labels: { owner: ${owner}, project: etl }
    controller: CronJob
    start: 2m
    every: ${o.every}
    end: 6h
    duration: ${o.duration}
    exit: ${o.exit}
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
${job('gone', 'alice', { every: '7m', duration: '{ min: 2m, max: 9m }', exit: 'deleted' })}
${job('kept', 'bob', { every: '7m', duration: '{ min: 2m, max: 9m }', exit: 'succeeded' })}
${job('blink', 'carol', { every: '5m', duration: '{ min: 15s, max: 40s }', exit: 'deleted' })}
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubetally-vanishing-'));
  await writeFile(join(dir, 'vanishing.yaml'), SCENARIO);
});
afterAll(async () => {
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

async function collect(watch: boolean): Promise<Rig> {
  const rig = await startRig({ scenario: join(dir, 'vanishing.yaml'), collection: { watch } });
  await rig.collectUntil(rig.t0 + 6 * HOUR + 3 * MIN, MIN);
  return rig;
}

async function usageOf(rig: Rig, owner: string) {
  const rows = await rig.ctx.store.queryUsage({
    from: rig.t0,
    to: rig.t0 + 6 * HOUR,
    groupBy: ['owner'],
    step: 'total',
    owner,
  });
  const truth = rig.sim.world.truth(rig.t0, rig.t0 + 6 * HOUR, 'label:owner');
  return { got: rows[0]?.usage, want: truthAmounts(truth.groups.find((g) => g.key === owner)) };
}

describe('pods deleted as they finish, watched (6 h, sampled every 60 s)', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await collect(true);
  }, 300_000);
  afterAll(async () => rig?.close());

  it.each(['alice', 'bob', 'carol'])('accounts %s exactly from the final states', async (owner) => {
    const { got, want } = await usageOf(rig, owner);
    for (const f of STATE_FIELDS) expect(got?.[f], `${owner} ${f}`).toBe(want[f]);
  });
});

describe('pods deleted as they finish, not watched (6 h, sampled every 60 s)', () => {
  let rig: Rig;
  beforeAll(async () => {
    rig = await collect(false);
  }, 300_000);
  afterAll(async () => rig?.close());

  it('keeps jobs that stay listed exact', async () => {
    const { got, want } = await usageOf(rig, 'bob');
    for (const f of STATE_FIELDS) expect(got?.[f], f).toBe(want[f]);
  });

  it('ends a deleted job halfway between the inventories around its end: no bias', async () => {
    const { got, want } = await usageOf(rig, 'alice');
    for (const f of STATE_FIELDS) {
      expect(relError(got![f], want[f]!), `${f}: ledger ${got![f]}, truth ${want[f]}`).toBeLessThan(0.02);
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
