/**
 * Accuracy on a scenario written for no feature in particular: every usage profile kind with
 * uneven parameters, several containers with different requests, init containers larger than the
 * app, restarts (one pod ends after them), GPUs, spot and on-demand nodes, a claim shared by two
 * pods and one outliving its pod, LoadBalancers coming and going mid-interval, a recurring job,
 * churning generator jobs over many owners and projects, an owner given only by the `user` label,
 * and a pod without labels. Six hours sampled every 60 s must match /sim/truth per owner and per
 * project within the targets: requests, GPU, pod time and storage 0.1 %, CPU 0.5 % (steady) or
 * 2 % (churning jobs), memory 1 %, network 0.5 %.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UsageAmounts, UsageField } from '../../src/domain/usage.js';
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

const HOUR = 3_600_000;
const SPAN = 6 * HOUR;

const SCENARIO = `
name: general
seed: 11
start: 2026-03-02T00:00:00Z
nodes:
  - { name: 'od-{i}', count: 2, instanceType: m5.4xlarge, capacity: { cpu: '16', memory: 64Gi } }
  - { name: 'spot-{i}', count: 2, capacityType: spot, capacity: { cpu: '16', memory: 64Gi } }
  - { name: gpu-1, instanceType: g5.12xlarge, capacity: { cpu: '48', memory: 192Gi, nvidia.com/gpu: '4' } }
persistentVolumeClaims:
  - { name: shared, namespace: proj-a-amy, capacity: 30Gi, used: 12Gi, labels: { owner: amy, project: proj-a } }
  - { name: outlive, namespace: proj-b-bo, capacity: 7Gi, start: 10m, end: 5h, labels: { owner: bo, project: proj-b } }
services:
  - { name: lb1, namespace: proj-a-amy, type: LoadBalancer, start: 7m30s, end: 2h }
  - { name: lb2, namespace: proj-b-bo, type: LoadBalancer, start: 15m }
pods:
  - name: multi
    namespace: proj-a-amy
    node: od-1
    labels: { owner: amy, project: proj-a }
    start: 60s
    end: 5h
    initContainers: [{ name: init, requests: { cpu: '3', memory: 1Gi } }]
    volumes: [{ claim: shared }]
    containers:
      - name: a
        requests: { cpu: 500m, memory: 1Gi }
        restarts: [1h, 2h30m]
        usage:
          cpu: { kind: sine, base: 700m, amplitude: 300m, period: 37m, phase: 5m }
          memory: { kind: ramp, from: 200Mi, to: 2Gi, over: 40m }
          networkTx: { kind: square, low: 1k, high: 50k, period: 10m, duty: 0.3 }
          networkRx: 10k
      - name: b
        requests: { cpu: 250m, memory: 256Mi }
        usage:
          cpu: { kind: randomWalk, start: 100m, step: 50m, min: 10m, max: 2, interval: 3m }
          memory: { kind: spikes, base: 100Mi, height: 300Mi, every: 20m, duration: 4m }
          networkRx: { kind: spikes, base: 1k, height: 1M, every: 30m, duration: 2m }
  - name: reader
    namespace: proj-a-amy
    node: spot-1
    labels: { owner: amy, project: proj-a }
    start: 15m
    end: 3h15m
    volumes: [{ claim: shared }]
    containers:
      - name: main
        requests: { cpu: '1', memory: 2Gi }
        usage: { cpu: { kind: square, low: 100m, high: 1500m, period: 7m, duty: 0.4, phase: 1m }, memory: 1Gi }
  - name: notebook
    namespace: proj-a-cy
    labels: { user: cy, project: proj-a }
    start: 20m
    containers:
      - name: nb
        requests: { cpu: 500m, memory: 1Gi }
        restarts: [2h]
        usage: { cpu: 450m, memory: { kind: sine, base: 800Mi, amplitude: 200Mi, period: 50m }, networkTx: 2k }
  - name: gpu-train
    namespace: proj-b-bo
    labels: { owner: bo, user: someoneelse, project: proj-b }
    start: 30m
    end: 4h
    volumes: [{ claim: outlive }]
    containers:
      - name: trainer
        requests: { cpu: '4', memory: 16Gi, nvidia.com/gpu: '2' }
        usage: { cpu: 3500m, memory: 12Gi, networkRx: 5M }
  - name: nolabels
    namespace: misc
    end: 5h45m
    containers:
      - { name: x, requests: { cpu: 100m, memory: 128Mi }, usage: { cpu: 300m, memory: 64Mi } }
  - name: cron-ish
    namespace: proj-b-bo
    labels: { owner: bo, project: proj-b, compute-type: job }
    start: 2m
    end: 5h
    every: 15m
    duration: { min: 1m, max: 9m }
    containers:
      - { name: main, requests: { cpu: '2', memory: 1Gi }, usage: { cpu: 1500m, memory: 700Mi } }
generators:
  - name: gen
    count: 40
    owners: { count: 7, prefix: user }
    projects: { count: 3, prefix: p }
    lifetime: { min: 2m, max: 45m }
    gap: 30s
    spread: 30m
    labels: { compute-type: job }
    profiles:
      - name: a
        weight: 2
        containers:
          - name: main
            requests: { cpu: 300m, memory: 512Mi }
            usage:
              cpu: { kind: ramp, from: 100m, to: 800m, over: 10m }
              memory: { kind: randomWalk, start: 300Mi, step: 20Mi, min: 100Mi, max: 1Gi, interval: 2m }
              networkTx: 20k
      - name: b
        weight: 1
        initContainers: [{ name: setup, requests: { cpu: '1', memory: 3Gi } }]
        containers:
          - { name: one, requests: { cpu: 200m, memory: 256Mi }, usage: { cpu: { kind: sine, base: 200m, amplitude: 150m, period: 5m }, memory: 200Mi } }
          - { name: two, requests: { cpu: 100m, memory: 2Gi, nvidia.com/gpu: '1' }, usage: { cpu: 50m, memory: 1Gi } }
`;

/** The generator's owners run only churning jobs; everyone else's pods are steady. */
const cpuTarget = (key: string) => (/^(user\d|p\d)$/.test(key) ? 0.02 : 0.005);

