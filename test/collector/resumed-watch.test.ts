/**
 * `kubetally collect` from cron: each round is a new process, which has no watch running from the
 * round before. It resumes the watches of pods, claims and services from the lists of the newest
 * stored sample, so that pods deleted as they finished (even ones that lived entirely between two
 * rounds) come in their final state, as they do for a long-running collector. Each round here is
 * taken by a new app context on the same PostgreSQL ledger, as a new process would.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectNow } from '../../src/app/collect.js';
import { sealKubeconfig } from '../../src/app/cluster-connection.js';
import { openApp, type AppContext } from '../../src/app/context.js';
import type { CollectOutcome } from '../../src/collector/outcome.js';
import type { UsageField } from '../../src/domain/usage.js';
import { startSimulator, type SimulatorHandle } from '../../src/simulator/index.js';
import { freshDatabase, type TestDatabase } from '../support/databases.js';
import { TEST_KEY, truthAmounts } from '../support/collection.js';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HOUR = 3_600_000;
const MIN = 60_000;
const STATE_FIELDS: UsageField[] = ['podMillis', 'cpuRequestCoreNanos', 'memoryRequestByteSeconds'];

const SCENARIO = `
name: cron-collected
seed: 11
start: 2026-05-04T00:00:00Z
nodes:
  - { name: 'n-{i}', count: 2, capacity: { cpu: '8', memory: 32Gi } }
pods:
  - name: blink
    namespace: etl
    labels: { owner: carol, project: etl }
    controller: CronJob
    start: 2m
    every: 3m
    end: 2h
    duration: { min: 10s, max: 40s }
    exit: deleted
    containers:
      - name: main
        requests: { cpu: 500m, memory: 1Gi }
        usage: { cpu: 400m, memory: 800Mi }
  - name: gone
    namespace: etl
    labels: { owner: alice, project: etl }
    controller: CronJob
    start: 1m
    every: 7m
    end: 2h
    duration: { min: 2m, max: 5m }
    exit: deleted
    containers:
      - name: main
        requests: { cpu: 250m, memory: 512Mi }
        usage: { cpu: 200m, memory: 400Mi }
`;

let dir: string;
let sim: SimulatorHandle;
let td: TestDatabase;
let t0: number;
const ENV = { KUBETALLY_ENCRYPTION_KEY: TEST_KEY };

/** One `kubetally collect`: a new context, one round, closed. */
async function collectInNewProcess(env: Record<string, string>): Promise<CollectOutcome> {
  const ctx = await openApp({ database: td.url!, env });
  try {
    const cluster = (await ctx.store.listClusters()).find((c) => c.name === 'sim')!;
    return await collectNow(ctx, cluster);
  } finally {
    await ctx.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kubetally-cron-'));
  await writeFile(join(dir, 'scenario.yaml'), SCENARIO);
  sim = await startSimulator({ scenario: join(dir, 'scenario.yaml'), clock: 'manual' });
  t0 = sim.clock.now();
  td = await freshDatabase('postgres');
  const ctx: AppContext = await openApp({ database: td.url!, env: ENV });
  await ctx.store.createCluster({
    name: 'sim',
    connection: 'kubeconfig',
    kubeconfig: sealKubeconfig(ctx.secrets, 'default', 'sim', sim.kubeconfig),
    collection: {},
  });
  await ctx.close();
  for (let t = t0; t <= t0 + 2 * HOUR + 3 * MIN; t += MIN) {
    if (t > t0) sim.clock.advance(MIN);
    await collectInNewProcess(ENV);
  }
}, 300_000);

afterAll(async () => {
  await td?.dispose();
  await sim?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('collect in a new process every minute (2 h): watches resume from the stored lists', () => {
  it.each(['alice', 'carol'])(
    'accounts %s, whose pods were deleted as they finished, exactly',
    async (owner) => {
      const ctx = await openApp({ database: td.url!, env: ENV });
      try {
        const rows = await ctx.store.queryUsage({
          from: t0,
          to: t0 + 2 * HOUR,
          groupBy: ['owner'],
          step: 'total',
          owner,
        });
        const truth = sim.world.truth(t0, t0 + 2 * HOUR, 'label:owner');
        const want = truthAmounts(truth.groups.find((g) => g.key === owner));
        expect(want.podMillis! > 0n).toBe(true);
        for (const f of STATE_FIELDS) expect(rows[0]?.usage[f], `${owner} ${f}`).toBe(want[f]);
      } finally {
        await ctx.close();
      }
    },
  );

  it('starts afresh when the stored lists are older than the API server keeps (410), with no error', async () => {
    sim.clock.advance(10 * MIN); // the simulator, as etcd, compacts after 5 minutes
    const o = await collectInNewProcess(ENV);
    expect(o.sources.map((s) => [s.source, s.ok, s.error])).toEqual([
      ['inventory', true, undefined],
      ['metrics', true, undefined],
      ['summary', true, undefined],
    ]);
  });
});
