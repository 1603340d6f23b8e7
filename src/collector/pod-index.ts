/**
 * What a sample looks pods up by, made in one pass over the inventory's pods: every round makes
 * these of every pod, so each pod's namespace is hashed into its shard once here rather than once
 * per reading (a cluster may have a namespace per pod or two).
 */
import type { PodObservation } from '../metering/observations.js';
import { shardOf } from './shards.js';

export interface PodIndex {
  /** The UID of the pod of a namespace and name (metrics.k8s.io names pods, it gives no UIDs). */
  uidOf: (namespace: string, name: string) => string | undefined;
  /** UID → the shard of the pod's namespace; a UID not here is not a pod of the inventory. */
  shardOfUid: Map<string, number>;
  /**
   * The kubelet reports the node's interfaces for a pod in the node's network namespace: the
   * node's traffic, not the pod's (and the same for every such pod), so it is not the pod's to pay.
   */
  hostNetwork: Set<string>;
  /**
   * Static pods: the kubelet reports them under their manifest's hash, the API lists their mirror
   * pods (owned by the node) under another UID; `node/namespace/name` joins the two.
   */
  mirrors: Map<string, string>;
}

/** Later pods win where two share a key (a departed pod comes after the list's pods). */
export function indexPods(pods: readonly PodObservation[], shards: number): PodIndex {
  // By namespace, then name: a `namespace/name` key was a new text to build and hash per pod per
  // round, where the pod's own texts are the same strings from round to round and keep their hash.
  const byNamespace = new Map<string, Map<string, string>>();
  const index: PodIndex = {
    uidOf: (namespace, name) => byNamespace.get(namespace)?.get(name),
    shardOfUid: new Map(),
    hostNetwork: new Set(),
    mirrors: new Map(),
  };
  for (const p of pods) {
    let names = byNamespace.get(p.namespace);
    if (names === undefined) byNamespace.set(p.namespace, (names = new Map()));
    names.set(p.name, p.uid);
    index.shardOfUid.set(p.uid, shardOf(p.namespace, shards));
    if (p.hostNetwork === true) index.hostNetwork.add(p.uid);
    if (p.workload?.kind === 'Node') index.mirrors.set(`${p.node}/${p.namespace}/${p.name}`, p.uid);
  }
  return index;
}