let rig: Rig;
beforeAll(async () => {
  rig = await startRig({ scenarioYaml: SCENARIO });
  await rig.collectUntil(rig.t0 + SPAN + 3 * 60_000, 60_000);
}, 300_000);
afterAll(async () => rig?.close());

const ledger = (groupKey: GroupKey) => usageBy(rig, groupKey, rig.t0, rig.t0 + SPAN);

function expectWithinTargets(key: string, got: UsageAmounts | undefined, truth: TruthGroup): void {
  expect(got, `${key} in the ledger`).toBeDefined();
  const want = truthAmounts(truth);
  for (const [field, target] of Object.entries({ ...ACCURACY_TARGETS, cpuCoreNanos: cpuTarget(key) })) {
    const f = field as UsageField;
    expect(
      relError(got![f], want[f] ?? 0n),
      `${key} ${f}: ledger ${got![f]}, truth ${want[f]}`,
    ).toBeLessThanOrEqual(target);
  }
}

describe('six hours of a scenario written for nothing in particular, sampled every 60 s', () => {
  it.each([
    ['owner', 'label:owner'],
    ['project', 'label:project'],
  ] as const)('matches the truth per %s', async (groupKey, truthGroup) => {
    const ours = await ledger(groupKey);
    const groups = rig.sim.world.truth(rig.t0, rig.t0 + SPAN, truthGroup).groups.filter((g) => g.key !== '');
    expect(groups.length).toBeGreaterThan(groupKey === 'owner' ? 8 : 4);
    for (const g of groups) expectWithinTargets(g.key, ours.get(g.key), g);
  });

  it('bills an owner named by the user label alone, and the pod without labels to __unowned__', async () => {
    const ours = await ledger('owner');
    const byUser = rig.sim.world.truth(rig.t0, rig.t0 + SPAN, 'label:user').groups;
    expectWithinTargets(
      'cy',
      ours.get('cy'),
      byUser.find((g) => g.key === 'cy')!,
    );
    const misc = rig.sim.world
      .truth(rig.t0, rig.t0 + SPAN, 'namespace')
      .groups.find((g) => g.key === 'misc')!;
    expectWithinTargets('__unowned__', ours.get('__unowned__'), misc);
  });
});
