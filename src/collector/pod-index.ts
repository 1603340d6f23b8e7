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
  // By name, then namespace: a `namespace/name` key was a new text to build and hash per pod per
  // round, where a pod's own name is the same string from round to round and keeps its hash.
  const byName = new Map<string, PodObservation | PodObservation[]>();
  const index: PodIndex = {
    uidOf: (namespace, name) => {
      const e = byName.get(name);
      if (e === undefined || !Array.isArray(e)) return e?.namespace === namespace ? e.uid : undefined;
      return e.find((p) => p.namespace === namespace)?.uid;
    },
    shardOfUid: new Map(),
    hostNetwork: new Set(),
    mirrors: new Map(),
  };
  for (const p of pods) {
    const e = byName.get(p.name);
    if (e === undefined) byName.set(p.name, p);
    else if (!Array.isArray(e)) byName.set(p.name, e.namespace === p.namespace ? p : [e, p]);
    else {
      const i = e.findIndex((o) => o.namespace === p.namespace);
      if (i < 0) e.push(p);
      else e[i] = p;
    }
    index.shardOfUid.set(p.uid, shardOf(p.namespace, shards));
    if (p.hostNetwork === true) index.hostNetwork.add(p.uid);
    if (p.workload?.kind === 'Node') index.mirrors.set(`${p.node}/${p.namespace}/${p.name}`, p.uid);
  }
  return index;
}
