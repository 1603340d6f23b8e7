/**
 * A PodList page in Kubernetes protobuf → compact pods. Only the fields `podInfo` reads are
 * decoded (into their JSON form, times as epoch ms); everything else (env, mounts, managed
 * fields, conditions...) is skipped by length, unread.
 */
import { podInfo } from '../compact.js';
import type { PodReuse } from '../pod-reuse.js';
import type { PodInfo } from '../types.js';
import type protobuf from 'protobufjs/minimal.js';
import { decodeList, decodeMessage, PROTOBUF, unwrap, type Projection } from './codec.js';

type ReaderT = protobuf.Reader;

const RESOURCES: Projection = { requests: true, limits: true };
const STATE: Projection = { running: { startedAt: true }, terminated: { startedAt: true, finishedAt: true } };
const STATUS: Projection = { name: true, restartCount: true, state: STATE, lastState: STATE };

const FULL: Projection = {
  metadata: {
    name: true,
    namespace: true,
    uid: true,
    labels: true,
    creationTimestamp: true,
    deletionTimestamp: true,
    deletionGracePeriodSeconds: true,
    ownerReferences: { kind: true, name: true, controller: true },
  },
  spec: {
    containers: { name: true, resources: RESOURCES },
    initContainers: { name: true, resources: RESOURCES, restartPolicy: true },
    volumes: { persistentVolumeClaim: { claimName: true } },
    nodeName: true,
    overhead: true,
    hostNetwork: true,
  },
  status: {
    phase: true,
    startTime: true,
    containerStatuses: STATUS,
    initContainerStatuses: STATUS,
  },
};

/** What requests and attribution need (live views): no container states, limits or times. */
const LEAN: Projection = {
  metadata: { name: true, namespace: true, uid: true, labels: true },
  spec: {
    containers: { name: true, resources: { requests: true } },
    initContainers: { name: true, resources: { requests: true }, restartPolicy: true },
    volumes: { persistentVolumeClaim: { claimName: true } },
    nodeName: true,
    overhead: true,
  },
  status: { phase: true },
};

export interface PodListPage {
  metadata: { continue?: string; resourceVersion?: string };
  items: PodInfo[];
  /** The items are already compact (not raw objects). */
  compact: true;
}

/**
 * Decodes a whole page; throws on anything that is not a well-formed PodList. `lean` reads only
 * names, labels, requests, claims, node and phase. With `reuse` (full pods only), a pod whose uid
 * and resourceVersion were in the previous list is that list's object, and only its metadata's
 * uid and resourceVersion are read.
 */
export function decodePodList(body: Buffer, lean = false, reuse?: PodReuse): PodListPage {
  const want = lean ? LEAN : FULL;
  const { metadata, items } = decodeList(body, 'PodList', (r, end) => {
    if (reuse === undefined || lean) return podInfo(decodeMessage(r, end, 'Pod', want));
    const start = r.pos;
    const id = identity(r, end);
    const seen = id === undefined ? undefined : reuse.reuse(id.uid, id.resourceVersion);
    if (seen !== undefined) {
      r.pos = end;
      return seen;
    }
    r.pos = start;
    const pod = podInfo(decodeMessage(r, end, 'Pod', want));
    if (id !== undefined) reuse.keep(id.uid, id.resourceVersion, pod);
    return pod;
  });
  return { metadata, items, compact: true };
}

/**
 * A pod's uid and resourceVersion, from its metadata (field 1); undefined when either is missing.
 * Read by hand, not through a projection: this runs for every pod of every list.
 */
function identity(r: ReaderT, end: number): { uid: string; resourceVersion: string } | undefined {
  while (r.pos < end) {
    const key = r.uint32();
    if (key !== 10) {
      r.skipType(key & 7);
      continue;
    }
    const metaEnd = r.uint32() + r.pos;
    let uid = '';
    let resourceVersion = '';
    // ObjectMeta: uid = 5, resourceVersion = 6 (strings), read as decodeMessage reads them.
    while (r.pos < metaEnd) {
      const k = r.uint32();
      const field = k >>> 3;
      if (field === 5) uid = r.string();
      else if (field === 6) resourceVersion = r.string();
      else r.skipType(k & 7);
    }
    if (r.pos !== metaEnd) throw new RangeError('a message overruns its length');
    return uid && resourceVersion ? { uid, resourceVersion } : undefined;
  }
  return undefined;
}

/**
 * The continue token from the start of a list page (envelope, then ListMeta, which a server
 * writes first), or undefined when the head is cut before it or the list has no more pages.
 */
export function continueFromHead(head: Buffer, contentType: string): string | undefined {
  if (!contentType.startsWith(PROTOBUF)) return undefined;
  try {
    const { reader: r } = unwrap(head, 'PodList', { partial: true });
    if (r.uint32() !== 10) return undefined;
    const metaEnd = r.uint32() + r.pos;
    if (metaEnd > r.len) return undefined;
    const token = decodeMessage(r, metaEnd, 'ListMeta', { continue: true }).continue;
    return typeof token === 'string' && token !== '' ? token : undefined;
  } catch {
    return undefined; // a head too short to tell: the page's own token is used when it ends
  }
}
