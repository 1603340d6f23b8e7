/**
 * `kubectl describe node` reads more than the node: the kubelet's Lease in kube-node-lease,
 * which it prints as the node's last renewal (a real API server always has one per node).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasKubectl, kubectl, startTestSimulator, type TestSimulator } from './support.js';

let sim: TestSimulator;

beforeAll(async () => {
  sim = await startTestSimulator({ scenario: 'demo', clock: 'manual', plainHttp: true });
  sim.clock.advance(2 * 3_600_000 + 37_000); // 02:00:37: the last renewal was at 02:00:30
});
afterAll(() => sim?.stop());

describe('the node leases', () => {
  it('serves each node its lease, renewed every 10 s, held by the node', async () => {
    const r = await sim.call('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/gpu-0');
    expect(r.status).toBe(200);
    const lease = r.json();
    const node = (await sim.call('/api/v1/nodes/gpu-0')).json();
    expect(lease).toMatchObject({
      kind: 'Lease',
      apiVersion: 'coordination.k8s.io/v1',
      metadata: {
        name: 'gpu-0',
        namespace: 'kube-node-lease',
        creationTimestamp: '2026-11-01T00:00:00Z',
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: 'gpu-0', uid: node.metadata.uid }],
      },
      spec: { holderIdentity: 'gpu-0', leaseDurationSeconds: 40, renewTime: '2026-11-01T02:00:30.000000Z' },
    });
  });

  it('answers a node that does not exist with the API server NotFound', async () => {
    const r = await sim.call('/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/nope');
    expect(r.status).toBe(404);
    expect(r.json()).toMatchObject({
      reason: 'NotFound',
      message: 'leases.coordination.k8s.io "nope" not found',
      details: { name: 'nope', group: 'coordination.k8s.io', kind: 'leases' },
    });
  });
});

describe.skipIf(!hasKubectl)('kubectl describe node', () => {
  it('shows the lease, not "Failed to get lease"', async () => {
    const r = await kubectl(sim, ['describe', 'node', 'cpu-1']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    const at = lines.indexOf('Lease:');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at, at + 4)).toEqual([
      'Lease:',
      '  HolderIdentity:  cpu-1',
      '  AcquireTime:     <unset>',
      '  RenewTime:       Sun, 01 Nov 2026 02:00:30 +0000',
    ]);
  });
});
