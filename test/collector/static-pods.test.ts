/**
 * Static pods (kubelet manifests: etcd, the API server on kubeadm control planes) are reported by
 * the kubelet under their manifest's hash, and listed by the API server as mirror pods of another
 * UID, owned by their node. Joined by node, namespace and name, their CPU comes from the kubelet's
 * counters as every other pod's does, exactly, rather than from sampled rates.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectedSpan, ownersAgainstTruth, relError, type Rig } from '../support/collection.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
// CPU that swings within a sample period: sampled rates miss most of it, counters do not.
const SCENARIO = `
name: static-pods
seed: 11
nodes:
  - { name: cp-0, role: control-plane, capacity: { cpu: '4', memory: 16Gi } }
  - { name: worker-0, capacity: { cpu: '8', memory: 32Gi } }
pods:
  - name: etcd
    namespace: kube-system
    controller: Node
    node: cp-0
    hostNetwork: true
    labels: { owner: platform }
    containers:
      - name: etcd
        requests: { cpu: 100m, memory: 100Mi }
        usage: { cpu: { kind: square, low: 50m, high: 1500m, period: 50s }, memory: 300Mi }
  - name: web
    namespace: shop
    node: worker-0
    labels: { owner: alice }
    containers:
      - name: app
        requests: { cpu: 500m }
        usage: { cpu: { kind: square, low: 50m, high: 1500m, period: 50s }, memory: 200Mi }
`;

let run: { rig: Rig; begin: number };
beforeAll(async () => {
  run = await collectedSpan(SCENARIO, HOUR);
}, 120_000);
afterAll(async () => run?.rig.close());

it('serves a static pod as a kubelet and an API server do: a mirror pod of another UID', () => {
  const { rig, begin } = run;
  const t = begin + 10 * MIN;
  const pod = rig.sim.world.render(
    rig.sim.world.list('pods', t).find((h) => h.name === 'etcd-cp-0')!,
    t,
  ) as {
    metadata: { name: string; uid: string; annotations: Record<string, string>; ownerReferences: object[] };
  };
  expect(pod.metadata.name).toBe('etcd-cp-0');
  expect(pod.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'Node', name: 'cp-0' })]);
  const summary = rig.sim.world.nodeSummary('cp-0', t) as {
    pods: { podRef: { name: string; uid: string } }[];
  };
  const ref = summary.pods.find((p) => p.podRef.name === 'etcd-cp-0')!.podRef;
  expect(ref.uid).toMatch(/^[0-9a-f]{32}$/);
  expect(ref.uid).not.toBe(pod.metadata.uid);
  expect(pod.metadata.annotations['kubernetes.io/config.mirror']).toBe(ref.uid);
});

it("meters the static pod's CPU from the kubelet's counters, as exactly as any other pod's", async () => {
  const { rig, begin } = run;
  const owners = await ownersAgainstTruth(rig, begin, begin + HOUR);
  for (const owner of ['platform', 'alice']) {
    const { got, want } = owners.get(owner)!;
    expect(relError(got.cpuCoreNanos, want.cpuCoreNanos!), owner).toBeLessThanOrEqual(0.001);
    expect(relError(got.memoryByteSeconds, want.memoryByteSeconds!), owner).toBeLessThanOrEqual(0.001);
    expect(got.podMillis, owner).toBe(BigInt(HOUR));
  }
});
