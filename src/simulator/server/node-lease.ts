/**
 * The kubelet's heartbeat Lease of each node (`coordination.k8s.io/v1`, namespace
 * `kube-node-lease`, named after the node). `kubectl describe node` reads it with the typed
 * client, without discovery, and prints "Failed to get lease" when the server has none.
 */
import type { Millis } from '../../domain/duration.js';
import type { World } from '../world.js';
import { notFound, type Status } from './status.js';

export const NODE_LEASE_PATH = ['coordination.k8s.io', 'v1', 'namespaces', 'kube-node-lease', 'leases'];

/** The kubelet's default lease: 40 s, renewed every quarter of it (10 s). */
const LEASE_SECONDS = 40;

type Obj = Record<string, unknown>;

/** The Lease of node `name` at `now`, renewed with the heartbeat of its Ready condition. */
export function nodeLease(world: World, name: string, now: Millis): { code: number; body: Obj | Status } {
  const handle = world.get('nodes', '', name, now);
  if (handle === undefined) return { code: 404, body: notFound('leases.coordination.k8s.io', name) };
  const node = world.render(handle, now) as { metadata: Obj; status: { conditions: Obj[] } };
  const ready = node.status.conditions.find((c) => c.type === 'Ready') as Obj;
  const heartbeat = Date.parse(ready.lastHeartbeatTime as string);
  return {
    code: 200,
    body: {
      kind: 'Lease',
      apiVersion: 'coordination.k8s.io/v1',
      metadata: {
        name,
        namespace: 'kube-node-lease',
        uid: handle.uid.replace(/^.{8}/, 'feedc0de'),
        resourceVersion: String(heartbeat),
        creationTimestamp: node.metadata.creationTimestamp,
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name, uid: handle.uid }],
      },
      spec: {
        holderIdentity: name,
        leaseDurationSeconds: LEASE_SECONDS,
        renewTime: microTime(heartbeat),
      },
    },
  };
}

/** metav1.MicroTime's JSON form: RFC 3339 with six fraction digits. */
function microTime(t: Millis): string {
  return new Date(t).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
