/**
 * A pod in the node's network namespace (`hostNetwork: true`: kube-proxy, CNI and node agents) is
 * reported by the kubelet with the node's interfaces: the node's traffic, the same for every such
 * pod, not its own. Billed as its own, each of them would pay the whole node's egress again. Their
 * network is left out; every other pod's is exact.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { collectedSpan, ownersAgainstTruth, relError, type Rig } from '../support/collection.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const SCENARIO = `
name: host-network
seed: 5
nodes:
  - { name: node-1, capacity: { cpu: '8', memory: 32Gi } }
pods:
  - name: web
    namespace: shop
    labels: { owner: alice }
    containers:
      - { name: app, requests: { cpu: 500m }, usage: { cpu: 300m, memory: 200Mi, networkRx: 40k, networkTx: 90k } }
  - name: agent
    namespace: kube-system
    controller: DaemonSet
    hostNetwork: true
    labels: { owner: ops }
    containers:
      - { name: a, requests: { cpu: 50m }, usage: { cpu: 20m, memory: 50Mi, networkTx: 2k } }
`;

let rig: Rig;
let begin: number;
beforeAll(async () => {
  ({ rig, begin } = await collectedSpan(SCENARIO, HOUR));
}, 120_000);
afterAll(async () => rig?.close());

it('serves the pod as a kubelet does: the node address, the node interfaces', () => {
  const t = begin + 30 * MIN;
  const agent = rig.sim.world.list('pods', t).find((h) => h.namespace === 'kube-system')!;
  const pod = rig.sim.world.render(agent, t) as {
    spec: { hostNetwork?: boolean };
    status: Record<string, string>;
  };
  expect(pod.spec.hostNetwork).toBe(true);
  expect(pod.status.podIP).toBe(pod.status.hostIP);
  const summary = rig.sim.world.nodeSummary('node-1', t) as {
    node: { network: { txBytes: number } };
    pods: { podRef: { name: string }; network: { txBytes: number } }[];
  };
  const agentStats = summary.pods.find((p) => p.podRef.name.startsWith('agent'))!;
  expect(agentStats.network).toEqual(summary.node.network);
});

it("leaves the host-network pod's network out, and meters every other pod's exactly", async () => {
  const owners = await ownersAgainstTruth(rig, begin, begin + HOUR);
  const ops = owners.get('ops')!.got;
  expect([ops.networkRxBytes, ops.networkTxBytes]).toEqual([0n, 0n]);
  expect(ops.podMillis).toBe(BigInt(HOUR)); // the rest of it is metered as usual
  const { got: alice, want } = owners.get('alice')!;
  expect(relError(alice.networkRxBytes, want.networkRxBytes!)).toBeLessThanOrEqual(0.005);
  expect(relError(alice.networkTxBytes, want.networkTxBytes!)).toBeLessThanOrEqual(0.005);
});
