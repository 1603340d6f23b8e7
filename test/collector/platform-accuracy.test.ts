/**
 * Accuracy on `fixtures/platform.yaml`, a platform team's cluster: StatefulSet replicas with a
 * claim each (one created late and Pending 11 min, one OOMKilled twice), DaemonSets on every node
 * (one with a sidecar, one crash-looping with CPU spikes), a Deployment of three containers of very
 * different loads, a notebook idle between bursts, GPU trials of fractional-hour lives, a training
 * job Pending for over an hour, and owners and projects whose labels override the namespace
 * pattern `{project}-{user}`. It starts at 21:47:13 UTC and crosses midnight and a month's end.
 * Sampled every 60 s, its whole intervals must match /sim/truth per owner and per project within
 * the targets, and requests, GPUs, pod time and storage to the unit.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addUsage, zeroUsage, type UsageAmounts, type UsageField } from '../../src/domain/usage.js';
import type { GroupKey } from '../../src/ledger/types.js';
import type { TruthGroup } from '../../src/simulator/world.js';
import {
  ACCURACY_TARGETS,
  relError,
  startRig,
  truthAmounts,
  usageBy,
  type Rig,
} from '../support/collection.js';

const MINUTE = 60_000;
const INTERVAL = 15 * MINUTE;
/** Exact whatever the sampling: they come from state times and claim lifetimes. */
const EXACT: UsageField[] = [
  'cpuRequestCoreNanos',
  'memoryRequestByteSeconds',
  'gpuMillis',
  'podMillis',
  'storageByteSeconds',
];

let rig: Rig;
let from: number;
let to: number;
beforeAll(async () => {
  rig = await startRig({
    scenario: fileURLToPath(new URL('fixtures/platform.yaml', import.meta.url)),
    attribution: { namespacePattern: '{project}-{user}' },
  });
  // The scenario starts at 21:47:13: the ledger's whole intervals within its 6 h are 22:00–03:45.
  from = Math.ceil(rig.t0 / INTERVAL) * INTERVAL;
  to = Math.floor((rig.t0 + 6 * 60 * MINUTE) / INTERVAL) * INTERVAL;
  await rig.collectUntil(to + 3 * MINUTE, MINUTE);
}, 120_000);
afterAll(async () => rig?.close());

const ledger = (groupKey: GroupKey) => usageBy(rig, groupKey, from, to);
const truth = (groupBy: 'label:owner' | 'label:project' | 'pod') =>
  rig.sim.world.truth(from, to, groupBy).groups;
const sum = (groups: (TruthGroup | undefined)[]): Partial<UsageAmounts> =>
  groups.reduce<UsageAmounts>((acc, g) => addUsage(acc, { ...zeroUsage(), ...truthAmounts(g) }), zeroUsage());

function expectMatches(key: string, got: UsageAmounts | undefined, want: Partial<UsageAmounts>): void {
  expect(got, `${key} in the ledger`).toBeDefined();
  for (const [field, target] of Object.entries({ ...ACCURACY_TARGETS, cpuCoreNanos: 0.005 })) {
    const f = field as UsageField;
    expect(
      relError(got![f], want[f] ?? 0n),
      `${key} ${f}: ledger ${got![f]}, truth ${want[f]}`,
    ).toBeLessThanOrEqual(target);
  }
  for (const f of EXACT) expect(got![f], `${key} ${f}`).toBe(want[f] ?? 0n);
}

describe('a platform team’s cluster across midnight, sampled every 60 s', () => {
  it('spans the midnight and the month’s end it is meant to', () => {
    expect(new Date(from).toISOString()).toBe('2026-03-31T22:00:00.000Z');
    expect(new Date(to).toISOString()).toBe('2026-04-01T03:45:00.000Z');
  });

  it('matches the truth for every owner its labels name', async () => {
    const ours = await ledger('owner');
    const groups = truth('label:owner').filter((g) => g.key !== '' && g.key !== 'alice');
    expect(groups.map((g) => g.key).sort()).toEqual(['ana', 'dba', 'kim', 'shop-team', 'sre', 'zed']);
    for (const g of groups) expectMatches(g.key, ours.get(g.key), truthAmounts(g));
  });

  it('bills pods without an owner label to the namespace pattern’s user, and labels over the namespace', async () => {
    const ours = await ledger('owner');
    const pods = truth('pod');
    const pod = (key: string) => pods.find((g) => g.key === key);
    // alice: her two shared-svc pods in `platform` by label, and `moved` by its namespace
    // fraud-alice; not `consultant`, whose label names zed.
    const alice = truth('label:owner').find((g) => g.key === 'alice');
    expectMatches('alice', ours.get('alice'), sum([alice, pod('fraud-alice/moved')]));
    expectMatches('bob', ours.get('bob'), sum([pod('team-analytics-bob/bare')]));
    expect(ours.has('__unowned__')).toBe(false);
  });

  it('matches the truth per project, where a project label overrides the namespace', async () => {
    const ours = await ledger('project');
    const groups = truth('label:project').filter((g) => g.key !== '');
    expect(groups.map((g) => g.key).sort()).toEqual([
      'churn-model',
      'ds',
      'fraud',
      'ml',
      'observability',
      'platform',
      'shop',
    ]);
    for (const g of groups) expectMatches(g.key, ours.get(g.key), truthAmounts(g));
    const bare = truthAmounts(truth('pod').find((g) => g.key === 'team-analytics-bob/bare'));
    expectMatches('team-analytics', ours.get('team-analytics'), bare);
  });
});
