/**
 * A collection rig for tests: a simulator on a manual clock, a migrated ledger (PGlite in memory
 * or a fresh schema on the real PostgreSQL), the simulator registered as a cluster, and a driver
 * that advances the cluster's clock and collects, as a collector sampling every period would.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectNow } from '../../src/app/collect.js';
import { sealKubeconfig } from '../../src/app/cluster-connection.js';
import { openApp, type AppContext } from '../../src/app/context.js';
import type { CollectOutcome } from '../../src/collector/outcome.js';
import type { ClusterRecord } from '../../src/ledger/types.js';
import { startSimulator, type SimulatorHandle } from '../../src/simulator/index.js';
import type { TruthGroup } from '../../src/simulator/world.js';
import type { GroupKey } from '../../src/ledger/types.js';
import { USAGE_FIELDS, type UsageAmounts, type UsageField } from '../../src/domain/usage.js';
import { freshDatabase, type Engine, type TestDatabase } from './databases.js';

export const TEST_KEY = 'ab'.repeat(32);

export interface Rig {
  sim: SimulatorHandle;
  ctx: AppContext;
  cluster: ClusterRecord;
  t0: number;
  /** The environment a collector in another process needs to share this ledger (PostgreSQL only). */
  childEnv: Record<string, string>;
  /** Samples now, then every `everyMs` of cluster time until `until` (inclusive). */
  collectUntil(until: number, everyMs: number, each?: (o: CollectOutcome) => void): Promise<void>;
  close(): Promise<void>;
}

export async function startRig(opts: {
  /** A bundled scenario's name or a file; or `scenarioYaml`, the text of one. */
  scenario?: string;
  scenarioYaml?: string;
  engine?: Engine;
  collection?: Record<string, unknown>;
  /** The cluster's attribution rules (docs/attribution.md); the defaults when left out. */
  attribution?: Record<string, unknown>;
}): Promise<Rig> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kubetally-rig-'));
  let scenario = opts.scenario ?? 'demo';
  if (opts.scenarioYaml !== undefined) {
    scenario = join(dataDir, 'scenario.yaml');
    await writeFile(scenario, opts.scenarioYaml);
  }
  const sim = await startSimulator({ scenario, clock: 'manual' });
  let td: TestDatabase | undefined;
  if (opts.engine === 'postgres') td = await freshDatabase('postgres');
  const env = { KUBETALLY_ENCRYPTION_KEY: TEST_KEY, KUBETALLY_DATA_DIR: dataDir };
  const ctx = await openApp({ database: td?.url ?? 'memory://', env });
  const cluster = await ctx.store.createCluster({
    name: 'sim',
    connection: 'kubeconfig',
    kubeconfig: sealKubeconfig(ctx.secrets, 'default', 'sim', sim.kubeconfig),
    collection: opts.collection ?? {},
    ...(opts.attribution === undefined ? {} : { attribution: opts.attribution }),
  });
  return {
    sim,
    ctx,
    cluster,
    t0: sim.clock.now(),
    childEnv: td?.url === undefined ? env : { ...env, KUBETALLY_TEST_DATABASE: td.url },
    async collectUntil(until, everyMs, each) {
      for (;;) {
        const o = await collectNow(ctx, cluster);
        each?.(o);
        if (sim.clock.now() + everyMs > until) break;
        sim.clock.advance(everyMs);
      }
    },
    async close() {
      await ctx.close();
      await td?.dispose();
      await sim.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Truth amounts in the ledger's exact units (rounded: the truth is a float of exact integrals). */
export function truthAmounts(g: TruthGroup | undefined): Partial<UsageAmounts> {
  if (g === undefined) return {};
  const n = (x: number) => BigInt(Math.round(x));
  return {
    cpuCoreNanos: n(g.cpuCoreSeconds * 1e9),
    cpuRequestCoreNanos: n(g.cpuRequestCoreSeconds * 1e9),
    memoryByteSeconds: n(g.memoryByteSeconds),
    memoryRequestByteSeconds: n(g.memoryRequestByteSeconds),
    gpuMillis: n(g.gpuSeconds * 1000),
    storageByteSeconds: n(g.storageByteSeconds),
    networkRxBytes: n(g.networkRxBytes),
    networkTxBytes: n(g.networkTxBytes),
    podMillis: n(g.podSeconds * 1000),
  };
}

/**
 * The accuracy targets (sampling every 60 s) of every field but CPU used, which is 0.5 % for
 * steady workloads and 2 % for churning jobs.
 */
export const ACCURACY_TARGETS: Partial<Record<UsageField, number>> = {
  cpuRequestCoreNanos: 0.001,
  memoryRequestByteSeconds: 0.001,
  gpuMillis: 0.001,
  podMillis: 0.001,
  storageByteSeconds: 0.001,
  memoryByteSeconds: 0.01,
  networkRxBytes: 0.005,
  networkTxBytes: 0.005,
};

/** Relative error of `got` against `want` (0 when both are 0). */
export function relError(got: bigint, want: bigint): number {
  if (want === 0n) return got === 0n ? 0 : Infinity;
  return Math.abs(Number(got - want) / Number(want));
}

export { USAGE_FIELDS };

/**
 * A rig on a scenario, collected every minute from 5 minutes before an interval boundary
 * (`begin`) to 2 minutes past `begin + span` (so that every interval of the span is closed).
 */
export async function collectedSpan(
  scenarioYaml: string,
  span: number,
): Promise<{ rig: Rig; begin: number }> {
  const minute = 60_000;
  const rig = await startRig({ scenarioYaml });
  const begin = Math.ceil((rig.sim.clock.now() + minute) / (15 * minute)) * 15 * minute;
  rig.sim.clock.set(begin - 5 * minute);
  await rig.collectUntil(begin + span + 2 * minute, minute);
  return { rig, begin };
}

/** Usage by owner over [from, to) from the ledger, beside `/sim/truth`'s for each owner. */
export async function ownersAgainstTruth(
  rig: Rig,
  from: number,
  to: number,
): Promise<Map<string, { got: UsageAmounts; want: Partial<UsageAmounts> }>> {
  const rows = await rig.ctx.store.queryUsage({ from, to, groupBy: ['owner'], step: 'total' });
  const truth = rig.sim.world.truth(from, to, 'label:owner');
  return new Map(
    rows.map((r) => [
      r.group.owner!,
      { got: r.usage, want: truthAmounts(truth.groups.find((g) => g.key === r.group.owner)) },
    ]),
  );
}

/** The ledger's usage over [from, to) by one key: group value → amounts. */
export async function usageBy(
  rig: Rig,
  groupKey: GroupKey,
  from: number,
  to: number,
): Promise<Map<string, UsageAmounts>> {
  const rows = await rig.ctx.store.queryUsage({ from, to, groupBy: [groupKey], step: 'total' });
  return new Map(rows.map((r) => [r.group[groupKey]!, r.usage]));
}
